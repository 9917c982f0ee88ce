import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { ReportDistrictTableInput, ReportMapInput, ReportStatisticsInput } from './dto/report.input';
import { ReportMapService } from './report-map.service';
import { ReportDistrictStanding, ReportMap, ReportStatistics } from './report-statistics.type';
import { ReportStatisticsService } from './report-statistics.service';
import { Report } from './report.type';
import { ReportsService } from './reports.service';

/** The public's and the city's reading of reports in bulk: the map grid, statistics, the districts' table. */
@Resolver()
export class ReportStatisticsResolver {
  constructor(
    private readonly map: ReportMapService,
    private readonly statistics: ReportStatisticsService,
    private readonly reports: ReportsService,
  ) {}

  @Query(() => ReportMap, { description: 'How many reports fall in each cell of a grid over a box of the map (for a zoomed-out map, instead of the points). Public.' })
  async reportMap(@Args('input', { type: () => ReportMapInput }) input: ReportMapInput, @Ctx() rc: RequestContext): Promise<ReportMap> {
    const map = await this.map.grid(input);
    // The one report of each cell holding one, loaded together (one statement) and set on the cell: a
    // resolver per cell cost more than the grid itself (about 17 µs a cell, 900 cells at zoom 11).
    await Promise.all(
      map.cells.map(async (cell) => {
        const report = cell.reportId ? await this.reports.find(rc, cell.reportId) : null;
        cell.report = report ? Report.from(report) : null;
      }),
    );
    return map;
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
