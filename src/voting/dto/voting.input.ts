import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ResultsVisibility, RoundStatus, VotingMethod } from '../entities/voting.entity';

registerEnumType(VotingMethod, { name: 'VotingMethod' });
registerEnumType(RoundStatus, { name: 'RoundStatus' });
registerEnumType(ResultsVisibility, { name: 'ResultsVisibility' });

@InputType()
export class VotingOptionInput {
  @Field(() => ID, { nullable: true, description: 'A proposal of the district (qualified, or heard at a hearing).' })
  proposalId?: string | null;

  @Field(() => String, { nullable: true, description: 'A free label (yes / no / abstain); defaults to the proposal’s title.' })
  label?: string | null;

  @Field(() => Float, { nullable: true, description: 'Budget rounds: what it costs, in baht.' })
  cost?: number | null;
}

@InputType()
export class CreateVotingRoundInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => VotingMethod)
  method: VotingMethod;

  @Field(() => [VotingOptionInput])
  options: VotingOptionInput[];

  @Field(() => Date)
  opensAt: Date;

  @Field(() => Date)
  closesAt: Date;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Nobody can see who chose what.' })
  secret?: boolean;

  @Field(() => ResultsVisibility, { nullable: true, defaultValue: ResultsVisibility.AFTER_CLOSE })
  resultsVisibility?: ResultsVisibility;

  @Field(() => Int, {
    nullable: true,
    description: 'Secret rounds with LIVE results: tallies are published after at least this many new or changed ballots (10 to 10,000, default 20), the last batch at closing; turnout stays live.',
  })
  liveBatchSize?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Voters may change their ballot until closing.' })
  allowRevote?: boolean;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Ballots needed for the result to stand.' })
  quorum?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'How many options the round elects (default 1): single choice and approval, fewer than the options; ranked choice elects 1; not for budget rounds.',
  })
  seats?: number | null;

  @Field(() => Int, { nullable: true, description: 'Approval: how many options a ballot may mark.' })
  maxSelections?: number | null;

  @Field(() => Float, { nullable: true, description: 'Budget rounds: the money to allocate, in baht.' })
  budget?: number | null;
}

@InputType()
export class CastBallotInput {
  @Field(() => ID)
  roundId: string;

  @Field(() => [ID], { description: 'Option ids: the one chosen, the ones marked, or a ranking in order of preference.' })
  choices: string[];

  @Field(() => String, { description: 'Any unique string per ballot (a UUID): a retry with the same key returns the same receipt.' })
  idempotencyKey: string;
}

/** The round a host moves on; one input type per mutation (the API's convention), so each can grow on its own. */
@InputType()
export class ScheduleVotingRoundInput {
  @Field(() => ID)
  roundId: string;
}

@InputType()
export class OpenVotingRoundInput {
  @Field(() => ID)
  roundId: string;
}

@InputType()
export class CloseVotingRoundInput {
  @Field(() => ID)
  roundId: string;
}

@InputType()
export class CertifyVotingRoundInput {
  @Field(() => ID)
  roundId: string;
}

@InputType()
export class CancelVotingRoundInput {
  @Field(() => ID)
  roundId: string;

  @Field(() => String, { description: 'Why the vote does not happen (3 to 1,000 characters): shown with the round and on the proposals sent back.' })
  reason: string;
}
