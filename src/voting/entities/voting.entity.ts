import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { sqlValues } from '../../database/check-values';
import { UserEntity } from '../../accounts/entities/user.entity';
import { DistrictEntity } from '../../districts/district.entity';
import { ProposalEntity } from '../../proposals/entities/proposal.entity';

export enum VotingMethod {
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  APPROVAL = 'APPROVAL',
  RANKED_CHOICE = 'RANKED_CHOICE',
  BUDGET = 'BUDGET',
}

export enum RoundStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  CERTIFIED = 'CERTIFIED',
  CANCELLED = 'CANCELLED',
}

export enum ResultsVisibility {
  LIVE = 'LIVE',
  AFTER_CLOSE = 'AFTER_CLOSE',
}

/** A voting round (การลงคะแนน) of a district: its method, options, rules and life. */
@Entity({ name: 'voting_rounds' })
@Check('CHK_voting_rounds_method', `"method" IN (${sqlValues(Object.values(VotingMethod))})`)
@Check('CHK_voting_rounds_status', `"status" IN (${sqlValues(Object.values(RoundStatus))})`)
@Check('CHK_voting_rounds_visibility', `"results_visibility" IN (${sqlValues(Object.values(ResultsVisibility))})`)
@Check('CHK_voting_rounds_times', `"closes_at" > "opens_at"`)
@Index('IDX_voting_rounds_district', ['districtCode', 'opensAt'])
@Index('IDX_voting_rounds_schedule', ['status', 'opensAt'])
export class VotingRoundEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code' })
  district?: DistrictEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 16 })
  method: VotingMethod;

  @Column({ type: 'varchar', length: 10, default: 'DRAFT' })
  status: RoundStatus;

  @Column({ name: 'opens_at', type: 'timestamptz', precision: 3 })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'timestamptz', precision: 3 })
  closesAt: Date;

  /** Nobody, hosts and administrators included, can see who chose what. */
  @Column({ type: 'boolean', default: true })
  secret: boolean;

  @Column({ name: 'results_visibility', type: 'varchar', length: 12, default: 'AFTER_CLOSE' })
  resultsVisibility: ResultsVisibility;

  /**
   * Secret rounds with LIVE results only: their tallies are published in batches of at least this
   * many ballot events (new ballots and revotes), so that no tally change can be set beside one voter.
   */
  @Column({ name: 'live_batch_size', type: 'int', nullable: true })
  liveBatchSize: number | null;

  @Column({ name: 'allow_revote', type: 'boolean', default: false })
  allowRevote: boolean;

  /** Ballots needed for the result to stand. */
  @Column({ type: 'int', default: 0 })
  quorum: number;

  /** How many options the round elects (single choice and approval: 1 or more; ranked choice: 1); null for budget rounds, which fund options while the money lasts. */
  @Column({ type: 'int', nullable: true })
  seats: number | null;

  /** Approval: how many options a ballot may mark. */
  @Column({ name: 'max_selections', type: 'int', nullable: true })
  maxSelections: number | null;

  /** Budget rounds: the money to allocate, in baht. */
  @Column({ type: 'numeric', precision: 15, scale: 2, nullable: true })
  budget: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  /** Computed from the ballots at closing; the certified result. */
  @Column({ type: 'jsonb', nullable: true })
  results: object | null;

  /** The hash of the last entry of the published ballot record (its chain's head). */
  @Column({ name: 'record_head', type: 'char', length: 64, nullable: true })
  recordHead: string | null;

  @Column({ name: 'eligible_at_close', type: 'int', nullable: true })
  eligibleAtClose: number | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 1000, nullable: true })
  cancelReason: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'certified_at', type: 'timestamptz', precision: 3, nullable: true })
  certifiedAt: Date | null;

  @Column({ name: 'certified_by', type: 'uuid', nullable: true })
  certifiedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One option on a round's ballot: a proposal of the district, or a free label (yes / no / abstain). */
