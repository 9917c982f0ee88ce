import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';

export enum ResidencyDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(ResidencyDecision, { name: 'ResidencyDecision' });

@InputType()
export class ReviewResidencyInput {
  @Field(() => ID)
  residencyId: string;

  @Field(() => ResidencyDecision)
  decision: ResidencyDecision;

  @Field(() => String, { nullable: true, description: 'Required when rejecting: the person is told why.' })
  note?: string | null;
}

@InputType()
export class RequestResidencyInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}
