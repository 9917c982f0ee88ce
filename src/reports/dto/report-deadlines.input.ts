import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ReportStatus } from '../entities/report.entity';
import { PageArgs } from '../../common/pagination/connection';

@InputType({ description: 'The city’s targets for a category, in whole hours from a district’s receipt of a report (1 to 8,760).' })
export class SetReportCategoryTargetsInput {
  @Field(() => String, { description: 'The category’s code (retired ones too).' })
  code: string;

  @Field(() => Int, { description: 'Hours to accept it.' })
  acceptWithinHours: number;

  @Field(() => Int, { description: 'Hours to resolve it; at least the hours to accept.' })
  resolveWithinHours: number;
}

@InputType({ description: 'A district’s own targets for a category: each no looser than the city’s.' })
export class SetDistrictReportTargetsInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String)
  categoryCode: string;

  @Field(() => Int, { description: 'Hours to accept it; at most the city’s.' })
  acceptWithinHours: number;

  @Field(() => Int, { description: 'Hours to resolve it; at most the city’s, at least the hours to accept.' })
  resolveWithinHours: number;
}

@InputType({ description: 'The district goes back to the city’s targets for a category.' })
export class ClearDistrictReportTargetsInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String)
  categoryCode: string;
}

@ArgsType()
export class ReportQueueArgs extends PageArgs {
  @Field(() => String)
  districtCode: string;

  @Field(() => [ReportStatus], { nullable: true, description: 'Only these of the open statuses (RECEIVED, ACCEPTED, IN_PROGRESS).' })
  statuses?: ReportStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only reports past their next deadline.' })
  overdueOnly?: boolean | null;
}
