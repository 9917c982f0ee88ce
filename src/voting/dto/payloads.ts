import { Field, ObjectType } from '@nestjs/graphql';
import { BallotReceipt, VotingRound } from '../voting.type';

/** What each voting mutation answers: the object it changed, under a field named for it. */

@ObjectType()
export class CreateVotingRoundPayload {
  @Field(() => VotingRound, { description: 'The new round, in DRAFT.' })
  votingRound: VotingRound;
}

@ObjectType()
export class ScheduleVotingRoundPayload {
  @Field(() => VotingRound)
  votingRound: VotingRound;
}

@ObjectType()
export class OpenVotingRoundPayload {
  @Field(() => VotingRound)
  votingRound: VotingRound;
}

@ObjectType()
export class CloseVotingRoundPayload {
  @Field(() => VotingRound, { description: 'Counted and recorded: its results and recordHead are published.' })
  votingRound: VotingRound;
}

@ObjectType()
export class CertifyVotingRoundPayload {
  @Field(() => VotingRound)
  votingRound: VotingRound;
}

@ObjectType()
export class CancelVotingRoundPayload {
  @Field(() => VotingRound)
  votingRound: VotingRound;
}

@ObjectType()
export class CastBallotPayload {
  @Field(() => BallotReceipt, { description: 'Keep its receipt: it is not stored, and it is what verifyReceipt checks.' })
  receipt: BallotReceipt;
}
