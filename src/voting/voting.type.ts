import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { ResultsVisibility, RoundStatus, VotingMethod, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import type { RoundResults } from './vote-counter.service';

@ObjectType('VotingOption', {
  implements: () => [Node],
  description: 'One option on a round\'s ballot. Its id is what castBallot takes and what results, receipts, the ballot record and the downloads give; node(id:) fetches it wherever its round is visible.',
})
export class VotingOption implements Node {
  @Field(() => ID, { description: 'Use in castBallot choices.' })
  id: string;

  @Field(() => Int, { description: 'Its place on the ballot, from 0: what the ballot record\'s hashes and the lot that breaks ties are computed on.' })
  position: number;

  @Field(() => String)
  label: string;

  @Field(() => Float, { nullable: true, description: 'Budget rounds: its cost in baht.' })
  cost: number | null;

  proposalId: string | null;
  roundId: string;
  nodeType = 'VotingOption';

  static from(entity: VotingOptionEntity): VotingOption {
    return Object.assign(new VotingOption(), {
      id: toGlobalId('VotingOption', entity.id),
      roundId: entity.roundId,
      position: entity.position,
      label: entity.label,
      cost: entity.cost === null ? null : Number(entity.cost),
      proposalId: entity.proposalId,
    });
  }
}

@ObjectType('VotingRound', { implements: () => [Node], description: 'A voting round of a district.' })
export class VotingRound implements Node {
  @Field(() => String)
  title: string;

  @Field(() => String)
  description: string;

  @Field(() => VotingMethod)
  method: VotingMethod;

  @Field(() => RoundStatus)
  status: RoundStatus;

  @Field(() => Date)
  opensAt: Date;

  @Field(() => Date)
  closesAt: Date;

  @Field(() => Boolean, { description: 'Nobody, hosts and administrators included, can see who chose what.' })
  secret: boolean;

  @Field(() => ResultsVisibility)
  resultsVisibility: ResultsVisibility;

  @Field(() => Int, { nullable: true, description: 'Secret LIVE rounds: live tallies move only in batches of at least this many new or changed ballots (turnout stays live).' })
  liveBatchSize: number | null;

  @Field(() => Boolean)
  allowRevote: boolean;

  @Field(() => Int, { description: 'Ballots needed for the result to stand.' })
  quorum: number;

  @Field(() => Int, { nullable: true, description: 'How many options it elects; null for budget rounds (options are funded while the money lasts).' })
  seats: number | null;

  @Field(() => Int, { nullable: true })
  maxSelections: number | null;

  @Field(() => Float, { nullable: true, description: 'Budget rounds: baht to allocate.' })
  budget: number | null;

  @Field(() => String, { nullable: true, description: 'The hash heading the published ballot record (after closing).' })
  recordHead: string | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => Date, { nullable: true })
  certifiedAt: Date | null;

  @Field(() => String, { nullable: true })
  cancelReason: string | null;

  id: string;
  nodeType = 'VotingRound';
  entity: VotingRoundEntity;

  static from(entity: VotingRoundEntity): VotingRound {
    return Object.assign(new VotingRound(), {
      id: toGlobalId('VotingRound', entity.id),
      title: entity.title,
      description: entity.description,
      method: entity.method,
      status: entity.status,
      opensAt: entity.opensAt,
      closesAt: entity.closesAt,
      secret: entity.secret,
      resultsVisibility: entity.resultsVisibility,
      liveBatchSize: entity.liveBatchSize,
      allowRevote: entity.allowRevote,
      quorum: entity.quorum,
      seats: entity.seats,
      maxSelections: entity.maxSelections,
      budget: entity.budget === null ? null : Number(entity.budget),
      recordHead: entity.recordHead,
      closedAt: entity.closedAt,
      certifiedAt: entity.certifiedAt,
      cancelReason: entity.cancelReason,
      entity,
    });
  }
}

@ObjectType()
export class VotingRoundConnection extends Connection(VotingRound, 'VotingRound') {}

@ObjectType('OptionResult')
export class OptionResult {
  @Field(() => ID)
  optionId: string;

  @Field(() => Int)
  position: number;

  @Field(() => String)
  label: string;

  @Field(() => Int)
  votes: number;

  @Field(() => Float, { description: '0 to 1: of the ballots counted (ranked choice: of the final round’s continuing ballots).' })
  share: number;

  @Field(() => Boolean)
  winner: boolean;
}

@ObjectType('RunoffCount')
export class RunoffCount {
  @Field(() => ID)
  optionId: string;

  @Field(() => Int)
  position: number;

  @Field(() => Int)
  votes: number;
}

@ObjectType('RunoffRound', { description: 'One round of an instant-runoff count.' })
export class RunoffRoundType {
  @Field(() => Int)
  round: number;

  @Field(() => [RunoffCount])
  counts: RunoffCount[];

  @Field(() => Int, { description: 'Ballots with no continuing option left.' })
  exhausted: number;

  @Field(() => [ID], { description: 'Options (ids) eliminated after this round.' })
  eliminated: string[];

  @Field(() => String, { nullable: true })
  tieBreak: string | null;
}

