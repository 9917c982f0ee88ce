import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { ReportDistrictTableInput, ReportMapInput, ReportStatisticsInput } from './dto/report.input';
import { ReportMapService } from './report-map.service';
import { ReportDistrictStanding, ReportMap, ReportMapCell, ReportStatistics } from './report-statistics.type';
import { ReportStatisticsService } from './report-statistics.service';
import { Report } from './report.type';
import { ReportsService } from './reports.service';

/** The public's and the city's reading of reports in bulk: the map grid, statistics, the districts' table. */
@Resolver()
export class ReportStatisticsResolver {
  constructor(
    private readonly map: ReportMapService,
    private readonly statistics: ReportStatisticsService,
  ) {}

  @Query(() => ReportMap, { description: 'How many reports fall in each cell of a grid over a box of the map (for a zoomed-out map, instead of the points). Public.' })
  reportMap(@Args('input', { type: () => ReportMapInput }) input: ReportMapInput): Promise<ReportMap> {
    return this.map.grid(input);
  }

  @Query(() => ReportStatistics, { description: 'The numbers of the reports a district (or, without districtCode, the city) received in a period. Public: aggregates only.' })
  reportStatistics(@Args('input', { type: () => ReportStatisticsInput }) input: ReportStatisticsInput): Promise<ReportStatistics> {
    return this.statistics.statistics(input);
  }

  @Query(() => [ReportDistrictStanding], { description: 'All 50 districts ranked by how they handled the reports they received in a period, those without reports included. Public.' })
  reportDistrictTable(@Args('input', { type: () => ReportDistrictTableInput }) input: ReportDistrictTableInput): Promise<ReportDistrictStanding[]> {
    return this.statistics.districtTable(input);
  }
}

@Resolver(() => ReportMapCell)
export class ReportMapCellResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => Report, { nullable: true, description: 'The report, when the cell holds exactly one.' })
  async report(@Parent() cell: ReportMapCell, @Ctx() rc: RequestContext): Promise<Report | null> {
    const report = cell.reportId ? await this.reports.find(rc, cell.reportId) : null;
    return report ? Report.from(report) : null;
  }
}
