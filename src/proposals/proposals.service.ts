import { accountAsShown } from '../accounts/erasure/deleted-account';
import { Inject, Injectable } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import DataLoader from 'dataloader';
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { UsersService } from '../accounts/users.service';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, Message, msg, Note } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { Alongside, ConnectionShape, KeysetColumn, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { normalizeForSearch, searchWords } from '../common/text/search-words';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictEntity } from '../districts/district.entity';
import { DistrictsService } from '../districts/districts.service';
import { checkBangkokPoint } from '../districts/bangkok-area';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { channel, EventBus } from '../realtime/event-bus';
import { CreateProposalInput, LocationInput, PostProgressUpdateInput, ProposalFilter, ProposalOrder, UpdateProposalInput } from './dto/proposal.input';
import { ProposalCategory, ProposalEntity, ProposalStatus } from './entities/proposal.entity';
import {
  ProposalEndorsementEntity,
  ProposalProgressEntity,
  ProposalRevisionEntity,
  ProposalSponsorEntity,
  ProposalTransitionEntity,
  SponsorshipStatus,
} from './entities/proposal-records.entity';
import { EDITABLE_STATUSES, ENDORSABLE_STATUSES, nextStatus, ProposalAction } from './proposal-lifecycle';
import { ProposalUpdateKind } from './proposal.type';

/** Channels of a proposal's changes: one per proposal (`proposalUpdated:<id>`), one per district. */
export const PROPOSAL_UPDATED = 'proposalUpdated';
export const PROPOSALS_IN_DISTRICT_UPDATED = 'proposalsInDistrictUpdated';

/** What crosses the pub/sub when a proposal changes: enough to decide who may hear of it without a query. */
export interface ProposalUpdatedEvent {
  proposalId: string;
  districtCode: string;
  kind: ProposalUpdateKind;
  status: ProposalStatus;
  /** Whether it was ever published: a never-published one stays its author's and co-sponsors'. */
  published: boolean;
  authorId: string;
  /** Invited and accepted co-sponsors, who see more than the public does. */
  sponsors: { userId: string; status: SponsorshipStatus }[];
}

/** A step of a proposal's life, as another capability hears of it within the step's transaction. */
export interface ProposalStep {
  proposal: ProposalEntity;
  action: ProposalAction;
  from: ProposalStatus;
  to: ProposalStatus;
  actorId: string | null;
  /** Who was told of it as the proposal's own (its author and accepted co-sponsors). */
  told: string[];
}
export type ProposalStepListener = (tx: Tx, step: ProposalStep) => Promise<void>;

export const LIMITS = { title: 200, summary: 1000, body: 50_000, address: 500, note: 1000, progress: 5000, maxBudget: 1e12 } as const;
/** Statuses everyone may see, once published; drafts and hidden proposals only some. */
const PUBLIC_STATUSES: readonly ProposalStatus[] = Object.values(ProposalStatus).filter((s) => s !== ProposalStatus.DRAFT && s !== ProposalStatus.HIDDEN);

/**
 * Community plans: drafting with co-sponsors, the lifecycle (one state machine, every transition
 * recorded), revisions, endorsements, progress reports, and who may see what.
 */
