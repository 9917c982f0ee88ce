import { auditAbout } from '../audit/audit-scope';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { RequestContext, Viewer } from '../common/context/request-context';
import { AppError, Message, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { DistrictNews } from '../following';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { ProposalsService } from '../proposals/proposals.service';
import { BallotRecord } from './ballot-record.service';
import { CreateVotingRoundInput } from './dto/voting.input';
import { ResultsVisibility, RoundStatus, VotingMethod, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { DEFAULT_LIVE_BATCH, RoundResults, VoteCounter } from './vote-counter.service';
import { VotingLiveService } from './voting-live.service';
import { VotingLoaders } from './voting-loaders';
import { PROPOSAL_ACTIONS } from '../proposals/proposal-lifecycle';

/** The moves of a round's state machine, each with its verb in the catalogue (errors.voting.actions.*). */
export const ROUND_ACTIONS = ['schedule', 'cancel', 'open', 'close', 'certify'] as const;
type RoundAction = (typeof ROUND_ACTIONS)[number];

/** Proposals that may be put on a ballot. */
const VOTABLE: readonly ProposalStatus[] = PROPOSAL_ACTIONS.putToVote.from;

/**
 * Voting rounds and their life: created and scheduled by hosts, opened and closed (by hosts, or by
 * the clock: VotingClock), counted and recorded at closing, certified. Ballots are the ballot box's
 * (BallotBox), the count the counter's (VoteCounter), the published record BallotRecord's.
 */
@Injectable()
export class VotingRoundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly proposals: ProposalsService,
    private readonly loaders: VotingLoaders,
    private readonly counter: VoteCounter,
    private readonly record: BallotRecord,
    private readonly live: VotingLiveService,
    private readonly clock: Clock,
    private readonly news: DistrictNews,
  ) {}

  /** A round opened (by a host or on time) is news for its district's followers and residents, told in the opening transaction. */
  tellOpened(tx: Tx, round: Pick<VotingRoundEntity, 'id' | 'districtCode' | 'title'>): Promise<void> {
    return this.news.tell(tx, { districtCode: round.districtCode, topic: 'VOTE', subjectType: 'VotingRound', subjectId: round.id, title: { th: round.title } });
  }

  private requireHost(viewer: Viewer, districtCode: string): void {
    if (!viewer.isAdmin && !viewer.hostOf.has(districtCode)) throw AppError.forbidden(msg('errors.voting.hostsOnly'));
  }

  async find(rc: RequestContext, id: string): Promise<VotingRoundEntity | null> {
    return this.visible(rc, await rc.loader(this.loaders.byId).load(id));
  }

  /** The same, with its live count read in the same statement (VotingLoaders.withLiveCount): for the round's own page. */
  async findWithLiveCount(rc: RequestContext, id: string): Promise<VotingRoundEntity | null> {
    return this.visible(rc, await this.loaders.withLiveCount(rc, id));
  }

  private visible(rc: RequestContext, round: VotingRoundEntity | null): VotingRoundEntity | null {
    // Drafts are the hosts' work in progress.
    if (round && round.status === RoundStatus.DRAFT && !(rc.viewer && (rc.viewer.isAdmin || rc.viewer.hostOf.has(round.districtCode)))) return null;
    return round;
  }

  async inDistrict(rc: RequestContext, districtCode: string, page: PageArgs): Promise<ConnectionShape<VotingRoundEntity>> {
    const district = await this.districts.require(districtCode);
    const query = this.dataSource.getRepository(VotingRoundEntity).createQueryBuilder('r').where('r.district_code = :code', { code: district.code });
    if (!rc.isHostOf(district.code)) query.andWhere(`r.status <> 'DRAFT'`);
    return paginate(query, page, { columns: [{ sql: 'r.opens_at', value: (r) => r.opensAt }, { sql: 'r.id', value: (r) => r.id }], direction: 'DESC' }, (r) => r);
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
      if (closesAt.getTime() <= opensAt.getTime()) check.fail('closesAt', msg('errors.voting.closesAfterOpens'));
      if (closesAt.getTime() <= this.clock.now().getTime()) check.fail('closesAt', msg('errors.input.inPast'));
      // An opening time already past opens the round at once; one long past is a mistake (or a date the database cannot store).
      if (opensAt.getTime() < this.clock.now().getTime() - 24 * 3600 * 1000) check.fail('opensAt', msg('errors.voting.opensTooLongAgo'));
    }
    const quorum = check.integer('quorum', input.quorum ?? 0, { min: 0, max: 10_000_000 });
    const options = Array.isArray(input.options) ? input.options : [];
    if (options.length < 2 || options.length > 50) check.fail('options', msg('errors.voting.optionCount'));
    // An empty id is a bad id, not "no proposal".
    const proposalIds = options.map((option, i) => (option.proposalId != null ? check.globalId(`options[${i}].proposalId`, option.proposalId, 'Proposal') : null));
    // Ranked choice is instant runoff, which elects one option (several would need STV); a budget round funds while the money lasts.
    let seats: number | null = null;
    if (method === VotingMethod.BUDGET) {
      if (input.seats != null) check.fail('seats', msg('errors.voting.seatsNotBudget'));
    } else if (method === VotingMethod.RANKED_CHOICE) {
      if (input.seats != null && input.seats !== 1) check.fail('seats', msg('errors.voting.seatsRanked'));
      seats = 1;
    } else if (method) seats = check.integer('seats', input.seats ?? 1, { min: 1, max: Math.max(1, options.length - 1) });
    const secret = input.secret ?? true;
    const resultsVisibility = input.resultsVisibility ?? ResultsVisibility.AFTER_CLOSE;
    let liveBatchSize: number | null = null;
    if (secret && resultsVisibility === ResultsVisibility.LIVE) liveBatchSize = check.integer('liveBatchSize', input.liveBatchSize ?? DEFAULT_LIVE_BATCH, { min: 10, max: 10_000 });
    else if (input.liveBatchSize != null) check.fail('liveBatchSize', msg('errors.voting.liveBatchSecretOnly'));
    let maxSelections: number | null = null;
    if (method === VotingMethod.APPROVAL) maxSelections = check.integer('maxSelections', input.maxSelections ?? options.length, { min: 1, max: Math.max(1, options.length) });
    else if (input.maxSelections != null) check.fail('maxSelections', msg('errors.voting.approvalOnly'));
    let budget: number | null = null;
    if (method === VotingMethod.BUDGET) {
      if (typeof input.budget !== 'number' || !Number.isFinite(input.budget) || input.budget <= 0 || input.budget > 1e12) check.fail('budget', msg('errors.input.positiveBaht'));
      else if (Number(input.budget.toFixed(2)) !== input.budget) check.fail('budget', msg('errors.input.satang'));
      else budget = input.budget;
    } else if (input.budget != null) check.fail('budget', msg('errors.voting.budgetOnly'));
    check.done();

    return this.unitOfWork.run(async (tx) => {
      const rows: { position: number; label: string; proposalId: string | null; cost: string | null }[] = [];
      const seen = new Set<string>();
      for (const [i, option] of options.entries()) {
        let proposal: ProposalEntity | null = null;
        const id = proposalIds[i];
        if (id) {
          proposal = await tx.em.findOneBy(ProposalEntity, { id });
          if (!proposal || proposal.districtCode !== district.code) check.fail(`options[${i}].proposalId`, msg('errors.input.notProposalOfDistrict'));
          else if (!VOTABLE.includes(proposal.status)) check.fail(`options[${i}].proposalId`, msg('errors.voting.notVotable', { status: proposal.status }));
          else if (seen.has(id)) check.fail(`options[${i}].proposalId`, msg('errors.voting.alreadyOption'));
          seen.add(id);
        }
        const label = option.label != null ? check.text(`options[${i}].label`, option.label, { max: 200 }) : (proposal?.title ?? '');
        if (!label) check.fail(`options[${i}].label`, msg('errors.voting.labelRequired'));
        let cost: string | null = null;
        if (method === VotingMethod.BUDGET) {
          if (typeof option.cost !== 'number' || !Number.isFinite(option.cost) || option.cost <= 0 || option.cost > 1e12) check.fail(`options[${i}].cost`, msg('errors.input.positiveBaht'));
          else if (Number(option.cost.toFixed(2)) !== option.cost) check.fail(`options[${i}].cost`, msg('errors.input.satang'));
          else cost = option.cost.toFixed(2);
        } else if (option.cost != null) check.fail(`options[${i}].cost`, msg('errors.voting.budgetOnly'));
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
          secret,
          resultsVisibility,
          liveBatchSize,
          allowRevote: input.allowRevote ?? false,
          quorum,
          seats,
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
    const id = fromGlobalId(globalId, 'VotingRound', 'input.roundId');
    const round = await tx.em.findOne(VotingRoundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!round || (round.status === RoundStatus.DRAFT && !viewer.isAdmin && !viewer.hostOf.has(round.districtCode))) throw AppError.notFound('VotingRound');
    auditAbout({ district: round.districtCode, subject: toGlobalId('VotingRound', round.id) });
    this.requireHost(viewer, round.districtCode);
    return round;
  }

  private static move(round: VotingRoundEntity, from: RoundStatus[], to: RoundStatus, verb: RoundAction): void {
    if (!from.includes(round.status)) throw AppError.illegalState(msg('errors.voting.cannot', { action: msg(`errors.voting.actions.${verb}`), status: round.status }));
    round.status = to;
  }

  /** DRAFT → SCHEDULED: the options are frozen and the proposals on the ballot move to IN_VOTE. */
  schedule(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingRoundsService.move(round, [RoundStatus.DRAFT], RoundStatus.SCHEDULED, 'schedule');
      if (round.closesAt.getTime() <= this.clock.now().getTime()) throw AppError.illegalState(msg('errors.voting.closingPassed'));
      const options = await tx.em.findBy(VotingOptionEntity, { roundId: round.id });
      for (const option of options) {
        if (!option.proposalId) continue;
        const proposal = await this.proposals.lockForUpdate(tx, option.proposalId);
        if (!proposal || !VOTABLE.includes(proposal.status)) throw AppError.illegalState(msg('errors.voting.proposalNoLongerVotable', { label: option.label, status: proposal?.status ?? 'gone' }));
        await this.proposals.applyAction(tx, proposal, 'putToVote', rc.viewer!.id, msg('notifications.statusNotes.onBallot', { round: round.title }));
      }
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  /** Before opening: the vote does not happen; proposals go back to where they were. */
  cancel(rc: RequestContext, id: string, reason: string): Promise<VotingRoundEntity> {
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: 1000, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      const wasScheduled = round.status === RoundStatus.SCHEDULED;
      VotingRoundsService.move(round, [RoundStatus.DRAFT, RoundStatus.SCHEDULED], RoundStatus.CANCELLED, 'cancel');
      round.cancelReason = text;
      if (wasScheduled) await this.releaseProposals(tx, round, rc.viewer!.id, msg('notifications.statusNotes.voteCancelled', { round: round.title, reason: text }));
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  private async releaseProposals(tx: Tx, round: VotingRoundEntity, actorId: string | null, note: Message): Promise<void> {
    for (const option of await tx.em.findBy(VotingOptionEntity, { roundId: round.id })) {
      const proposal = option.proposalId ? await this.proposals.lockForUpdate(tx, option.proposalId) : null;
      if (proposal?.status === ProposalStatus.IN_VOTE) await this.proposals.applyAction(tx, proposal, 'returnFromVote', actorId, note);
    }
  }

  /** A host opens early, or closes early; the clock does both on time by itself. */
  open(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingRoundsService.move(round, [RoundStatus.SCHEDULED], RoundStatus.OPEN, 'open');
      const saved = await tx.em.save(round);
      await this.tellOpened(tx, saved);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }

  close(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingRoundsService.move(round, [RoundStatus.OPEN], RoundStatus.CLOSED, 'close');
      return this.finishCount(tx, round);
    });
  }

  /** Closing, by a host or the clock: counts the ballots (the authoritative count), publishes the chained record, stores the result. */
  async finishCount(tx: Tx, round: VotingRoundEntity): Promise<VotingRoundEntity> {
    round.closedAt = this.clock.now();
    round.eligibleAtClose = await this.counter.eligibleVoters(tx.em, round.districtCode);
    // The record first: its head is the seed of the lot that breaks ties in the count.
    const record = await this.record.write(tx.em, round.id);
    round.recordHead = record.head;
    round.results = await this.counter.count(tx.em, round, record.head, record.groups, true);
    const saved = await tx.em.save(round);
    this.live.stateChanged(tx, saved);
    return saved;
  }

  /** CLOSED → CERTIFIED: the result decides. Winners are adopted, the other proposals rejected; without quorum nothing stands. */
  certify(rc: RequestContext, id: string): Promise<VotingRoundEntity> {
    return this.unitOfWork.run(async (tx) => {
      const round = await this.lockForHost(rc, tx, id);
      VotingRoundsService.move(round, [RoundStatus.CLOSED], RoundStatus.CERTIFIED, 'certify');
      round.certifiedAt = this.clock.now();
      round.certifiedBy = rc.viewer!.id;
      const results = round.results as RoundResults;
      const options = await tx.em.findBy(VotingOptionEntity, { roundId: round.id });
      for (const option of options) {
        const proposal = option.proposalId ? await this.proposals.lockForUpdate(tx, option.proposalId) : null;
        if (!proposal || proposal.status !== ProposalStatus.IN_VOTE) continue;
        const counted = { round: round.title, turnout: results.turnout };
        if (!results.quorumMet) await this.proposals.applyAction(tx, proposal, 'returnFromVote', rc.viewer!.id, msg('notifications.statusNotes.quorumNotMet', { ...counted, quorum: round.quorum }));
        else await this.proposals.applyAction(tx, proposal, results.winners.includes(option.position) ? 'adopt' : 'reject', rc.viewer!.id, msg('notifications.statusNotes.voteCounted', counted));
      }
      const saved = await tx.em.save(round);
      this.live.stateChanged(tx, saved);
      return saved;
    });
  }
}
