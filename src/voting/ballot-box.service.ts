import { createHash, createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { ResidencyStatus } from '../accounts/entities/residency.entity';
import { AccountKind } from '../accounts/entities/user.entity';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { fromGlobalId, parseGlobalId, toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MetricsService } from '../metrics/metrics.service';
import { auditInsertSql, auditParams, Tx, UnitOfWork } from '../database/unit-of-work';
import { BallotRecord, choiceIds } from './ballot-record.service';
import { CastBallotInput } from './dto/voting.input';
import { BallotEntity, ReplacedReceiptEntity, RoundStatus, VotingMethod, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { tallyMove, tallyUpsert } from './tally-shards';
import { VotingLiveService } from './voting-live.service';
import { VotingLoaders } from './voting-loaders';
import { VotingRefusal } from './voting-refusals';

/** What a cast answers: `repeated` (not shown) when it was a retry, which changed nothing. */
export interface CastOutcome {
  receipt: string;
  replaced: boolean;
  superseded: boolean;
  repeated?: boolean;
}

/** What casting a ballot reads of its round. */
type BallotRound = Pick<VotingRoundEntity, 'id' | 'districtCode' | 'method' | 'status' | 'opensAt' | 'closesAt' | 'cancelReason' | 'secret' | 'allowRevote' | 'maxSelections' | 'budget'>;
type BallotOption = Pick<VotingOptionEntity, 'id' | 'position' | 'cost'>;
/** The voter as the ballot's transaction reads them; null when the account is gone. */
interface BallotVoter {
  kind: AccountKind;
  residentOf: string | null;
}

/**
 * The ballot box: one ballot per verified resident per round (the database decides), secret ballots
 * kept apart from who voted under an anonymous slot, receipts that let a voter check their ballot.
 */
@Injectable()
export class BallotBox {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly loaders: VotingLoaders,
    private readonly live: VotingLiveService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly record: BallotRecord,
  ) {}

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

  // ---- ballots -------------------------------------------------------------------------------

  /**
   * One ballot per verified resident per round, enforced by the database under any concurrency: the
   * participation row (who voted) and the ballot (what was voted, under an anonymous slot) are
   * written in one transaction. A second ballot is ALREADY_VOTED, or with revote allowed replaces the
   * first. A retry (the same key, so the same receipt) is a pure replay, decided under the lock of the
   * voter's ballot: it changes nothing and answers as the first time, `superseded` when a later ballot
   * has replaced that one since.
   */
  async cast(rc: RequestContext, input: CastBallotInput): Promise<CastOutcome> {
    rc.viewerWithheld = true;
    const viewer = rc.requireViewer();
    const roundId = fromGlobalId(input.roundId, 'VotingRound', 'input.roundId');
    const check = new InputCheck();
    const key = check.text('idempotencyKey', input.idempotencyKey, { min: 8, max: 100 });
    if (!Array.isArray(input.choices)) check.fail('choices', msg('errors.voting.choicesList'));
    else input.choices.forEach((choice, i) => check.globalId(`choices[${i}]`, choice, 'VotingOption'));
    check.done();

    const outcome = await this.unitOfWork.run(async (tx): Promise<CastOutcome> => {
      const { round, voter, options } = await this.ballotContext(tx, roundId, viewer.id);
      if (!round || round.status === RoundStatus.DRAFT) throw AppError.notFound('VotingRound');
      // Who voted when must not be set beside live tallies: a ballot's audit entry names no voter.
      auditAbout({ district: round.districtCode, subject: toGlobalId('VotingRound', round.id), anonymous: true });
      this.requireEligible(round, voter);
      const choices = this.checkChoices(round, options, input.choices);

      const receipt = this.receipt(round.id, viewer.id, key);
      const receiptHash = BallotBox.receiptHash(receipt);
      const slot = this.slot(round.id, viewer.id);
      // A first ballot is one statement: the participation, then only if it is new the ballot, its counts
      // and the mutation's audit entry.
      const counts = tallyMove(round, [], choices, true);
      const audit = tx.pendingAudit();
      const first: unknown[] = await tx.em.query(
        `WITH first AS (INSERT INTO voting_participations (round_id, voter_id) VALUES ($1, $5) ON CONFLICT DO NOTHING RETURNING round_id),
              ballot AS (INSERT INTO ballots (round_id, slot, receipt_hash, choices, voter_id) SELECT round_id, $6, $7, $8, $9 FROM first RETURNING id),
              tally AS (${tallyUpsert('EXISTS (SELECT 1 FROM ballot)')})${audit ? `,
              audit AS (${auditInsertSql(10, 'FROM first')})` : ''}
         SELECT id FROM ballot`,
        [...counts, viewer.id, slot, receiptHash, choices, round.secret ? null : viewer.id, ...(audit ? auditParams(audit.row) : [])],
      );
      if (first.length > 0) {
        audit?.written();
        this.live.ballotsChanged(tx, round.id);
        return { receipt, replaced: false, superseded: false };
      }
      // The voter's ballot, locked: their simultaneous requests are decided one after the other, each
      // seeing what the one before committed (the lock is taken before the replaced receipts are read).
      const existing = await tx.em.findOne(BallotEntity, { where: { roundId, slot }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw new Error('participation without a ballot');
      if (existing.receiptHash === receiptHash) {
        if (existing.choices.join(',') !== choices.join(',')) throw AppError.conflict(msg('errors.voting.idempotencyKeyReused'));
        return { receipt, replaced: existing.replaced, superseded: false, repeated: true };
      }
      const earlier = await tx.em.findOneBy(ReplacedReceiptEntity, { roundId, receiptHash });
      if (earlier) return { receipt, replaced: earlier.replaced, superseded: true, repeated: true };
      if (!round.allowRevote) throw new AppError(ErrorCode.ALREADY_VOTED, msg('errors.voting.alreadyVotedNoRevote'));
      await tx.em.query(tallyUpsert(), tallyMove(round, existing.choices, choices, false));
      await tx.em.insert(ReplacedReceiptEntity, { roundId, receiptHash: existing.receiptHash, replaced: existing.replaced });
      await tx.em.update(BallotEntity, { id: existing.id }, { choices, receiptHash, replaced: true });
      this.live.ballotsChanged(tx, round.id);
      return { receipt, replaced: true, superseded: false };
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
      cancel_reason: string | null;
      secret: boolean;
      allow_revote: boolean;
      max_selections: number | null;
      budget: string | null;
      kind: AccountKind | null;
      resident_of: string | null;
      options: BallotOption[];
    }[] = await tx.em.query(
      `SELECT r.id, r.district_code, r.method, r.status, r.opens_at, r.closes_at, r.cancel_reason, r.secret, r.allow_revote, r.max_selections, r.budget,
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
      cancelReason: row.cancel_reason,
      secret: row.secret,
      allowRevote: row.allow_revote,
      maxSelections: row.max_selections,
      budget: row.budget,
    };
    return { round, voter: row.kind ? { kind: row.kind, residentOf: row.resident_of } : null, options: row.options };
  }

  /** The round's status decides whether it takes ballots (a host may open it before opensAt); its closing time is checked too, as the clock job may not have run yet. */
  private requireEligible(round: BallotRound, voter: BallotVoter | null): void {
    if (round.status === RoundStatus.SCHEDULED) throw VotingRefusal.notOpenYet(round.opensAt);
    if (round.status === RoundStatus.CANCELLED) throw VotingRefusal.cancelled(round.cancelReason);
    if (round.status !== RoundStatus.OPEN || this.clock.now().getTime() >= round.closesAt.getTime()) throw VotingRefusal.closed();
    if (!voter) throw AppError.notFound('Account');
    if (voter.kind !== AccountKind.PERSON) throw new AppError(ErrorCode.ORGANIZATION_CANNOT_VOTE);
    if (!voter.residentOf) throw new AppError(ErrorCode.RESIDENCY_REQUIRED);
    if (voter.residentOf !== round.districtCode) throw new AppError(ErrorCode.WRONG_DISTRICT);
  }

  /** Option ids → positions, by the method's rules; BAD_USER_INPUT otherwise. */
  private checkChoices(round: BallotRound, options: BallotOption[], given: string[]): number[] {
    const field = 'input.choices';
    const positions: number[] = [];
    for (const [i, id] of given.entries()) {
      const parsed = typeof id === 'string' ? parseGlobalId(id) : null;
      const option = parsed?.type === 'VotingOption' ? options.find((o) => o.id === parsed.id.toLowerCase()) : undefined;
      if (!option) throw AppError.badInput([{ field: `${field}[${i}]`, message: msg('errors.voting.notOption') }]);
      positions.push(option.position);
    }
    if (new Set(positions).size !== positions.length) throw AppError.badInput([{ field, message: msg('errors.voting.optionTwice') }]);
    if (positions.length === 0) throw AppError.badInput([{ field, message: msg('errors.voting.noChoice') }]);
    switch (round.method) {
      case VotingMethod.SINGLE_CHOICE:
        if (positions.length !== 1) throw AppError.badInput([{ field, message: msg('errors.voting.exactlyOne') }]);
        break;
      case VotingMethod.APPROVAL:
        if (positions.length > (round.maxSelections ?? options.length)) throw AppError.badInput([{ field, message: msg('errors.voting.tooManyMarks', { max: round.maxSelections }) }]);
        break;
      case VotingMethod.RANKED_CHOICE:
        break;
      case VotingMethod.BUDGET: {
        const spent = positions.reduce((sum, p) => sum + Number(options[p].cost), 0);
        if (spent > Number(round.budget)) throw AppError.badInput([{ field, message: msg('errors.voting.overBudget', { spent, budget: Number(round.budget) }) }]);
        break;
      }
    }
    return round.method === VotingMethod.RANKED_CHOICE ? positions : positions.sort((a, b) => a - b);
  }

  /** Whether a receipt's ballot is counted, or was replaced by a later one; with the choices, which only the receipt's holder can ask for. */
  async verifyReceipt(
    rc: RequestContext,
    roundGlobalId: string,
    receipt: string,
  ): Promise<{ counted: boolean; superseded: boolean; optionIds: string[] | null; position: number | null; entryHash: string | null }> {
    const id = fromGlobalId(roundGlobalId, 'VotingRound', 'roundId');
    const check = new InputCheck('');
    const text = check.text('receipt', receipt, { max: 40 });
    check.done();
    const receiptHash = BallotBox.receiptHash(text);
    const ballot = await this.dataSource.getRepository(BallotEntity).findOneBy({ roundId: id, receiptHash });
    if (ballot) {
      const optionIds = choiceIds(ballot.choices, await rc.loader(this.loaders.optionsOf).load(id));
      const entry = await this.record.locate(id, receiptHash);
      return { counted: true, superseded: false, optionIds, position: entry?.position ?? null, entryHash: entry?.entryHash ?? null };
    }
    const superseded = await this.dataSource.getRepository(ReplacedReceiptEntity).existsBy({ roundId: id, receiptHash });
    return { counted: false, superseded, optionIds: null, position: null, entryHash: null };
  }

  async hasVoted(rc: RequestContext, roundId: string): Promise<boolean> {
    return rc.viewer ? rc.loader(this.loaders.votedIn).load(`${roundId}:${rc.viewer.id}`) : false;
  }

}
