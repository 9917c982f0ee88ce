import { createHash, createHmac } from 'node:crypto';
import { auditAbout } from '../audit/audit-scope';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, EntityManager, In } from 'typeorm';
import { ResidencyStatus } from '../accounts/entities/residency.entity';
import { AccountKind } from '../accounts/entities/user.entity';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, parseGlobalId, toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MetricsService } from '../metrics/metrics.service';
import { QueryCounter } from '../database/query-counter';
import { returnedRows } from '../database/returned-rows';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { ProposalsService } from '../proposals/proposals.service';
import { PROPOSAL_ACTIONS } from '../proposals/proposal-lifecycle';
import { BallotGroup, countBudget, countInstantRunoff, countMarks, CountResult } from './counting';
import { CastBallotInput, CreateVotingRoundInput } from './dto/voting.input';
import { BallotEntity, ResultsVisibility, RoundStatus, VotingMethod, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { VotingLiveService } from './voting-live.service';

/** Counters are spread over this many rows per option, so simultaneous ballots rarely wait on each other. */
export const SHARDS = 16;
/** The shard position that counts ballots (turnout). */
export const TURNOUT = -1;
/** Proposals that may be put on a ballot. */
const VOTABLE: readonly ProposalStatus[] = PROPOSAL_ACTIONS.putToVote.from;
const GENESIS = '0'.repeat(64);
/** Adds the deltas ($4) at the option positions ($3) to shard $2 of round $1 (the running counts), if `condition` holds. */
const tallyUpsert = (condition = 'true') => `INSERT INTO tally_shards (round_id, position, shard, count) SELECT $1, p, $2, d FROM unnest($3::smallint[], $4::bigint[]) AS v(p, d) WHERE ${condition}
  ON CONFLICT (round_id, position, shard) DO UPDATE SET count = tally_shards.count + EXCLUDED.count`;

/** What casting a ballot reads of its round. */
type BallotRound = Pick<VotingRoundEntity, 'id' | 'districtCode' | 'method' | 'status' | 'opensAt' | 'closesAt' | 'secret' | 'allowRevote' | 'maxSelections' | 'budget'>;
type BallotOption = Pick<VotingOptionEntity, 'id' | 'position' | 'cost'>;
/** The voter as the ballot's transaction reads them; null when the account is gone. */
interface BallotVoter {
  kind: AccountKind;
  residentOf: string | null;
}

export interface RoundResults extends CountResult {
  /** The options as they stood on the ballot, by position. */
  labels: { position: number; optionId: string; label: string }[];
  method: VotingMethod;
  turnout: number;
  eligibleVoters: number;
  quorum: number;
  quorumMet: boolean;
  final: boolean;
}

/** One entry of the published ballot record: no voter in a secret round. */
export interface RecordEntry {
  position: number;
  receiptHash: string;
  choices: number[];
  previousHash: string;
  entryHash: string;
  voterId: string | null;
}

/** The hash of a record entry: it covers the previous entry's hash, so any change breaks the chain. */
export function recordEntryHash(previousHash: string, receiptHash: string, choices: number[]): string {
  return createHash('sha256').update(`${previousHash}|${receiptHash}|${choices.join(',')}`).digest('hex');
}

/**
 * Voting rounds: creation and scheduling by hosts, opening and closing by the clock, ballots cast
 * once per verified resident (the database decides), secret ballots kept apart from who voted,
 * receipts and a hash-chained ballot record anyone can recount, and certification.
 */
@Injectable()
export class VotingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(VotingService.name);
  private ticker?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly proposals: ProposalsService,
    private readonly live: VotingLiveService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.live.attach(async (roundId) => {
      const round = await this.dataSource.getRepository(VotingRoundEntity).findOneBy({ id: roundId });
      if (!round) return null;
      // Read as nobody in particular: the update goes to every watcher, who see the same figures.
      const rc = new RequestContext('voting-live', null);
      const [turnout, results] = await Promise.all([this.turnoutOf(rc, round.id), this.visibleResults(round, rc)]);
      return { round, turnout, results };
    });
    this.ticker = setInterval(() => void QueryCounter.background(() => this.tick()), 1000);
    this.ticker.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
  }

  readonly byId = loaderById((ids) => this.dataSource.getRepository(VotingRoundEntity).findBy({ id: In(ids) }));

  readonly optionsOf: LoaderDefinition<string, VotingOptionEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(VotingOptionEntity).find({ where: { roundId: In([...ids]) }, order: { position: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.roundId === id));
      }),
  };

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Each round's tally shards summed by position, TURNOUT included: a fixed number of rows whatever
   * the number of ballots, one query for a page of rounds, shared by turnout and the live results.
   */
  readonly shardTotalsOf: LoaderDefinition<string, Map<number, number>> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { round_id: string; position: number; n: string }[] = await this.dataSource.query(
          `SELECT round_id, position, sum(count) AS n FROM tally_shards WHERE round_id = ANY($1) GROUP BY round_id, position`,
          [[...ids]],
        );
        const totals = new Map(ids.map((id) => [id, new Map<number, number>()]));
        for (const row of rows) totals.get(row.round_id)!.set(row.position, Number(row.n));
        return ids.map((id) => totals.get(id)!);
      }),
  };

  /** Each district's eligible voters, as the database keeps them (DistrictElectorateEntity). */
  readonly electorateOf: LoaderDefinition<string, number> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows: { district_code: string; eligible_voters: number }[] = await this.dataSource.query(
          `SELECT district_code, eligible_voters FROM district_electorates WHERE district_code = ANY($1)`,
          [[...codes]],
        );
        return codes.map((code) => rows.find((r) => r.district_code === code)?.eligible_voters ?? 0);
      }),
  };

  async turnoutOf(rc: RequestContext, roundId: string): Promise<number> {
    return (await rc.loader(this.shardTotalsOf).load(roundId)).get(TURNOUT) ?? 0;
  }

  /** Keyed by `${roundId}:${voterId}`: whether that account voted (never what). */
  readonly votedIn: LoaderDefinition<string, boolean> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows: { round_id: string; voter_id: string }[] = await this.dataSource.query(
          `SELECT round_id, voter_id FROM voting_participations WHERE (round_id, voter_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
          [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
        );
        const found = new Set(rows.map((r) => `${r.round_id}:${r.voter_id}`));
        return keys.map((key) => found.has(key));
      }),
  };

  // ---- secrets of the ballot box -------------------------------------------------------------

  private hmac(purpose: string, ...parts: string[]): string {
    return createHmac('sha256', this.config.ballotSecret).update([purpose, ...parts].join(':')).digest('hex');
  }

  /** The voter's place in a round: one ballot per slot. Without the ballot secret, it names nobody. */
  private slot(roundId: string, voterId: string): string {
    return this.hmac('slot', roundId, voterId);
  }

  /** The receipt of a ballot: derived, so a retry with the same key gives the same receipt; never stored. */
  private receipt(roundId: string, voterId: string, idempotencyKey: string): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const digest = Buffer.from(this.hmac('receipt', roundId, voterId, idempotencyKey), 'hex');
    const code = Array.from(digest.subarray(0, 20), (b) => alphabet[b % alphabet.length]).join('');
    return `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10, 15)}-${code.slice(15, 20)}`;
  }

  static receiptHash(receipt: string): string {
    return createHash('sha256').update(receipt.trim().toUpperCase()).digest('hex');
  }

  // ---- rounds --------------------------------------------------------------------------------

  private requireHost(viewer: Viewer, districtCode: string): void {
    if (!viewer.isAdmin && !viewer.hostOf.has(districtCode)) throw AppError.forbidden('Only a host of this district or an administrator can run its votes.');
  }

  async find(rc: RequestContext, id: string): Promise<VotingRoundEntity | null> {
    const round = await rc.loader(this.byId).load(id);
    // Drafts are the hosts' work in progress.
    if (round && round.status === RoundStatus.DRAFT && !(rc.viewer && (rc.viewer.isAdmin || rc.viewer.hostOf.has(round.districtCode)))) return null;
    return round;
  }

  async create(rc: RequestContext, input: CreateVotingRoundInput): Promise<VotingRoundEntity> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    this.requireHost(viewer, district.code);
    const check = new InputCheck();
    const title = check.text('title', input.title, { min: 3, max: 200 });
    const description = check.text('description', input.description, { max: 10_000, required: false, multiline: true, markup: 'markdown' });
    const method = check.oneOf('method', input.method, Object.values(VotingMethod));
    const opensAt = check.dateTime('opensAt', input.opensAt);
    const closesAt = check.dateTime('closesAt', input.closesAt);
    if (opensAt && closesAt) {
      if (closesAt.getTime() <= opensAt.getTime()) check.fail('closesAt', 'must be after opensAt');
      if (closesAt.getTime() <= this.clock.now().getTime()) check.fail('closesAt', 'is in the past');
      // An opening time already past opens the round at once; one long past is a mistake (or a date the database cannot store).
      if (opensAt.getTime() < this.clock.now().getTime() - 24 * 3600 * 1000) check.fail('opensAt', 'is more than a day in the past');
    }
    const quorum = check.integer('quorum', input.quorum ?? 0, { min: 0, max: 10_000_000 });
    const options = Array.isArray(input.options) ? input.options : [];
    if (options.length < 2 || options.length > 50) check.fail('options', 'must have 2 to 50 options');
    let maxSelections: number | null = null;
    if (method === VotingMethod.APPROVAL) maxSelections = check.integer('maxSelections', input.maxSelections ?? options.length, { min: 1, max: Math.max(1, options.length) });
    else if (input.maxSelections != null) check.fail('maxSelections', 'applies to approval rounds only');
    let budget: number | null = null;
    if (method === VotingMethod.BUDGET) {
      if (typeof input.budget !== 'number' || !Number.isFinite(input.budget) || input.budget <= 0 || input.budget > 1e12) check.fail('budget', 'must be a positive number of baht');
      else if (Number(input.budget.toFixed(2)) !== input.budget) check.fail('budget', 'may have at most two decimals (satang)');
      else budget = input.budget;
    } else if (input.budget != null) check.fail('budget', 'applies to budget rounds only');
    check.done();

    return this.unitOfWork.run(async (tx) => {
      const rows: { position: number; label: string; proposalId: string | null; cost: string | null }[] = [];
      const seen = new Set<string>();
      for (const [i, option] of options.entries()) {
        let proposal: ProposalEntity | null = null;
        // An empty id is a bad id, not "no proposal".
        if (option.proposalId !== null && option.proposalId !== undefined) {
          const id = fromGlobalId(option.proposalId, 'Proposal', check.path(`options[${i}].proposalId`));
          proposal = await tx.em.findOneBy(ProposalEntity, { id });
          if (!proposal || proposal.districtCode !== district.code) check.fail(`options[${i}].proposalId`, 'is not a proposal of this district');
          else if (!VOTABLE.includes(proposal.status)) check.fail(`options[${i}].proposalId`, `is ${proposal.status}: only qualified or heard proposals go to a vote`);
          else if (seen.has(id)) check.fail(`options[${i}].proposalId`, 'is already an option');
          seen.add(id);
        }
        const label = option.label != null ? check.text(`options[${i}].label`, option.label, { max: 200 }) : (proposal?.title ?? '');
        if (!label) check.fail(`options[${i}].label`, 'is required for an option without a proposal');
        let cost: string | null = null;
        if (method === VotingMethod.BUDGET) {
          if (typeof option.cost !== 'number' || !Number.isFinite(option.cost) || option.cost <= 0 || option.cost > 1e12) check.fail(`options[${i}].cost`, 'must be a positive number of baht');
          else if (Number(option.cost.toFixed(2)) !== option.cost) check.fail(`options[${i}].cost`, 'may have at most two decimals (satang)');
          else cost = option.cost.toFixed(2);
        } else if (option.cost != null) check.fail(`options[${i}].cost`, 'applies to budget rounds only');
        rows.push({ position: i, label, proposalId: proposal?.id ?? null, cost });
      }
      check.done();
      const round = await tx.em.save(
        tx.em.create(VotingRoundEntity, {
          districtCode: district.code,
          title,
          description,
          method,
          status: RoundStatus.DRAFT,
          opensAt: input.opensAt,
          closesAt: input.closesAt,
          secret: input.secret ?? true,
          resultsVisibility: input.resultsVisibility ?? ResultsVisibility.AFTER_CLOSE,
          allowRevote: input.allowRevote ?? false,
          quorum,
          maxSelections,
          budget: budget === null ? null : budget.toFixed(2),
          createdBy: viewer.id,
        }),
      );
      await tx.em.insert(VotingOptionEntity, rows.map((row) => ({ ...row, roundId: round.id })));
      auditAbout({ district: district.code, subject: toGlobalId('VotingRound', round.id) });
      return round;
    });
  }

  private async lockForHost(rc: RequestContext, tx: Tx, globalId: string): Promise<VotingRoundEntity> {
    const viewer = rc.requireViewer();
    const id = fromGlobalId(globalId, 'VotingRound', 'roundId');
    const round = await tx.em.findOne(VotingRoundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!round || (round.status === RoundStatus.DRAFT && !viewer.isAdmin && !viewer.hostOf.has(round.districtCode))) throw AppError.notFound('Voting round');
    auditAbout({ district: round.districtCode, subject: toGlobalId('VotingRound', round.id) });
    this.requireHost(viewer, round.districtCode);
    return round;
  }

  private static move(round: VotingRoundEntity, from: RoundStatus[], to: RoundStatus, verb: string): void {
    if (!from.includes(round.status)) throw AppError.illegalState(`Cannot ${verb} a voting round that is ${round.status}.`);
    round.status = to;
  }

  /** DRAFT → SCHEDULED: the options are frozen and the proposals on the ballot move to IN_VOTE. */
  schedule(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingService.move(round, [RoundStatus.DRAFT], RoundStatus.SCHEDULED, 'schedule');
      if (round.closesAt.getTime() <= this.clock.now().getTime()) throw AppError.illegalState('Its closing time has passed: create a new round.');
      const options = await tx.em.findBy(VotingOptionEntity, { roundId: round.id });
      for (const option of options) {
        if (!option.proposalId) continue;
        const proposal = await this.proposals.lockForUpdate(tx, option.proposalId);
        if (!proposal || !VOTABLE.includes(proposal.status)) throw AppError.illegalState(`The proposal “${option.label}” can no longer go to a vote (it is ${proposal?.status ?? 'gone'}).`);
        await this.proposals.applyAction(tx, proposal, 'putToVote', rc.viewer!.id, `On the ballot of “${round.title}”`);
      }
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  /** Before opening: the vote does not happen; proposals go back to where they were. */
  cancel(rc: RequestContext, id: string, reason: string): Promise<VotingRoundEntity> {
    const check = new InputCheck('');
    const text = check.text('reason', reason, { min: 3, max: 1000, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      const wasScheduled = round.status === RoundStatus.SCHEDULED;
      VotingService.move(round, [RoundStatus.DRAFT, RoundStatus.SCHEDULED], RoundStatus.CANCELLED, 'cancel');
      round.cancelReason = text;
      if (wasScheduled) await this.releaseProposals(tx, round, rc.viewer!.id, `The vote “${round.title}” was cancelled: ${text}`);
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  private async releaseProposals(tx: Tx, round: VotingRoundEntity, actorId: string | null, note: string): Promise<void> {
    for (const option of await tx.em.findBy(VotingOptionEntity, { roundId: round.id })) {
      const proposal = option.proposalId ? await this.proposals.lockForUpdate(tx, option.proposalId) : null;
      if (proposal?.status === ProposalStatus.IN_VOTE) await this.proposals.applyAction(tx, proposal, 'returnFromVote', actorId, note);
    }
  }

  /** A host opens early, or closes early; the clock does both on time by itself. */
  open(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingService.move(round, [RoundStatus.SCHEDULED], RoundStatus.OPEN, 'open');
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  close(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingService.move(round, [RoundStatus.OPEN], RoundStatus.CLOSED, 'close');
      return this.finishCount(tx, round);
    });
  }

  /** Counts the ballots (the authoritative count), publishes the chained record, stores the result. */
  private async finishCount(tx: Tx, round: VotingRoundEntity): Promise<VotingRoundEntity> {
    round.closedAt = this.clock.now();
    round.eligibleAtClose = await this.eligibleVoters(tx.em, round.districtCode);
    round.results = await this.count(tx.em, round, true);
    round.recordHead = await this.writeRecord(tx.em, round.id);
    const saved = await tx.em.save(round);
    this.live.stateChanged(tx, saved);
    return saved;
  }

  /** Chains the ballots in receipt-hash order (no time order to leak), writing each entry's hash. */
  private async writeRecord(em: EntityManager, roundId: string): Promise<string> {
    let previous = GENESIS;
    let position = 0;
    const batch = 5000;
    // Keyset paging on the unique (round_id, receipt_hash) index: each page costs the same, where an
    // OFFSET would re-read every ballot before it (closing 1M ballots took minutes).
    let after = '';
    for (;;) {
      const rows: { id: string; receipt_hash: string; choices: number[] }[] = await em.query(
        `SELECT id, receipt_hash, choices FROM ballots WHERE round_id = $1 AND receipt_hash > $2 ORDER BY receipt_hash LIMIT $3`,
        [roundId, after, batch],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].receipt_hash;
      const ids: string[] = [];
      const positions: number[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        previous = recordEntryHash(previous, row.receipt_hash, row.choices);
        ids.push(row.id);
        positions.push(position++);
        hashes.push(previous);
      }
      await em.query(
        `UPDATE ballots b SET record_position = v.position, record_hash = v.hash FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, position, hash) WHERE b.id = v.id`,
        [ids, positions, hashes],
      );
    }
    return previous;
  }

  /** CLOSED → CERTIFIED: the result decides. Winners are adopted, the other proposals rejected; without quorum nothing stands. */
  certify(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingService.move(round, [RoundStatus.CLOSED], RoundStatus.CERTIFIED, 'certify');
      round.certifiedAt = this.clock.now();
      round.certifiedBy = rc.viewer!.id;
      const results = round.results as RoundResults;
      const options = await tx.em.findBy(VotingOptionEntity, { roundId: round.id });
      for (const option of options) {
        const proposal = option.proposalId ? await this.proposals.lockForUpdate(tx, option.proposalId) : null;
        if (!proposal || proposal.status !== ProposalStatus.IN_VOTE) continue;
        const note = `Vote “${round.title}”: ${results.turnout} ballots`;
        if (!results.quorumMet) await this.proposals.applyAction(tx, proposal, 'returnFromVote', rc.viewer!.id, `${note}, quorum of ${round.quorum} not met`);
        else await this.proposals.applyAction(tx, proposal, results.winners.includes(option.position) ? 'adopt' : 'reject', rc.viewer!.id, note);
      }
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  /** Opens and closes rounds when their time comes. Each change is one UPDATE, so with several instances each round moves once. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.clock.now();
      const opened = returnedRows<{ id: string }>(
        await this.dataSource.query(`UPDATE voting_rounds SET status = 'OPEN', updated_at = now() WHERE status = 'SCHEDULED' AND opens_at <= $1 AND closes_at > $1 RETURNING id`, [now]),
      );
      for (const { id } of opened) this.live.publishNow(id);
      const due: { id: string }[] = await this.dataSource.query(`SELECT id FROM voting_rounds WHERE status IN ('OPEN', 'SCHEDULED') AND closes_at <= $1`, [now]);
      for (const { id } of due) {
        await this.unitOfWork.run(async (tx) => {
          const round = await tx.em.findOne(VotingRoundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
          if (!round || (round.status !== RoundStatus.OPEN && round.status !== RoundStatus.SCHEDULED) || round.closesAt.getTime() > now.getTime()) return;
          round.status = RoundStatus.CLOSED;
          await this.finishCount(tx, round);
        });
      }
    } catch (error) {
      this.logger.warn(`voting schedule check failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  // ---- ballots -------------------------------------------------------------------------------

  /**
   * One ballot per verified resident per round, enforced by the database under any concurrency: the
   * participation row (who voted) and the ballot (what was voted, under an anonymous slot) are
   * written in one transaction. A retry with the same key returns the same receipt; a second ballot
   * is ALREADY_VOTED, or with revote allowed replaces the first.
   */
  async cast(rc: RequestContext, input: CastBallotInput): Promise<{ receipt: string; replaced: boolean; repeated?: boolean }> {
    const viewer = rc.requireViewer();
    const roundId = fromGlobalId(input.roundId, 'VotingRound', 'input.roundId');
    const check = new InputCheck();
    const key = check.text('idempotencyKey', input.idempotencyKey, { min: 8, max: 100 });
    if (!Array.isArray(input.choices)) check.fail('choices', 'must be a list of option ids');
    check.done();

    const outcome = await this.unitOfWork.run(async (tx) => {
      const { round, voter, options } = await this.ballotContext(tx, roundId, viewer.id);
      if (!round || round.status === RoundStatus.DRAFT) throw AppError.notFound('Voting round');
      // Who voted when must not be set beside live tallies: a ballot's audit entry names no voter.
      auditAbout({ district: round.districtCode, subject: toGlobalId('VotingRound', round.id), anonymous: true });
      this.requireEligible(round, voter);
      const choices = this.checkChoices(round, options, input.choices);

      const receipt = this.receipt(round.id, viewer.id, key);
      const receiptHash = VotingService.receiptHash(receipt);
      const slot = this.slot(round.id, viewer.id);
      // A first ballot is one statement: the participation, then only if it is new the ballot and its counts.
      const counts = VotingService.tallyMove(round, [], choices, true)!;
      const first: unknown[] = await tx.em.query(
        `WITH first AS (INSERT INTO voting_participations (round_id, voter_id) VALUES ($1, $5) ON CONFLICT DO NOTHING RETURNING round_id),
              ballot AS (INSERT INTO ballots (round_id, slot, receipt_hash, choices, voter_id) SELECT round_id, $6, $7, $8, $9 FROM first RETURNING id),
              tally AS (${tallyUpsert('EXISTS (SELECT 1 FROM ballot)')})
         SELECT id FROM ballot`,
        [...counts, viewer.id, slot, receiptHash, choices, round.secret ? null : viewer.id],
      );
      if (first.length > 0) {
        this.live.ballotsChanged(tx, round.id);
        return { receipt, replaced: false };
      }
      const existing = await tx.em.findOne(BallotEntity, { where: { roundId, slot }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw new Error('participation without a ballot');
      if (existing.receiptHash === receiptHash) {
        if (existing.choices.join(',') !== choices.join(',')) throw AppError.conflict('This idempotency key was used for a different ballot: use a new key to change your vote.');
        return { receipt, replaced: false, repeated: true };
      }
      if (!round.allowRevote) throw new AppError(ErrorCode.ALREADY_VOTED, 'You have already voted in this round, and it does not allow changing a ballot.');
      const tally = VotingService.tallyMove(round, existing.choices, choices, false);
      if (tally) await tx.em.query(tallyUpsert(), tally);
      await tx.em.update(BallotEntity, { id: existing.id }, { choices, receiptHash });
      this.live.ballotsChanged(tx, round.id);
      return { receipt, replaced: true };
    });
    if (!outcome.repeated) this.metrics.ballots.inc({ kind: outcome.replaced ? 'replaced' : 'new' });
    return outcome;
  }

  /**
   * What a ballot is checked against, in one statement inside its transaction: the round under a
   * shared lock (ballots do not wait for each other, but closing waits for them, and they for it), the
   * voter's kind and approved residency (the viewer loaded with the token may be stale), and the options.
   */
  private async ballotContext(tx: Tx, roundId: string, voterId: string): Promise<{ round: BallotRound | null; voter: BallotVoter | null; options: BallotOption[] }> {
    const rows: {
      id: string;
      district_code: string;
      method: VotingMethod;
      status: RoundStatus;
      opens_at: Date;
      closes_at: Date;
      secret: boolean;
      allow_revote: boolean;
      max_selections: number | null;
      budget: string | null;
      kind: AccountKind | null;
      resident_of: string | null;
      options: BallotOption[];
    }[] = await tx.em.query(
      `SELECT r.id, r.district_code, r.method, r.status, r.opens_at, r.closes_at, r.secret, r.allow_revote, r.max_selections, r.budget,
              u.kind, res.district_code AS resident_of,
              (SELECT coalesce(json_agg(json_build_object('id', o.id, 'position', o.position, 'cost', o.cost::text) ORDER BY o.position), '[]')
                 FROM voting_options o WHERE o.round_id = r.id) AS options
         FROM voting_rounds r
         LEFT JOIN users u ON u.id = $2
         LEFT JOIN residencies res ON res.user_id = u.id AND res.status = $3
        WHERE r.id = $1
          FOR SHARE OF r`,
      [roundId, voterId, ResidencyStatus.APPROVED],
    );
    const row = rows[0];
    if (!row) return { round: null, voter: null, options: [] };
    const round: BallotRound = {
      id: row.id,
      districtCode: row.district_code,
      method: row.method,
      status: row.status,
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      secret: row.secret,
      allowRevote: row.allow_revote,
      maxSelections: row.max_selections,
      budget: row.budget,
    };
    return { round, voter: row.kind ? { kind: row.kind, residentOf: row.resident_of } : null, options: row.options };
  }

  private requireEligible(round: BallotRound, voter: BallotVoter | null): void {
    const now = this.clock.now().getTime();
    if (round.status === RoundStatus.SCHEDULED || (round.status === RoundStatus.OPEN && now < round.opensAt.getTime())) {
      throw new AppError(ErrorCode.VOTING_NOT_OPEN, `Voting opens at ${round.opensAt.toISOString()}.`);
    }
    if (round.status !== RoundStatus.OPEN || now >= round.closesAt.getTime()) throw new AppError(ErrorCode.VOTING_CLOSED, 'Voting in this round has closed.');
    if (!voter) throw AppError.notFound('Account');
    if (voter.kind !== AccountKind.PERSON) throw new AppError(ErrorCode.ORGANIZATION_CANNOT_VOTE, 'Organisations do not vote: one person, one vote.');
    if (!voter.residentOf) throw new AppError(ErrorCode.RESIDENCY_REQUIRED, 'Only verified residents vote: ask the district office to verify your residency.');
    if (voter.residentOf !== round.districtCode) throw new AppError(ErrorCode.WRONG_DISTRICT, 'You are a verified resident of another district.');
  }

  /** Option ids → positions, by the method's rules; BAD_USER_INPUT otherwise. */
  private checkChoices(round: BallotRound, options: BallotOption[], given: string[]): number[] {
    const field = 'input.choices';
    const positions: number[] = [];
    for (const [i, id] of given.entries()) {
      const parsed = typeof id === 'string' ? parseGlobalId(id) : null;
      const option = parsed?.type === 'VotingOption' ? options.find((o) => o.id === parsed.id.toLowerCase()) : undefined;
      if (!option) throw AppError.badInput([{ field: `${field}[${i}]`, message: 'is not an option of this round' }]);
      positions.push(option.position);
    }
    if (new Set(positions).size !== positions.length) throw AppError.badInput([{ field, message: 'names an option twice' }]);
    if (positions.length === 0) throw AppError.badInput([{ field, message: 'is empty: choose at least one option' }]);
    switch (round.method) {
      case VotingMethod.SINGLE_CHOICE:
        if (positions.length !== 1) throw AppError.badInput([{ field, message: 'must name exactly one option' }]);
        break;
      case VotingMethod.APPROVAL:
        if (positions.length > (round.maxSelections ?? options.length)) throw AppError.badInput([{ field, message: `may mark at most ${round.maxSelections} options` }]);
        break;
      case VotingMethod.RANKED_CHOICE:
        break;
      case VotingMethod.BUDGET: {
        const spent = positions.reduce((sum, p) => sum + Number(options[p].cost), 0);
        if (spent > Number(round.budget)) throw AppError.badInput([{ field, message: `costs ${spent} baht, over the budget of ${Number(round.budget)}` }]);
        break;
      }
    }
    return round.method === VotingMethod.RANKED_CHOICE ? positions : positions.sort((a, b) => a - b);
  }

  /** The parameters of tallyUpsert moving the counts from the old choices to the new ones, on a random shard; null when nothing moves. */
  private static tallyMove(round: Pick<VotingRoundEntity, 'id' | 'method'>, before: number[], after: number[], newBallot: boolean): [string, number, number[], number[]] | null {
    const counted = (choices: number[]) => (round.method === VotingMethod.RANKED_CHOICE ? choices.slice(0, 1) : choices);
    const delta = new Map<number, number>();
    if (newBallot) delta.set(TURNOUT, 1);
    for (const p of counted(before)) delta.set(p, (delta.get(p) ?? 0) - 1);
    for (const p of counted(after)) delta.set(p, (delta.get(p) ?? 0) + 1);
    const changes = [...delta.entries()].filter(([, d]) => d !== 0).sort(([a], [b]) => a - b);
    if (!changes.length) return null;
    return [round.id, Math.floor(Math.random() * SHARDS), changes.map(([p]) => p), changes.map(([, d]) => d)];
  }

  // ---- results -------------------------------------------------------------------------------

  /** The district's verified residents: one row, which the database keeps exact (DistrictElectorateEntity). */
  async eligibleVoters(em: EntityManager, districtCode: string): Promise<number> {
    const rows: { eligible_voters: number }[] = await em.query(`SELECT eligible_voters FROM district_electorates WHERE district_code = $1`, [districtCode]);
    return rows[0]?.eligible_voters ?? 0;
  }

  /** The live count from the shards' totals (ranked choice: first preferences only). */
  static liveCounts(totals: Map<number, number>, optionCount: number): CountResult {
    const groups: BallotGroup[] = [...totals].filter(([position]) => position >= 0).map(([position, count]) => ({ choices: [position], count }));
    const ballots = totals.get(TURNOUT) ?? 0;
    const marks = countMarks(groups, optionCount);
    return { ...marks, ballots, options: marks.options.map((o) => ({ ...o, share: ballots ? o.votes / ballots : 0 })) };
  }

  /** The authoritative count, from the ballots themselves, grouped by identical choices. */
  async count(em: EntityManager, round: VotingRoundEntity, final: boolean): Promise<RoundResults> {
    const options = await em.find(VotingOptionEntity, { where: { roundId: round.id }, order: { position: 'ASC' } });
    const rows: { choices: number[]; n: string }[] = await em.query(`SELECT choices, count(*) AS n FROM ballots WHERE round_id = $1 GROUP BY choices`, [round.id]);
    const groups = rows.map((r) => ({ choices: r.choices, count: Number(r.n) }));
    const result = VotingService.countGroups(round, options, groups);
    return {
      ...result,
      labels: VotingService.labels(options),
      method: round.method,
      turnout: result.ballots,
      eligibleVoters: round.eligibleAtClose ?? (await this.eligibleVoters(em, round.districtCode)),
      quorum: round.quorum,
      quorumMet: result.ballots >= round.quorum,
      final,
    };
  }

  static labels(options: VotingOptionEntity[]): RoundResults['labels'] {
    return options.map((o) => ({ position: o.position, optionId: toGlobalId('VotingOption', o.id), label: o.label }));
  }

  /** The same count from any ballot list: what a recount from the published record runs. */
  static countGroups(round: Pick<VotingRoundEntity, 'method' | 'budget'>, options: Pick<VotingOptionEntity, 'cost'>[], groups: BallotGroup[]): CountResult {
    switch (round.method) {
      case VotingMethod.RANKED_CHOICE:
        return countInstantRunoff(groups, options.length);
      case VotingMethod.BUDGET:
        return countBudget(groups, options.map((o) => Number(o.cost)), Number(round.budget));
      default:
        return countMarks(groups, options.length);
    }
  }

  /**
   * What the viewer may see of the result: after closing for everyone; live only when the round says
   * so. Read through the request's loaders: the turnout and options fields read the same rows.
   */
  async visibleResults(round: VotingRoundEntity, rc: RequestContext): Promise<RoundResults | null> {
    if (round.status === RoundStatus.CLOSED || round.status === RoundStatus.CERTIFIED) return round.results as RoundResults;
    if (round.status !== RoundStatus.OPEN || round.resultsVisibility !== ResultsVisibility.LIVE) return null;
    const [options, totals, eligibleVoters] = await Promise.all([
      rc.loader(this.optionsOf).load(round.id),
      rc.loader(this.shardTotalsOf).load(round.id),
      rc.loader(this.electorateOf).load(round.districtCode),
    ]);
    const live = VotingService.liveCounts(totals, options.length);
    return { ...live, labels: VotingService.labels(options), method: round.method, turnout: live.ballots, eligibleVoters, quorum: round.quorum, quorumMet: live.ballots >= round.quorum, final: false };
  }

  /** The published record, after closing: every counted ballot as (receipt hash, choices), chained. */
  async record(roundGlobalId: string, page: PageArgs): Promise<ConnectionShape<RecordEntry>> {
    const round = await this.requireClosed(roundGlobalId);
    const query = this.dataSource.getRepository(BallotEntity).createQueryBuilder('b').where('b.round_id = :id', { id: round.id });
    const connection = await paginate(query, page, { columns: [{ sql: 'b.record_position', value: (b) => b.recordPosition ?? 0 }], direction: 'ASC' }, (b) => b);
    const previous = new Map<number, string>();
    const firstPosition = connection.edges[0]?.node.recordPosition ?? 0;
    if (firstPosition > 0) {
      const before = await this.dataSource.getRepository(BallotEntity).findOneBy({ roundId: round.id, recordPosition: firstPosition - 1 });
      previous.set(firstPosition, before?.recordHash ?? GENESIS);
    } else previous.set(0, GENESIS);
    const edges = connection.edges.map((edge, i) => {
      const b = edge.node;
      const prev = i === 0 ? previous.get(b.recordPosition!)! : connection.edges[i - 1].node.recordHash!;
      return { cursor: edge.cursor, node: { position: b.recordPosition!, receiptHash: b.receiptHash, choices: b.choices, previousHash: prev, entryHash: b.recordHash!, voterId: round.secret ? null : b.voterId } };
    });
    return { ...connection, edges };
  }

  private async requireClosed(roundGlobalId: string): Promise<VotingRoundEntity> {
    const id = fromGlobalId(roundGlobalId, 'VotingRound', 'roundId');
    const round = await this.dataSource.getRepository(VotingRoundEntity).findOneBy({ id });
    if (!round || round.status === RoundStatus.DRAFT) throw AppError.notFound('Voting round');
    if (round.status !== RoundStatus.CLOSED && round.status !== RoundStatus.CERTIFIED) throw AppError.illegalState('The ballot record is published when the round closes.');
    return round;
  }

  /** Whether a receipt's ballot is counted; with the choices, which only the receipt's holder can ask for. */
  async verifyReceipt(roundGlobalId: string, receipt: string): Promise<{ counted: boolean; choices: number[] | null; position: number | null; entryHash: string | null }> {
    const id = fromGlobalId(roundGlobalId, 'VotingRound', 'roundId');
    const check = new InputCheck('');
    const text = check.text('receipt', receipt, { max: 40 });
    check.done();
    const ballot = await this.dataSource.getRepository(BallotEntity).findOneBy({ roundId: id, receiptHash: VotingService.receiptHash(text) });
    if (!ballot) return { counted: false, choices: null, position: null, entryHash: null };
    return { counted: true, choices: ballot.choices, position: ballot.recordPosition, entryHash: ballot.recordHash };
  }

  async hasVoted(rc: RequestContext, roundId: string): Promise<boolean> {
    return rc.viewer ? rc.loader(this.votedIn).load(`${roundId}:${rc.viewer.id}`) : false;
  }

  async inDistrict(rc: RequestContext, districtCode: string, page: PageArgs): Promise<ConnectionShape<VotingRoundEntity>> {
    const district = await this.districts.require(districtCode);
    const query = this.dataSource.getRepository(VotingRoundEntity).createQueryBuilder('r').where('r.district_code = :code', { code: district.code });
    if (!rc.isHostOf(district.code)) query.andWhere(`r.status <> 'DRAFT'`);
    return paginate(query, page, { columns: [{ sql: 'r.opens_at', value: (r) => r.opensAt }, { sql: 'r.id', value: (r) => r.id }], direction: 'DESC' }, (r) => r);
  }
}

