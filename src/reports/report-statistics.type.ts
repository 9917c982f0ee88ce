import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { District } from '../districts/district.type';
import { ReportStatus } from './entities/report.entity';
import { Report, ReportCategory } from './report.type';

// ---- the map grid ----------------------------------------------------------------------------

@ObjectType({ description: 'One cell of the map grid that holds reports: its bounds, where its reports are on average, and how many.' })
export class ReportMapCell {
  @Field(() => Float)
  south: number;

  @Field(() => Float)
  west: number;

  @Field(() => Float)
  north: number;

  @Field(() => Float)
  east: number;

  @Field(() => Float, { description: 'The mean latitude of its reports: where to draw its marker.' })
  latitude: number;

  @Field(() => Float, { description: 'The mean longitude of its reports.' })
  longitude: number;

  @Field(() => Int)
  count: number;

  /** The report's database id when the cell holds exactly one. */
  reportId: string | null;

  @Field(() => Report, { nullable: true, description: 'The report, when the cell holds exactly one.' })
  report: Report | null;
}

@ObjectType({ description: 'Counts of reports per cell of a grid over a box of the map; cells without reports are left out.' })
export class ReportMap {
  @Field(() => Float, { description: 'The side of a cell, in degrees.' })
  cellSize: number;

  @Field(() => Int, { description: 'The reports counted, in all cells.' })
  total: number;

  @Field(() => [ReportMapCell])
  cells: ReportMapCell[];
}

// ---- statistics ------------------------------------------------------------------------------

@ObjectType({ description: 'How long something took, over the reports it happened to: in whole seconds.' })
export class ReportDurations {
  @Field(() => Int, { description: 'The reports measured.' })
  count: number;

  @Field(() => Int, { nullable: true, description: 'Seconds; null when none was measured.' })
  median: number | null;

  @Field(() => Int, { nullable: true, description: 'Seconds within which 90% were done (continuous percentile); null when none was measured.' })
  percentile90: number | null;
}

@ObjectType({ description: 'The numbers of a set of reports (a district’s or the city’s, over a period). Aggregates only: nothing about any person.' })
export class ReportSummary {
  @Field(() => Int, { description: 'Reports received in the period.' })
  reports: number;

  @Field(() => ReportDurations, { description: 'From receipt by the district to acceptance, over the reports accepted.' })
  timeToAccept: ReportDurations;

  @Field(() => ReportDurations, { description: 'From receipt by the district to resolution, over the reports RESOLVED now.' })
  timeToResolve: ReportDurations;

  @Field(() => Int, { description: 'Reports RESOLVED now.' })
  resolved: number;

  @Field(() => Int, { description: 'Of those, resolved by their deadline.' })
  resolvedWithinTarget: number;

  @Field(() => Float, { nullable: true, description: 'resolvedWithinTarget / resolved, 0 to 1; null when none is resolved.' })
  shareResolvedWithinTarget: number | null;

  @Field(() => Int, { description: 'Deadlines to accept missed in the period (by the district that owned the report then).' })
  acceptBreaches: number;

  @Field(() => Int, { description: 'Deadlines to resolve missed in the period.' })
  resolveBreaches: number;

  @Field(() => Float, { nullable: true, description: 'The reporters’ average rating, 1 to 5; null when nobody rated.' })
  averageRating: number | null;

  @Field(() => Int)
  ratings: number;
}

@ObjectType()
export class ReportStatusCount {
  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class ReportCategoryCount {
  @Field(() => ReportCategory)
  category: ReportCategory;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'Reports of a district, or of the city, received in a period: counts, times and ratings.' })
export class ReportStatistics {
  @Field(() => District, { nullable: true, description: 'Null for the whole city.' })
  district: District | null;

  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => ReportSummary)
  summary: ReportSummary;

  @Field(() => [ReportStatusCount], { description: 'Every status, in the lifecycle’s order, by the reports’ status now.' })
  byStatus: ReportStatusCount[];

  @Field(() => [ReportCategoryCount], { description: 'Every category that can be chosen, and any retired one with reports, in picker order.' })
  byCategory: ReportCategoryCount[];
}

@ObjectType({ description: 'A district’s place in the city’s table for a period.' })
export class ReportDistrictStanding {
  @Field(() => Int, { description: '1 for the first; ties are broken by the district code.' })
  rank: number;

  @Field(() => District)
  district: District;

  @Field(() => ReportSummary)
  summary: ReportSummary;
}

