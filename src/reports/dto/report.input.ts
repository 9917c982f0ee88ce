import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ReportChannel, ReportKind, ReportStatus } from '../entities/report.entity';

registerEnumType(ReportKind, { name: 'ReportKind' });
registerEnumType(ReportChannel, { name: 'ReportChannel' });
registerEnumType(ReportStatus, { name: 'ReportStatus' });

@InputType({ description: 'Where the problem is: a point in Bangkok, and optionally words to find it by.' })
export class ReportPlaceInput {
  @Field(() => Float, { description: 'WGS 84 latitude; must be in Bangkok.' })
  latitude: number;

  @Field(() => Float, { description: 'WGS 84 longitude; must be in Bangkok.' })
  longitude: number;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Something near it people know (a temple, a pier, a 7-Eleven).' })
  landmark?: string | null;
}

@InputType({ description: 'The person a district host files a report for (a 1555 call, a walk-in): seen only by that district’s staff and administrators.' })
export class ReportCallerInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'Digits, spaces, dashes and a leading +.' })
  phone: string;
}

@InputType()
export class SubmitReportInput {
  @Field(() => ReportKind)
  kind: ReportKind;

  @Field(() => String, { description: 'The code of an active category (see `reportCategories`).' })
  categoryCode: string;

  @Field(() => String, { description: 'Plain text (no HTML), up to 5,000 characters.' })
  description: string;

  @Field(() => ReportPlaceInput)
  place: ReportPlaceInput;

  @Field(() => String)
  districtCode: string;

  @Field(() => ReportChannel)
  channel: ReportChannel;

  @Field(() => ReportCallerInput, { nullable: true, description: 'Only a host of the district, filing for someone without an account.' })
  caller?: ReportCallerInput | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Up to 3 photos you uploaded (POST /uploads/photos) and have not attached to anything yet, in the order to show them.',
  })
  photoIds?: string[] | null;
}

/** A staff step that takes a report and an optional note. */
@InputType({ isAbstract: true })
export class ReportStepInput {
  @Field(() => ID)
  reportId: string;

  @Field(() => String, { nullable: true, description: 'Shown in the report’s history and told to the reporter and supporters.' })
  note?: string | null;

  @Field(() => [ID], { nullable: true, description: '“After” photos (up to 3) you uploaded and have not attached to anything yet, shown on this step of its history.' })
  photoIds?: string[] | null;
}

@InputType()
export class AcceptReportInput extends ReportStepInput {}

@InputType()
export class StartReportWorkInput extends ReportStepInput {}

@InputType()
export class ResolveReportInput extends ReportStepInput {}

@InputType()
export class RejectReportInput {
  @Field(() => ID)
  reportId: string;

  @Field(() => String, { description: 'Why: required, shown to the reporter and supporters.' })
  reason: string;

  @Field(() => [ID], { nullable: true, description: '“After” photos (up to 3) you uploaded and have not attached to anything yet, shown on this step of its history.' })
  photoIds?: string[] | null;
}

@InputType({ description: 'Exactly one of `toDistrictCode` (that district owns it from then on) and `agency` (an outside agency, with a note).' })
export class ForwardReportInput {
  @Field(() => ID)
  reportId: string;

  @Field(() => String, { nullable: true })
  toDistrictCode?: string | null;

  @Field(() => String, { nullable: true, description: 'The outside agency’s name (the MEA, the Drainage and Sewerage Department...).' })
  agency?: string | null;

  @Field(() => String, { nullable: true, description: 'Required when forwarding to an agency.' })
  note?: string | null;

  @Field(() => [ID], { nullable: true, description: '“After” photos (up to 3) you uploaded and have not attached to anything yet, shown on this step of its history.' })
  photoIds?: string[] | null;
}

@InputType()
export class MergeReportInput {
  @Field(() => ID, { description: 'The duplicate, which becomes MERGED.' })
  reportId: string;