@Entity({ name: 'voting_options' })
@Check('CHK_voting_options_cost', `"cost" IS NULL OR "cost" >= 0`)
@Index('IDX_voting_options_round', ['roundId', 'position'])
export class VotingOptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @ManyToOne(() => ProposalEntity)
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  /** Budget rounds: what it costs, in baht. */
  @Column({ type: 'numeric', precision: 15, scale: 2, nullable: true })
  cost: string | null;
}

/**
 * Who voted in a round (for turnout and one vote per person), kept apart from what was voted: it
 * holds nothing that points at a ballot.
 */
@Entity({ name: 'voting_participations' })
export class ParticipationEntity {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  @PrimaryColumn({ name: 'voter_id', type: 'uuid' })
  voterId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'voter_id' })
  voter?: UserEntity;
}

/**
 * What was voted. In a secret round a ballot carries no voter: only `slot`, a keyed hash of the voter
 * that no query exposes, which lets the database keep one ballot per voter and a revote replace it.
 */
@Entity({ name: 'ballots' })
@Index('UQ_ballots_slot', ['roundId', 'slot'], { unique: true })
@Index('UQ_ballots_receipt', ['roundId', 'receiptHash'], { unique: true })
export class BallotEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  @Column({ type: 'char', length: 64 })
  slot: string;

  /** SHA-256 of the receipt the voter was given. */
  @Column({ name: 'receipt_hash', type: 'char', length: 64 })
  receiptHash: string;

  /**
   * Option positions: the chosen one (single), the marked ones (approval, budget) or the ranking in
   * order of preference (ranked choice).
   */
  @Column({ type: 'smallint', array: true })
  choices: number[];

  /** Whether it replaced an earlier ballot of its slot: what its cast answered, so that a retry answers the same. */
  @Column({ type: 'boolean', default: false })
  replaced: boolean;

  /** Open (non-secret) rounds only: who cast it. Always null in a secret round. */
  @Column({ name: 'voter_id', type: 'uuid', nullable: true })
  voterId: string | null;
}

/**
 * The receipts of ballots that a revote replaced, so that a late retry of their cast is answered as a
 * replay (superseded) instead of voting again. Nothing here points at a voter, a slot or a time.
 */
@Entity({ name: 'replaced_receipts' })
export class ReplacedReceiptEntity {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  /** SHA-256 of the receipt the replaced ballot's voter was given. */
  @PrimaryColumn({ name: 'receipt_hash', type: 'char', length: 64 })
  receiptHash: string;

  /** Whether the replaced ballot had itself replaced an earlier one: what its cast answered. */
  @Column({ type: 'boolean' })
  replaced: boolean;
}

/**
 * Running counts, split over shards so that simultaneous ballots rarely touch the same row: the live
 * tally and turnout are sums over a fixed number of rows, whatever the number of ballots.
 */
@Entity({ name: 'tally_shards' })
export class TallyShardEntity {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  /** Option position, or -1 for turnout (ballots counted), or -2 for ballot events (new ballots and revotes). */
  @PrimaryColumn({ type: 'smallint' })
  position: number;

  @PrimaryColumn({ type: 'smallint' })
  shard: number;

  @Column({ type: 'bigint', default: 0 })
  count: string;
}

/**
 * The tallies of a secret LIVE round as last published: the one snapshot every instance shows, moved
 * forward only by a conditional update once at least the round's batch of ballot events has passed.
 */
@Entity({ name: 'live_tallies' })
export class LiveTallyEntity {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: VotingRoundEntity;

  /** Ballot events (new ballots and revotes) the snapshot counts. */
  @Column({ type: 'int' })
  events: number;

  /** Ballots the snapshot counts. */
  @Column({ type: 'int' })
  turnout: number;

  /** Votes by option position (ranked choice: first preferences). */
  @Column({ type: 'int', array: true })
  votes: number[];
}