@ObjectType('BudgetAllocation')
export class BudgetAllocation {
  @Field(() => Float)
  total: number;

  @Field(() => Float)
  allocated: number;
}

@ObjectType('VotingResults')
export class VotingResults {
  @Field(() => VotingMethod)
  method: VotingMethod;

  @Field(() => Int)
  ballots: number;

  @Field(() => Int)
  eligibleVoters: number;

  @Field(() => Int)
  quorum: number;

  @Field(() => Boolean)
  quorumMet: boolean;

  @Field(() => Boolean, { description: 'False while the round is open (a live count).' })
  final: boolean;

  @Field(() => [OptionResult])
  options: OptionResult[];

  @Field(() => [ID], { description: 'Winning options (ids), in ballot order: as many as the round has seats (fewer when fewer options got votes); budget rounds: the funded ones.' })
  winners: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'How ties that decided the result were broken: by lot, sha256(recordHead + ":" + position), lowest first (see README); the text names options by their position, which the lot is drawn on. While open, a tie at the cut-off is undecided.',
  })
  tieBreak: string | null;

  @Field(() => [RunoffRoundType], { nullable: true, description: 'Ranked choice, once closed: every elimination round.' })
  rounds: RunoffRoundType[] | null;

  @Field(() => BudgetAllocation, { nullable: true })
  budget: BudgetAllocation | null;

  /**
   * The results as clients see them, from the count as stored (by option position): options named by
   * their ids. The one shape of results: GraphQL's `results`, `votingRoundUpdated` and the
   * results.json download all give exactly this (field for field).
   */
  static from(results: RoundResults | null): VotingResults | null {
    if (!results) return null;
    const optionId = (position: number) => results.labels.find((l) => l.position === position)?.optionId ?? '';
    const inBallotOrder = (positions: number[]) => [...positions].sort((a, b) => a - b).map(optionId);
    return {
      method: results.method,
      ballots: results.ballots,
      eligibleVoters: results.eligibleVoters,
      quorum: results.quorum,
      quorumMet: results.quorumMet,
      final: results.final,
      options: results.options.map((o) => ({
        optionId: optionId(o.position),
        position: o.position,
        label: results.labels.find((l) => l.position === o.position)?.label ?? '',
        votes: o.votes,
        share: o.share,
        winner: results.winners.includes(o.position),
      })),
      winners: inBallotOrder(results.winners),
      tieBreak: results.tieBreak,
      rounds:
        results.rounds?.map((r) => ({
          round: r.round,
          counts: r.counts.map((c) => ({ optionId: optionId(c.position), position: c.position, votes: c.votes })),
          exhausted: r.exhausted,
          eliminated: r.eliminated.map(optionId),
          tieBreak: r.tieBreak,
        })) ?? null,
      budget: results.budget ? { total: results.budget.total, allocated: results.budget.allocated } : null,
    };
  }
}

@ObjectType('BallotReceipt')
export class BallotReceipt {
  @Field(() => String, { description: 'Keep it: with it you can check that your ballot is in the published record. It is not stored.' })
  receipt: string;

  @Field(() => Boolean, { description: 'True when this ballot replaced your earlier one.' })
  replaced: boolean;

  @Field(() => Boolean, {
    description: 'True only on a retry (the same idempotencyKey) whose ballot a later one of yours has replaced: this receipt is no longer counted, and the retry changed nothing.',
  })
  superseded: boolean;
}

@ObjectType('ReceiptCheck')
export class ReceiptCheck {
  @Field(() => Boolean)
  counted: boolean;

  @Field(() => Boolean, { description: 'A later ballot of the same voter replaced this one (revoting).' })
  superseded: boolean;

  @Field(() => [ID], { nullable: true, description: 'Your choices (option ids; ranked choice: in your order of preference), shown only to the holder of the receipt.' })
  choices: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Its place in the published record (after closing).' })
  recordPosition: number | null;

  @Field(() => String, { nullable: true })
  entryHash: string | null;
}

@ObjectType('BallotRecordEntry', { description: 'One counted ballot in the published record: no voter in a secret round.' })
export class BallotRecordEntry {
  @Field(() => Int)
  position: number;

  @Field(() => String)
  receiptHash: string;

  @Field(() => [ID], { description: 'The options chosen (ids): the one chosen, the ones marked, or the ranking in order of preference.' })
  choices: string[];

  @Field(() => [Int], { description: 'The same choices as option positions (VotingOption.position), in the same order: what entryHash covers.' })
  choicePositions: number[];

  @Field(() => String)
  previousHash: string;

  @Field(() => String, { description: 'sha256(previousHash + "|" + receiptHash + "|" + choicePositions joined by commas).' })
  entryHash: string;
}

@ObjectType()
export class BallotRecordConnection extends Connection(BallotRecordEntry, 'BallotRecord') {}

@ObjectType('VotingRoundUpdate')
export class VotingRoundUpdateType {
  @Field(() => ID)
  roundId: string;

  @Field(() => RoundStatus)
  status: string;

  @Field(() => Int)
  turnout: number;

  @Field(() => VotingResults, { nullable: true, description: 'Null while the round hides its results.' })
  results: VotingResults | null;
}