  @Field(() => ID, { description: 'The open report of the same district it duplicates, which survives: its supporters follow it.' })
  survivorId: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class ReopenReportInput {
  @Field(() => ID)
  reportId: string;

  @Field(() => String, { description: 'What is still wrong.' })
  reason: string;
}

@InputType()
export class SupportReportInput {
  @Field(() => ID)
  reportId: string;
}

@InputType()
export class RateReportInput {
  @Field(() => ID)
  reportId: string;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent).' })
  rating: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@InputType()
export class AddReportCategoryInput {
  @Field(() => String, { description: 'Stable code: capital letters, digits and underscores (ROADS).' })
  code: string;

  @Field(() => String)
  nameTh: string;

  @Field(() => String)
  nameEn: string;

  @Field(() => Int, { nullable: true, description: 'Where it comes in a picker (lower first); after the others when left out.' })
  position?: number | null;
}

@InputType()
export class RetireReportCategoryInput {
  @Field(() => String)
  code: string;
}

@InputType({ description: 'A box on the map, in WGS 84 degrees: south < north, west < east (edges included).' })
export class ReportBoundingBoxInput {
  @Field(() => Float)
  south: number;

  @Field(() => Float)
  west: number;

  @Field(() => Float)
  north: number;

  @Field(() => Float)
  east: number;
}

@InputType()
export class ReportFilter {
  @Field(() => String, { nullable: true })
  districtCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Category codes.' })
  categories?: string[] | null;

  @Field(() => [ReportStatus], { nullable: true })
  statuses?: ReportStatus[] | null;

  @Field(() => [ReportKind], { nullable: true })
  kinds?: ReportKind[] | null;

  @Field(() => Date, { nullable: true })
  submittedAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  submittedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Words to find in the description.' })
  text?: string | null;

  @Field(() => ReportBoundingBoxInput, { nullable: true, description: 'Only reports at a place inside this box.' })
  within?: ReportBoundingBoxInput | null;
}

@InputType({ description: 'A grid over a box of the map: how many reports fall in each cell.' })
export class ReportMapInput {
  @Field(() => ReportBoundingBoxInput, { description: 'The part of the map shown.' })
  bbox: ReportBoundingBoxInput;

  @Field(() => Int, {
    description: 'The map’s zoom level (0–22, as web maps count it): cells are 360 / 2^(zoom+3) degrees square, about 32 pixels on a 256-pixel tile. At most 2,500 cells (of the box clipped to Bangkok).',
  })
  zoom: number;

  @Field(() => ReportFilter, { nullable: true, description: 'Which reports to count, as for `reports` (its `within` narrows the box further).' })
  filter?: ReportFilter | null;
}

export enum ReportDistrictOrder {
  /** The largest share resolved within target first, then the shortest median time to resolve. */
  RESOLVED_WITHIN_TARGET = 'RESOLVED_WITHIN_TARGET',
  /** The shortest median time to resolve first. */
  FASTEST_RESOLUTION = 'FASTEST_RESOLUTION',
  /** The shortest median time to accept first. */
  FASTEST_ACCEPTANCE = 'FASTEST_ACCEPTANCE',
  /** The best average rating first. */
  BEST_RATED = 'BEST_RATED',
  /** The fewest missed deadlines first. */
  FEWEST_BREACHES = 'FEWEST_BREACHES',
  /** The most reports first. */
  MOST_REPORTS = 'MOST_REPORTS',
}
registerEnumType(ReportDistrictOrder, { name: 'ReportDistrictOrder' });

@InputType({ description: 'A period: from (included) to (excluded), at most 5 years.' })
export class ReportStatisticsInput {
  @Field(() => String, { nullable: true, description: 'One district; city-wide when left out.' })
  districtCode?: string | null;

  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;
}

@InputType({ description: 'A period: from (included) to (excluded), at most 5 years.' })
export class ReportDistrictTableInput {
  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => ReportDistrictOrder, { nullable: true, description: 'RESOLVED_WITHIN_TARGET when left out.' })
  orderBy?: ReportDistrictOrder | null;
}
