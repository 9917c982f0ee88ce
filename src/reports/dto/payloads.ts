import { Field, ObjectType } from '@nestjs/graphql';
import { District } from '../../districts/district.type';
import { DistrictReportTarget, Report, ReportCategory } from '../report.type';

/** Every report mutation answers with the report as it is after the change. */
@ObjectType({ isAbstract: true })
abstract class ReportPayload {
  @Field(() => Report)
  report: Report;
}

@ObjectType()
export class SubmitReportPayload extends ReportPayload {
  @Field(() => [Report], { description: 'Open reports of the same category within 50 m, submitted in the last 30 days: support one of them if it is the same problem.' })
  similarReports: Report[];
}

@ObjectType()
export class AcceptReportPayload extends ReportPayload {}

@ObjectType()
export class StartReportWorkPayload extends ReportPayload {}

@ObjectType()
export class ResolveReportPayload extends ReportPayload {}

@ObjectType()
export class RejectReportPayload extends ReportPayload {}

@ObjectType()
export class ForwardReportPayload extends ReportPayload {}

@ObjectType()
export class MergeReportPayload extends ReportPayload {
  @Field(() => Report, { description: 'The report it was merged into.' })
  survivor: Report;
}

@ObjectType()
export class ReopenReportPayload extends ReportPayload {}

@ObjectType()
export class SupportReportPayload extends ReportPayload {}

@ObjectType()
export class RateReportPayload extends ReportPayload {}

@ObjectType()
export class AddReportCategoryPayload {
  @Field(() => ReportCategory)
  category: ReportCategory;
}

@ObjectType()
export class RetireReportCategoryPayload {
  @Field(() => ReportCategory)
  category: ReportCategory;
}

@ObjectType()
export class SetReportCategoryTargetsPayload {
  @Field(() => ReportCategory)
  category: ReportCategory;
}

@ObjectType()
export class SetDistrictReportTargetsPayload {
  @Field(() => District)
  district: District;

  @Field(() => DistrictReportTarget)
  target: DistrictReportTarget;
}

@ObjectType()
export class ClearDistrictReportTargetsPayload {
  @Field(() => District)
  district: District;
}
