import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Proposal } from '../../proposals/proposal.type';

@InputType({ description: 'Reports a proposal cites: the problems the plan means to fix.' })
export class CiteReportsInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => [ID], { description: '1 to 20 report ids, each once; a proposal cites at most 20 reports in all. Reports of any district.' })
  reportIds: string[];
}

@InputType()
export class UnciteReportsInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => [ID], { description: '1 to 20 report ids, each once; a report the proposal does not cite changes nothing.' })
  reportIds: string[];
}

@ObjectType()
export class CiteReportsPayload {
  @Field(() => Proposal)
  proposal: Proposal;
}

@ObjectType()
export class UnciteReportsPayload {
  @Field(() => Proposal)
  proposal: Proposal;
}