@Injectable()
export class ProposalsService {
  private readonly stepListeners: ProposalStepListener[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly notifications: NotificationsService,
    private readonly events: EventBus,
    @Inject(Clock) private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  // ---- loaders -------------------------------------------------------------------------------

  readonly byId = loaderById((ids) => this.dataSource.getRepository(ProposalEntity).findBy({ id: In(ids) }));

  readonly sponsorsOf: LoaderDefinition<string, ProposalSponsorEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(ProposalSponsorEntity).find({ where: { proposalId: In([...ids]) }, order: { invitedAt: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.proposalId === id));
      }),
  };

  /** Keyed by `${proposalId}:${userId}`: whether that account endorses that proposal. */
  readonly endorsed: LoaderDefinition<string, boolean> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows = await this.dataSource
          .getRepository(ProposalEndorsementEntity)
          .createQueryBuilder('e')
          .where('(e.proposal_id, e.user_id) IN (SELECT * FROM unnest(:proposals::uuid[], :users::uuid[]))', {
            proposals: pairs.map((p) => p[0]),
            users: pairs.map((p) => p[1]),
          })
          .getMany();
        const found = new Set(rows.map((row) => `${row.proposalId}:${row.userId}`));
        return keys.map((key) => found.has(key));
      }),
  };

  /** Read fresh (not from the district cache): hosts change it, and other instances must see the change. */
  readonly thresholdOf: LoaderDefinition<string, number> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows = await this.dataSource.getRepository(DistrictEntity).find({ where: { code: In([...codes]) }, select: { code: true, endorsementThreshold: true } });
        return codes.map((code) => rows.find((row) => row.code === code)?.endorsementThreshold ?? 10);
      }),
  };

  readonly transitionsOf = this.listLoader(ProposalTransitionEntity, 'createdAt');
  readonly revisionsOf = this.listLoader(ProposalRevisionEntity, 'revision');
  readonly progressOf = this.listLoader(ProposalProgressEntity, 'createdAt');

  private listLoader<E extends { proposalId: string }>(entity: new () => E, orderBy: keyof E & string): LoaderDefinition<string, E[]> {
    return {
      create: () =>
        new DataLoader(async (ids) => {
          const rows = await this.dataSource
            .getRepository(entity)
            .createQueryBuilder('r')
            .where('r.proposal_id IN (:...ids)', { ids: [...ids] })
            .orderBy(`r.${orderBy}`, 'ASC')
            .getMany();
          return ids.map((id) => rows.filter((row) => row.proposalId === id));
        }),
    };
  }

  // ---- visibility ----------------------------------------------------------------------------

  /**
   * Never published (a draft, or a draft withdrawn without being published): the author and invited or
   * accepted co-sponsors, whatever happens to it. Hidden: the author, accepted co-sponsors, the
   * district's hosts and administrators. Everything else: everyone.
   */
  static canSee(viewer: Viewer | null, proposal: ProposalEntity | ProposalUpdatedEvent, sponsors: Pick<ProposalSponsorEntity, 'userId' | 'status'>[]): boolean {
    const published = 'published' in proposal ? proposal.published : proposal.publishedAt !== null;
    if (published && PUBLIC_STATUSES.includes(proposal.status)) return true;
    if (!viewer) return false;
    if (viewer.id === proposal.authorId) return true;
    const sponsorship = sponsors.find((s) => s.userId === viewer.id)?.status;
    if (!published) return sponsorship === SponsorshipStatus.INVITED || sponsorship === SponsorshipStatus.ACCEPTED;
    return sponsorship === SponsorshipStatus.ACCEPTED || viewer.isAdmin || viewer.hostOf.has(proposal.districtCode);
  }

  /** The same rule as canSee, as SQL over alias `p`, for lists, counts and search (of other capabilities too: the proposals citing a report). */
  whereVisible(query: SelectQueryBuilder<ProposalEntity>, viewer: Viewer | null): void {
    if (!viewer) {
      query.andWhere('(p.status IN (:...publicStatuses) AND p.published_at IS NOT NULL)', { publicStatuses: PUBLIC_STATUSES });
      return;
    }
    query.andWhere(
      new Brackets((where) => {
        where
          .where('(p.status IN (:...publicStatuses) AND p.published_at IS NOT NULL)', { publicStatuses: PUBLIC_STATUSES })
          .orWhere('p.author_id = :viewerId', { viewerId: viewer.id })
          .orWhere(
            `(p.published_at IS NULL AND EXISTS (SELECT 1 FROM proposal_sponsors s WHERE s.proposal_id = p.id AND s.user_id = :viewerId AND s.status IN ('INVITED', 'ACCEPTED')))`,
          )
          .orWhere(`(p.status = 'HIDDEN' AND EXISTS (SELECT 1 FROM proposal_sponsors s WHERE s.proposal_id = p.id AND s.user_id = :viewerId AND s.status = 'ACCEPTED'))`)
          .orWhere(`(p.status = 'HIDDEN' AND (:isAdmin OR p.district_code = ANY(:hostOf)))`, { isAdmin: viewer.isAdmin, hostOf: [...viewer.hostOf] });
      }),
    );
  }

  async findVisible(rc: RequestContext, id: string): Promise<ProposalEntity | null> {
    const proposal = await rc.loader(this.byId).load(id);
    if (!proposal) return null;
    const sponsors = await rc.loader(this.sponsorsOf).load(id);
    return ProposalsService.canSee(rc.viewer, proposal, sponsors) ? proposal : null;
  }

  /** A proposal the viewer may see, or NOT_FOUND (whether it exists is not told to those who may not see it). */
  private async requireVisible(rc: RequestContext, globalId: string, field: string, tx: Tx): Promise<{ proposal: ProposalEntity; sponsors: ProposalSponsorEntity[] }> {
    const id = fromGlobalId(globalId, 'Proposal', field);
    // Locked for the rest of the transaction, so concurrent changes to one proposal queue up.
    const proposal = await tx.em.findOne(ProposalEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    const sponsors = proposal ? await tx.em.findBy(ProposalSponsorEntity, { proposalId: id }) : [];
    if (!proposal || !ProposalsService.canSee(rc.viewer, proposal, sponsors)) throw AppError.notFound('Proposal');
    auditAbout({ district: proposal.districtCode, subject: toGlobalId('Proposal', proposal.id) });
    return { proposal, sponsors };
  }

  private static isEditor(viewer: Viewer, proposal: ProposalEntity, sponsors: ProposalSponsorEntity[]): boolean {
    return viewer.id === proposal.authorId || sponsors.some((s) => s.userId === viewer.id && s.status === SponsorshipStatus.ACCEPTED);
  }

  /**
   * A proposal its author or an accepted co-sponsor may still edit (until a vote starts), locked for the rest of
   * the transaction: NOT_FOUND if the viewer may not see it, FORBIDDEN for anyone else, ILLEGAL_STATE once past editing.
   */
  async lockEditable(rc: RequestContext, tx: Tx, globalId: string, field = 'input.proposalId'): Promise<{ proposal: ProposalEntity; sponsors: ProposalSponsorEntity[] }> {
    const viewer = rc.requireViewer();
    const { proposal, sponsors } = await this.requireVisible(rc, globalId, field, tx);
    if (!ProposalsService.isEditor(viewer, proposal, sponsors)) throw AppError.forbidden(msg('errors.proposals.editorsOnly'));
    if (!EDITABLE_STATUSES.includes(proposal.status)) throw AppError.illegalState(msg('errors.proposals.notEditable', { status: proposal.status }));
    return { proposal, sponsors };
  }

  // ---- drafting ------------------------------------------------------------------------------

  private checkLocation(check: InputCheck, location: LocationInput | null | undefined, field = 'location') {
    if (!location) return { locationLatitude: null, locationLongitude: null, locationAddress: null };
    const { latitude, longitude } = location;
    const address = check.text(`${field}.address`, location.address, { max: LIMITS.address, required: false });
    if ((latitude === null || latitude === undefined) !== (longitude === null || longitude === undefined)) {
      check.fail(`${field}.latitude`, msg('errors.proposals.latLngTogether'));
    } else if (latitude !== null && latitude !== undefined && longitude !== null && longitude !== undefined) {
      checkBangkokPoint(check, field, latitude, longitude);
    }
    return { locationLatitude: latitude ?? null, locationLongitude: longitude ?? null, locationAddress: address || null };
  }

  private checkBudget(check: InputCheck, budget: number | null | undefined): string | null {
    if (budget === null || budget === undefined) return null;
    if (!Number.isFinite(budget) || budget < 0 || budget > LIMITS.maxBudget) {
      check.fail('estimatedBudget', msg('errors.proposals.budgetRange'));
      return null;
    }
    if (Number(budget.toFixed(2)) !== budget) check.fail('estimatedBudget', msg('errors.input.satang'));
    return budget.toFixed(2);
  }

  private static searchable(title: string, summary: string, body: string): Pick<ProposalEntity, 'searchTokens' | 'searchText'> {
    const text = `${title}\n${summary}\n${body}`;
    return { searchTokens: searchWords(text), searchText: normalizeForSearch(text) };
  }

  async create(rc: RequestContext, input: CreateProposalInput): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const title = check.text('title', input.title, { min: 3, max: LIMITS.title });
    const summary = check.text('summary', input.summary, { max: LIMITS.summary, multiline: true });
    const body = check.text('body', input.body, { max: LIMITS.body, multiline: true, markup: 'markdown' });
    const category = check.oneOf('category', input.category, Object.values(ProposalCategory));
    const estimatedBudget = this.checkBudget(check, input.estimatedBudget);
    const location = this.checkLocation(check, input.location);
    check.done();
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    return this.unitOfWork.run(async (tx) => {
      const proposal = await tx.em.save(
        tx.em.create(ProposalEntity, {
          districtCode: district.code,
          authorId: viewer.id,
          title,
          summary,
          body,
          category,
          estimatedBudget,
          ...location,
          status: ProposalStatus.DRAFT,
          ...ProposalsService.searchable(title, summary, body),
        }),
      );
      await tx.em.insert(ProposalTransitionEntity, { proposalId: proposal.id, fromStatus: null, toStatus: ProposalStatus.DRAFT, actorId: viewer.id, note: null });
      this.announce(tx, proposal, [], ProposalUpdateKind.CREATED);
      return proposal;
    });
  }

  /** Author or accepted co-sponsor; until a vote starts. After publishing, the old text becomes a revision. */
  async update(rc: RequestContext, input: UpdateProposalInput): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
    const title = given(input.title) ? check.text('title', input.title, { min: 3, max: LIMITS.title }) : undefined;
    const summary = given(input.summary) ? check.text('summary', input.summary, { max: LIMITS.summary, multiline: true }) : undefined;
    const body = given(input.body) ? check.text('body', input.body, { max: LIMITS.body, multiline: true, markup: 'markdown' }) : undefined;
    const category = given(input.category) ? check.oneOf('category', input.category, Object.values(ProposalCategory)) : undefined;
    const estimatedBudget = given(input.estimatedBudget) ? this.checkBudget(check, input.estimatedBudget) : undefined;
    const location = given(input.location) ? this.checkLocation(check, input.location) : undefined;
    const note = check.text('note', input.note, { max: LIMITS.note, required: false, multiline: true });
    check.done();

    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.lockEditable(rc, tx, input.proposalId);
      if (proposal.status !== ProposalStatus.DRAFT) {
        proposal.revision += 1;
        await tx.em.insert(ProposalRevisionEntity, {
          proposalId: proposal.id,
          revision: proposal.revision,
          editorId: viewer.id,
          previousTitle: proposal.title,
          previousSummary: proposal.summary,
          previousBody: proposal.body,
          note: note || null,
        });
      }
      Object.assign(proposal, {
        ...(title !== undefined && { title }),
        ...(summary !== undefined && { summary }),
        ...(body !== undefined && { body }),
        ...(category !== undefined && { category }),
        ...(estimatedBudget !== undefined && { estimatedBudget }),
        ...location,
      });
      Object.assign(proposal, ProposalsService.searchable(proposal.title, proposal.summary, proposal.body));
      const saved = await tx.em.save(proposal);
      this.announce(tx, saved, sponsors, ProposalUpdateKind.REVISED);
      return saved;
    });
  }

  async inviteCoSponsor(rc: RequestContext, proposalGlobalId: string, userGlobalId: string): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    const userId = fromGlobalId(userGlobalId, 'User', 'input.userId');
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, proposalGlobalId, 'input.proposalId', tx);
      if (viewer.id !== proposal.authorId) throw AppError.forbidden(msg('errors.proposals.authorInvitesOnly'));
      if (!EDITABLE_STATUSES.includes(proposal.status)) throw AppError.illegalState(msg('errors.proposals.noNewSponsors', { status: proposal.status }));
      if (userId === proposal.authorId) throw AppError.badInput([{ field: 'input.userId', message: msg('errors.proposals.isAuthor') }]);
      if (!(await tx.em.existsBy(UserEntity, { id: userId }))) throw AppError.notFound('User');
      const existing = sponsors.find((s) => s.userId === userId);
      if (existing && existing.status !== SponsorshipStatus.DECLINED) throw AppError.conflict(msg('errors.proposals.alreadyInvited'));
      await tx.em.save(ProposalSponsorEntity, { proposalId: proposal.id, userId, status: SponsorshipStatus.INVITED, invitedAt: this.clock.now(), respondedAt: null });
      await this.notifications.notify(tx, [{ userId, kind: NotificationKind.COSPONSOR_INVITATION, actorId: viewer.id, proposalId: proposal.id }]);
      return proposal;
    });
  }

  async respondToInvitation(rc: RequestContext, proposalGlobalId: string, accept: boolean): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, proposalGlobalId, 'input.proposalId', tx);
      const mine = sponsors.find((s) => s.userId === viewer.id);
      if (!mine || mine.status !== SponsorshipStatus.INVITED) throw AppError.illegalState(msg('errors.proposals.noInvitation'));
      await tx.em.update(
        ProposalSponsorEntity,
        { proposalId: proposal.id, userId: viewer.id },
        { status: accept ? SponsorshipStatus.ACCEPTED : SponsorshipStatus.DECLINED, respondedAt: this.clock.now() },
      );
      return proposal;
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Another capability hears of every step of a proposal's life, in the step's transaction (report citations
   * tell the people behind the cited reports). Registered once, when that capability's module starts.
   */
  onStep(listener: ProposalStepListener): void {
    this.stepListeners.push(listener);
  }

  /**
   * Moves a proposal through the state machine, recording the transition, telling its author and
   * co-sponsors, and announcing it after commit. Other capabilities (hearings, votes) call this too.
   */
  async applyAction(tx: Tx, proposal: ProposalEntity, action: ProposalAction, actorId: string | null, note: Note | null): Promise<ProposalEntity> {
    const from = proposal.status;
    const to = nextStatus(action, from, await this.previousStatus(tx, proposal, action));
    proposal.status = to;
    if (action === 'hide') {
      proposal.statusBeforeHidden = from;
      proposal.hiddenReason = typeof note === 'string' ? note : null;
    } else if (action === 'restore') {
      proposal.statusBeforeHidden = null;
      proposal.hiddenReason = null;
    }
    if (action === 'publish') proposal.publishedAt = this.clock.now();
    const saved = await tx.em.save(proposal);
    const [written, noteMessage] = typeof note === 'string' ? [note, null] : [null, note];
    await tx.em.save(tx.em.create(ProposalTransitionEntity, { proposalId: proposal.id, fromStatus: from, toStatus: to, actorId, note: written, noteMessage }));
    const sponsors = await tx.em.findBy(ProposalSponsorEntity, { proposalId: proposal.id });
    const told = [proposal.authorId, ...sponsors.filter((s) => s.status === SponsorshipStatus.ACCEPTED).map((s) => s.userId)];
    await this.notifications.notify(
      tx,
      told.map((userId) => ({ userId, kind: NotificationKind.PROPOSAL_STATUS_CHANGED, actorId, proposalId: proposal.id, values: { from, to, ...(note ? { note } : {}) } })),
    );
    for (const listener of this.stepListeners) await listener(tx, { proposal: saved, action, from, to, actorId, told });
    this.announce(tx, saved, sponsors, ProposalUpdateKind.STATUS_CHANGED);
    return saved;
  }

  /** Where `restore` and `returnFromHearing` go back to. */
  private async previousStatus(tx: Tx, proposal: ProposalEntity, action: ProposalAction): Promise<ProposalStatus | null> {
    if (action === 'restore') return proposal.statusBeforeHidden;
    const into = action === 'returnFromHearing' ? ProposalStatus.IN_HEARING : action === 'returnFromVote' ? ProposalStatus.IN_VOTE : null;
    if (!into) return null;
    const entered = await tx.em.findOne(ProposalTransitionEntity, { where: { proposalId: proposal.id, toStatus: into }, order: { createdAt: 'DESC' } });
    return entered?.fromStatus ?? ProposalStatus.PUBLISHED;
  }

  /** Locks and returns a proposal for another capability's transaction (hearings, votes). */
  async lockForUpdate(tx: Tx, id: string): Promise<ProposalEntity | null> {
    return tx.em.findOne(ProposalEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Takes an action on a proposal by global id, within its own transaction, after `allowed` agrees. */
  private act(
    rc: RequestContext,
    globalId: string,
    action: ProposalAction,
    note: string | null,
    allowed: (viewer: Viewer, proposal: ProposalEntity, sponsors: ProposalSponsorEntity[]) => Message | null,
  ): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, globalId, 'input.proposalId', tx);
      const refusal = allowed(viewer, proposal, sponsors);
      if (refusal) throw AppError.forbidden(refusal);
      return this.applyAction(tx, proposal, action, viewer.id, note);
    });
  }

  publish(rc: RequestContext, id: string): Promise<ProposalEntity> {
    return this.act(rc, id, 'publish', null, (viewer, p, sponsors) =>
      ProposalsService.isEditor(viewer, p, sponsors) ? null : msg('errors.proposals.editorsPublishOnly'),
    );
  }

  withdraw(rc: RequestContext, id: string, note: string | null | undefined): Promise<ProposalEntity> {
    const check = new InputCheck();
    const text = check.text('note', note, { max: LIMITS.note, required: false, multiline: true });
    check.done();
    return this.act(rc, id, 'withdraw', text || null, (viewer, p) => (viewer.id === p.authorId ? null : msg('errors.proposals.authorWithdrawsOnly')));
  }

  /** Hide or restore: a host of the district or an administrator, with a reason the author is shown. */
  moderate(rc: RequestContext, id: string, action: 'hide' | 'restore', reason: string): Promise<ProposalEntity> {
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: LIMITS.note, multiline: true });
    check.done();
    return this.act(rc, id, action, text, (viewer, p) =>
      viewer.isAdmin || viewer.hostOf.has(p.districtCode) ? null : msg('errors.proposals.moderatorsOnly', { action: msg(`errors.proposals.actions.${action}`) }),
    );
  }

  /** Hosts report on an adopted plan: the first report starts the work, 100% completes it. */
  async postProgress(rc: RequestContext, input: PostProgressUpdateInput): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const text = check.text('text', input.text, { max: LIMITS.progress, multiline: true });
    const percent = check.integer('percent', input.percent, { min: 0, max: 100 });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, input.proposalId, 'input.proposalId', tx);
      if (!viewer.isAdmin && !viewer.hostOf.has(proposal.districtCode)) throw AppError.forbidden(msg('errors.proposals.progressHostsOnly'));
      if (proposal.status !== ProposalStatus.ADOPTED && proposal.status !== ProposalStatus.IN_PROGRESS) {
        throw AppError.illegalState(msg('errors.proposals.progressAdoptedOnly', { status: proposal.status }));
      }
      await tx.em.insert(ProposalProgressEntity, { proposalId: proposal.id, authorId: viewer.id, text, percent });
      let current = proposal;
      if (current.status === ProposalStatus.ADOPTED) current = await this.applyAction(tx, current, 'startWork', viewer.id, text);
      if (percent === 100) current = await this.applyAction(tx, current, 'complete', viewer.id, text);
      this.announce(tx, current, sponsors, ProposalUpdateKind.PROGRESS_POSTED);
      return current;
    });
  }

  // ---- endorsements --------------------------------------------------------------------------

  /**
   * One endorsement per account (the primary key decides, whatever the concurrency); endorsing
   * twice changes nothing. Reaching the district's threshold qualifies a published proposal.
   */
  async endorse(rc: RequestContext, id: string): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, id, 'input.proposalId', tx);
      if (ProposalsService.isEditor(viewer, proposal, sponsors)) throw AppError.forbidden(msg('errors.proposals.ownEndorsement'));
      if (!ENDORSABLE_STATUSES.includes(proposal.status)) throw AppError.illegalState(msg('errors.proposals.notEndorsable', { status: proposal.status }));
      const inserted = await tx.em
        .createQueryBuilder()
        .insert()
        .into(ProposalEndorsementEntity)
        .values({ proposalId: proposal.id, userId: viewer.id })
        .orIgnore()
        .returning('proposal_id')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return proposal;
      proposal.endorsementCount += 1;
      let saved = await tx.em.save(proposal);
      const district = await tx.em.findOneByOrFail(DistrictEntity, { code: proposal.districtCode });
      if (saved.status === ProposalStatus.PUBLISHED && saved.endorsementCount >= district.endorsementThreshold) {
        saved = await this.applyAction(tx, saved, 'qualify', null, msg('notifications.statusNotes.endorsementsReached', { count: saved.endorsementCount, threshold: district.endorsementThreshold }));
      }
      this.announce(tx, saved, sponsors, ProposalUpdateKind.ENDORSEMENTS_CHANGED);
      return saved;
    });
  }

  /** A qualified proposal stays qualified if endorsements later drop below the threshold. */
  async withdrawEndorsement(rc: RequestContext, id: string): Promise<ProposalEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.requireVisible(rc, id, 'input.proposalId', tx);
      if (!ENDORSABLE_STATUSES.includes(proposal.status)) throw AppError.illegalState(msg('errors.proposals.endorsementsFinal', { status: proposal.status }));
      const removed = await tx.em.delete(ProposalEndorsementEntity, { proposalId: proposal.id, userId: viewer.id });
      if (!removed.affected) return proposal;
      proposal.endorsementCount -= 1;
      const saved = await tx.em.save(proposal);
      this.announce(tx, saved, sponsors, ProposalUpdateKind.ENDORSEMENTS_CHANGED);
      return saved;
    });
  }

  async setEndorsementThreshold(rc: RequestContext, districtCode: string, threshold: number): Promise<DistrictEntity> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code, subject: toGlobalId('District', district.code) });
    if (!viewer.isAdmin && !viewer.hostOf.has(district.code)) throw AppError.forbidden(msg('errors.proposals.thresholdHostsOnly'));
    const check = new InputCheck();
    const value = check.integer('threshold', threshold, { min: 1, max: 100_000 });
    check.done();
    return this.unitOfWork.run(async ({ em }) => {
      await em.update(DistrictEntity, { code: district.code }, { endorsementThreshold: value });
      return em.findOneByOrFail(DistrictEntity, { code: district.code });
    });
  }

  // ---- discussion hooks ----------------------------------------------------------------------

  /** Kept by the discussions service as visible comments come and go. */
  async adjustCommentCount(tx: Tx, proposalId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    const proposal = await tx.em.findOneByOrFail(ProposalEntity, { id: proposalId });
    await tx.em.update(ProposalEntity, { id: proposalId }, { commentCount: () => `comment_count + ${Math.trunc(delta)}` });
    this.announce(tx, { ...proposal, commentCount: proposal.commentCount + delta }, await tx.em.findBy(ProposalSponsorEntity, { proposalId }), ProposalUpdateKind.DISCUSSION_CHANGED);
  }

  // ---- lists ---------------------------------------------------------------------------------

  async list(rc: RequestContext, filter: ProposalFilter | null | undefined, order: ProposalOrder, page: PageArgs, alongside?: Alongside<ProposalEntity>): Promise<ConnectionShape<ProposalEntity>> {
    // Each with its author, which lists show: Proposal.author then sends no statement of its own.
    const query = this.dataSource.getRepository(ProposalEntity).createQueryBuilder('p').innerJoinAndSelect('p.author', 'author');
    this.whereVisible(query, rc.viewer);
    const check = new InputCheck('filter');
    const search = check.text('search', filter?.search, { max: 200, required: false });
    check.done();
    if (filter?.districtCode) query.andWhere('p.district_code = :district', { district: (await this.districts.require(filter.districtCode, 'filter.districtCode')).code });
    if (filter?.statuses?.length) query.andWhere('p.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter?.category) query.andWhere('p.category = :category', { category: filter.category });
    // An erased author is found by the pseudonym it is shown under, never by its former id.
    if (filter?.authorId) query.andWhere(`p.author_id = ${accountAsShown(':author')}`, { author: fromGlobalId(filter.authorId, 'User', 'filter.authorId') });
    if (search) {
      const words = searchWords(search);
      const phrase = normalizeForSearch(search).replace(/[\\%_]/g, (c) => `\\${c}`);
      query.andWhere(
        new Brackets((where) => {
          if (words.length) where.where('p.search_tokens @> :words::text[]', { words });
          where.orWhere('p.search_text LIKE :phrase', { phrase: `%${phrase}%` });
        }),
      );
    }
    const id: KeysetColumn<ProposalEntity> = { sql: 'p.id', value: (p) => p.id };
    const columns: Record<ProposalOrder, KeysetColumn<ProposalEntity>[]> = {
      [ProposalOrder.NEWEST]: [{ sql: 'COALESCE(p.published_at, p.created_at)', value: (p) => p.publishedAt ?? p.createdAt }, id],
      [ProposalOrder.MOST_ENDORSED]: [{ sql: 'p.endorsement_count', value: (p) => p.endorsementCount }, id],
      [ProposalOrder.MOST_DISCUSSED]: [{ sql: 'p.comment_count', value: (p) => p.commentCount }, id],
    };
    const connection = await paginate(query, page, { columns: columns[order] ?? columns[ProposalOrder.NEWEST], direction: 'DESC' }, (p) => p, alongside);
    this.users.prime(rc, connection.edges.map((edge) => edge.node.author!));
    return connection;
  }

  // ---- live ----------------------------------------------------------------------------------

  /** Tells the proposal's and its district's subscribers of a change, after commit (report citations use it too). */
  announce(tx: Tx, proposal: ProposalEntity, sponsors: ProposalSponsorEntity[], kind: ProposalUpdateKind): void {
    auditAbout({ district: proposal.districtCode, subject: toGlobalId('Proposal', proposal.id) });
    const event: ProposalUpdatedEvent = {
      proposalId: proposal.id,
      districtCode: proposal.districtCode,
      kind,
      status: proposal.status,
      published: proposal.publishedAt !== null,
      authorId: proposal.authorId,
      sponsors: sponsors.filter((s) => s.status !== SponsorshipStatus.DECLINED).map((s) => ({ userId: s.userId, status: s.status })),
    };
    tx.afterCommit(() =>
      Promise.all([this.events.publish(channel(PROPOSALS_IN_DISTRICT_UPDATED, proposal.districtCode), event), this.events.publish(channel(PROPOSAL_UPDATED, proposal.id), event)]),
    );
  }

  /**
   * The channel of one proposal's changes, for a subscriber who may see it now (NOT_FOUND otherwise, as
   * `proposal(id:)` answers null); whether each change reaches them is decided again at each event.
   */
  async channelOf(rc: RequestContext, proposalGlobalId: string): Promise<string> {
    const id = fromGlobalId(proposalGlobalId, 'Proposal', 'proposalId');
    if (!(await this.findVisible(rc, id))) throw AppError.notFound('Proposal');
    return channel(PROPOSAL_UPDATED, id);
  }

  /** Whether a subscriber may hear of this change, decided from the event alone. */
  static mayHear(viewer: Viewer | null, event: ProposalUpdatedEvent): boolean {
    return ProposalsService.canSee(viewer, event, event.sponsors);
  }
}
