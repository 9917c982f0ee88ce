import { createHmac } from 'node:crypto';
import { auditAbout } from '../audit/audit-scope';
import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In, Not } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { ProposalsService } from '../proposals/proposals.service';
import { AgendaItemInput, CheckInInput, RescheduleHearingInput, ScheduleHearingInput } from './dto/hearing.input';
import {
  AgendaItemEntity,
  AttendanceMode,
  HearingEntity,
  HearingStatus,
  QuestionEntity,
  QuestionStatus,
  RegistrationEntity,
  RegistrationStatus,
  SpeakerRequestEntity,
  SpeakerRequestStatus,
  StatementEntity,
} from './entities/hearing.entity';
import { HearingAction, CHECK_IN, nextHearingStatus, PLANNABLE, REGISTRABLE } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { MinutesRecord, renderMinutes } from './minutes';

const LIMITS = { title: 200, description: 10_000, venue: 500, url: 500, agendaItems: 50, capacity: 100_000, reason: 1000, summary: 20_000 };
/** Statuses a proposal may be in to be put on an agenda. */
/** Check-in codes: 8 characters of an alphabet without look-alikes (no I, O, 0 or 1). */
const CHECK_IN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CHECK_IN_CODE = /^[A-HJ-NP-Z2-9]{8}$/;
const HEARABLE: readonly ProposalStatus[] = [ProposalStatus.PUBLISHED, ProposalStatus.QUALIFIED, ProposalStatus.IN_HEARING];

/**
 * Public hearings: scheduling with an agenda tied to the district's proposals, the lifecycle,
 * registration with seats and a waitlist, and check-in. The floor (speakers, statements, questions)
 * is HearingFloorService.
 */
@Injectable()
export class HearingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly proposals: ProposalsService,
    private readonly notifications: NotificationsService,
    private readonly live: HearingLiveService,
    private readonly clock: Clock,
  ) {}

  readonly byId = loaderById((ids) => this.dataSource.getRepository(HearingEntity).findBy({ id: In(ids) }));

  readonly agendaOf: LoaderDefinition<string, AgendaItemEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(AgendaItemEntity).find({ where: { hearingId: In([...ids]) }, order: { position: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.hearingId === id));
      }),
  };

  /** Hearings whose agenda includes each proposal, earliest first (cancelled ones left out). */
  readonly hearingsOfProposal: LoaderDefinition<string, HearingEntity[]> = {
    create: () =>
      new DataLoader(async (proposalIds) => {
        const rows = await this.dataSource
          .getRepository(HearingEntity)
          .createQueryBuilder('h')
          .innerJoin(AgendaItemEntity, 'i', 'i.hearing_id = h.id')
          .addSelect('i.proposal_id', 'proposal_id')
          .where('i.proposal_id IN (:...ids)', { ids: [...proposalIds] })
          .andWhere(`h.status <> 'CANCELLED'`)
          .orderBy('h.starts_at', 'ASC')
          .getRawAndEntities();
        return proposalIds.map((id) => {
          const seen = new Set<string>();
          return rows.entities.filter((h, i) => rows.raw[i].proposal_id === id && !seen.has(h.id) && seen.add(h.id));
        });
      }),
  };

  /** Seat and check-in counts of each hearing, in one query for a whole page of hearings. */
  readonly attendanceOf: LoaderDefinition<string, { confirmed: number; waitlisted: number; checkedIn: number; online: number }> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { hearing_id: string; confirmed: string; waitlisted: string; checked_in: string; online: string }[] = await this.dataSource.query(
          `SELECT hearing_id,
                  count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
                  count(*) FILTER (WHERE status = 'WAITLISTED') AS waitlisted,
                  count(*) FILTER (WHERE checked_in_at IS NOT NULL AND status <> 'CANCELLED') AS checked_in,
                  count(*) FILTER (WHERE status = 'CONFIRMED' AND mode = 'ONLINE') AS online
             FROM hearing_registrations WHERE hearing_id = ANY($1) GROUP BY hearing_id`,
          [[...ids]],
        );
        return ids.map((id) => {
          const row = rows.find((r) => r.hearing_id === id);
          return { confirmed: Number(row?.confirmed ?? 0), waitlisted: Number(row?.waitlisted ?? 0), checkedIn: Number(row?.checked_in ?? 0), online: Number(row?.online ?? 0) };
        });
      }),
  };

  /** Keyed by `${hearingId}:${userId}`: that account's live registration. */
  readonly registrationOf: LoaderDefinition<string, RegistrationEntity | null> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows = await this.dataSource
          .getRepository(RegistrationEntity)
          .createQueryBuilder('r')
          .where(`r.status <> 'CANCELLED' AND (r.hearing_id, r.user_id) IN (SELECT * FROM unnest(:hearings::uuid[], :users::uuid[]))`, {
            hearings: pairs.map((p) => p[0]),
            users: pairs.map((p) => p[1]),
          })
          .getMany();
        return keys.map((key) => rows.find((r) => `${r.hearingId}:${r.userId}` === key) ?? null);
      }),
  };

  static isHost(viewer: Viewer | null, hearing: Pick<HearingEntity, 'districtCode'>): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(hearing.districtCode));
  }

  /** Hearings are public: anyone may see any of them. */
  find(rc: RequestContext, id: string): Promise<HearingEntity | null> {
    return rc.loader(this.byId).load(id);
  }

  /** A per-registration code for the door, derived (not stored): HMAC of the registration id. */
  checkInCode(registrationId: string): string {
    const digest = createHmac('sha256', this.config.authSecret).update(`check-in:${registrationId}`).digest();
    return Array.from(digest.subarray(0, 8), (byte) => CHECK_IN_ALPHABET[byte % CHECK_IN_ALPHABET.length]).join('');
  }

  // ---- scheduling ----------------------------------------------------------------------------

  private checkSchedule(check: InputCheck, startsAt: Date, endsAt: Date, isNew: boolean): void {
    const [start, end] = [check.dateTime('startsAt', startsAt), check.dateTime('endsAt', endsAt)];
    if (!start || !end) return;
    if (isNew && start.getTime() < this.clock.now().getTime()) check.fail('startsAt', 'is in the past');
    if (end.getTime() <= start.getTime()) check.fail('endsAt', 'must be after startsAt');
    else if (end.getTime() - start.getTime() > 24 * 3600 * 1000) check.fail('endsAt', 'must be within 24 hours of startsAt');
  }

  private checkPlace(check: InputCheck, venue: string | null | undefined, onlineUrl: string | null | undefined): { venue: string | null; onlineUrl: string | null } {
    const place = check.text('venue', venue, { max: LIMITS.venue, required: false });
    const url = check.text('onlineUrl', onlineUrl, { max: LIMITS.url, required: false });
    if (url) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.protocol !== 'https:') check.fail('onlineUrl', 'must be an https:// link');
    }
    if (!place && !url) check.fail('venue', 'or onlineUrl is required: a hearing happens somewhere');
    return { venue: place || null, onlineUrl: url || null };
  }

  /** Validates agenda items, resolving their proposals (same district, open to a hearing). */
  private async checkAgenda(tx: Tx, check: InputCheck, items: AgendaItemInput[] | null | undefined, districtCode: string): Promise<{ title: string; proposal: ProposalEntity | null; plannedMinutes: number }[]> {
    if (!Array.isArray(items) || items.length === 0) {
      check.fail('agenda', 'needs at least one item');
      return [];
    }
    if (items.length > LIMITS.agendaItems) {
      check.fail('agenda', `may have at most ${LIMITS.agendaItems} items`);
      return [];
    }
    const result: { title: string; proposal: ProposalEntity | null; plannedMinutes: number }[] = [];
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      const title = check.text(`agenda[${i}].title`, item.title, { max: LIMITS.title });
      const plannedMinutes = check.integer(`agenda[${i}].plannedMinutes`, item.plannedMinutes, { min: 1, max: 600 });
      let proposal: ProposalEntity | null = null;
      // An empty id is a bad id, not "no proposal".
      if (item.proposalId !== null && item.proposalId !== undefined) {
        const id = fromGlobalId(item.proposalId, 'Proposal', check.path(`agenda[${i}].proposalId`));
        proposal = await this.proposals.lockForUpdate(tx, id);
        if (!proposal || proposal.districtCode !== districtCode) check.fail(`agenda[${i}].proposalId`, 'is not a proposal of this district');
        else if (!HEARABLE.includes(proposal.status)) check.fail(`agenda[${i}].proposalId`, `is ${proposal.status}: only published or qualified proposals can be heard`);
        else if (seen.has(id)) check.fail(`agenda[${i}].proposalId`, 'is already on this agenda');
        seen.add(id);
      }
      result.push({ title, proposal, plannedMinutes });
    }
    return result;
  }

  /** Replaces a hearing's agenda; proposals joining it move to IN_HEARING, those leaving go back. */
  private async writeAgenda(tx: Tx, hearing: HearingEntity, items: { title: string; proposal: ProposalEntity | null; plannedMinutes: number }[], actorId: string): Promise<void> {
    const before = await tx.em.findBy(AgendaItemEntity, { hearingId: hearing.id });
    await tx.em.delete(AgendaItemEntity, { hearingId: hearing.id });
    await tx.em.insert(
      AgendaItemEntity,
      items.map((item, position) => ({ hearingId: hearing.id, position, title: item.title, proposalId: item.proposal?.id ?? null, plannedMinutes: item.plannedMinutes })),
    );
    const note = `On the agenda of the hearing “${hearing.title}”`;
    for (const item of items) {
      if (item.proposal && item.proposal.status !== ProposalStatus.IN_HEARING) await this.proposals.applyAction(tx, item.proposal, 'takeToHearing', actorId, note);
    }
    const remaining = new Set(items.map((i) => i.proposal?.id).filter(Boolean));
    for (const old of before) {
      if (old.proposalId && !remaining.has(old.proposalId)) await this.releaseProposal(tx, old.proposalId, hearing.id, actorId, `Left the agenda of the hearing “${hearing.title}”`);
    }
  }

  /** A proposal no longer on this hearing's agenda goes back, unless another live hearing still has it. */
  private async releaseProposal(tx: Tx, proposalId: string, hearingId: string, actorId: string, note: string): Promise<void> {
    const elsewhere = await tx.em
      .createQueryBuilder(AgendaItemEntity, 'i')
      .innerJoin(HearingEntity, 'h', 'h.id = i.hearing_id')
      .where('i.proposal_id = :proposalId AND h.id <> :hearingId', { proposalId, hearingId })
      .andWhere(`h.status IN ('SCHEDULED', 'OPEN', 'IN_SESSION', 'ADJOURNED')`)
      .getCount();
    const proposal = await this.proposals.lockForUpdate(tx, proposalId);
    if (!elsewhere && proposal?.status === ProposalStatus.IN_HEARING) await this.proposals.applyAction(tx, proposal, 'returnFromHearing', actorId, note);
  }

  private requireHostOf(viewer: Viewer, districtCode: string): void {
    if (!viewer.isAdmin && !viewer.hostOf.has(districtCode)) throw AppError.forbidden('Only a host of this district or an administrator can run its hearings.');
  }

  async schedule(rc: RequestContext, input: ScheduleHearingInput): Promise<HearingEntity> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    this.requireHostOf(viewer, district.code);
    const check = new InputCheck();
    const title = check.text('title', input.title, { min: 3, max: LIMITS.title });
    const description = check.text('description', input.description, { max: LIMITS.description, required: false, multiline: true, markup: 'markdown' });
    this.checkSchedule(check, input.startsAt, input.endsAt, true);
    const place = this.checkPlace(check, input.venue, input.onlineUrl);
    const capacity = check.integer('capacity', input.capacity, { min: 1, max: LIMITS.capacity });
    const speakerTimeLimitSeconds = input.speakerTimeLimitSeconds == null ? 180 : check.integer('speakerTimeLimitSeconds', input.speakerTimeLimitSeconds, { min: 10, max: 3600 });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const agenda = await this.checkAgenda(tx, check, input.agenda, district.code);
      check.done();
      const hearing = await tx.em.save(
        tx.em.create(HearingEntity, {
          districtCode: district.code,
          title,
          description,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          ...place,
          capacity,
          speakerTimeLimitSeconds,
          firstTimeSpeakersFirst: input.firstTimeSpeakersFirst ?? true,
          status: HearingStatus.SCHEDULED,
          createdBy: viewer.id,
        }),
      );
      auditAbout({ district: hearing.districtCode, subject: toGlobalId('Hearing', hearing.id) });
      await this.writeAgenda(tx, hearing, agenda, viewer.id);
      await this.live.changed(tx, hearing.id, HearingEventKind.SCHEDULE_CHANGED);
      return hearing;
    });
  }

  /** Locks a hearing for a host's change; NOT_FOUND, FORBIDDEN as they apply. */
  private async lockForHost(rc: RequestContext, tx: Tx, globalId: string, field = 'hearingId'): Promise<HearingEntity> {
    const viewer = rc.requireViewer();
    const hearing = await this.lock(tx, globalId, field);
    this.requireHostOf(viewer, hearing.districtCode);
    return hearing;
  }

  async lock(tx: Tx, globalId: string, field = 'hearingId'): Promise<HearingEntity> {
    const id = fromGlobalId(globalId, 'Hearing', field);
    const hearing = await tx.em.findOne(HearingEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!hearing) throw AppError.notFound('Hearing');
    auditAbout({ district: hearing.districtCode, subject: globalId });
    return hearing;
  }

  async reschedule(rc: RequestContext, input: RescheduleHearingInput): Promise<HearingEntity> {
    const check = new InputCheck();
    const title = input.title == null ? undefined : check.text('title', input.title, { min: 3, max: LIMITS.title });
    const description = input.description == null ? undefined : check.text('description', input.description, { max: LIMITS.description, required: false, multiline: true, markup: 'markdown' });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lockForHost(rc, tx, input.hearingId, 'input.hearingId');
      if (!PLANNABLE.includes(hearing.status)) throw AppError.illegalState(`A hearing that is ${hearing.status} can no longer be rescheduled.`);
      const startsAt = input.startsAt ?? hearing.startsAt;
      const endsAt = input.endsAt ?? hearing.endsAt;
      this.checkSchedule(check, startsAt, endsAt, input.startsAt != null);
      const place = this.checkPlace(check, input.venue === undefined ? hearing.venue : input.venue, input.onlineUrl === undefined ? hearing.onlineUrl : input.onlineUrl);
      const capacity = input.capacity == null ? hearing.capacity : check.integer('capacity', input.capacity, { min: 1, max: LIMITS.capacity });
      const confirmed = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
      if (capacity < confirmed) check.fail('capacity', `cannot go below the ${confirmed} seats already confirmed`);
      const limit = input.speakerTimeLimitSeconds == null ? hearing.speakerTimeLimitSeconds : check.integer('speakerTimeLimitSeconds', input.speakerTimeLimitSeconds, { min: 10, max: 3600 });
      check.done();
      const moved = startsAt.getTime() !== hearing.startsAt.getTime() || endsAt.getTime() !== hearing.endsAt.getTime() || place.venue !== hearing.venue || place.onlineUrl !== hearing.onlineUrl;
      Object.assign(hearing, { title: title ?? hearing.title, description: description ?? hearing.description, startsAt, endsAt, ...place, capacity, speakerTimeLimitSeconds: limit });
      if (input.firstTimeSpeakersFirst != null) hearing.firstTimeSpeakersFirst = input.firstTimeSpeakersFirst;
      const saved = await tx.em.save(hearing);
      await this.promoteWaitlist(tx, saved);
      if (moved) await this.tellRegistrants(tx, saved, NotificationKind.HEARING_RESCHEDULED, rc.viewer!.id, `${saved.startsAt.toISOString()} – ${saved.endsAt.toISOString()}${saved.venue ? `, ${saved.venue}` : ''}`);
      await this.live.changed(tx, saved.id, HearingEventKind.SCHEDULE_CHANGED);
      return saved;
    });
  }

  async setAgenda(rc: RequestContext, hearingGlobalId: string, items: AgendaItemInput[]): Promise<HearingEntity> {
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lockForHost(rc, tx, hearingGlobalId);
      if (!PLANNABLE.includes(hearing.status)) throw AppError.illegalState(`The agenda of a hearing that is ${hearing.status} can no longer change.`);
      // The agenda is an argument of its own here, not a field of an input.
      const check = new InputCheck('');
      const agenda = await this.checkAgenda(tx, check, items, hearing.districtCode);
      check.done();
      await this.writeAgenda(tx, hearing, agenda, rc.viewer!.id);
      await this.tellRegistrants(tx, hearing, NotificationKind.HEARING_AGENDA_CHANGED, rc.viewer!.id, agenda.map((i) => i.title).join(' · '));
      await this.live.changed(tx, hearing.id, HearingEventKind.SCHEDULE_CHANGED);
      return hearing;
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * A host moves the hearing through its states. Starting the session takes up the first agenda item;
   * adjourning or closing needs the floor to be free; cancelling sends its proposals back.
   */
  async transition(rc: RequestContext, hearingGlobalId: string, action: HearingAction, text?: string | null): Promise<HearingEntity> {
    const check = new InputCheck('');
    const note =
      action === 'close'
        ? check.text('summary', text, { min: 3, max: LIMITS.summary, multiline: true, markup: 'markdown' })
        : action === 'cancel'
          ? check.text('reason', text, { min: 3, max: LIMITS.reason, multiline: true })
          : null;
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lockForHost(rc, tx, hearingGlobalId);
      const to = nextHearingStatus(action, hearing.status);
      const now = this.clock.now();
      if (action === 'adjourn' || action === 'close') {
        const speaking = await tx.em.countBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING });
        if (speaking) throw AppError.illegalState('Someone holds the floor: end the speech first.');
        await this.stopItemClock(tx, hearing, now);
      }
      if (action === 'startSession' || action === 'resume') {
        if (!hearing.currentAgendaItemId) {
          const first = await tx.em.findOne(AgendaItemEntity, { where: { hearingId: hearing.id }, order: { position: 'ASC' } });
          hearing.currentAgendaItemId = first?.id ?? null;
        }
        hearing.currentItemStartedAt = now;
      }
      if (action === 'close') {
        hearing.summary = note;
        hearing.closedAt = now;
      }
      if (action === 'cancel') hearing.cancelReason = note;
      hearing.status = to;
      const saved = await tx.em.save(hearing);
      const actorId = rc.viewer!.id;
      if (action === 'open') await this.tellRegistrants(tx, saved, NotificationKind.HEARING_OPENED, actorId, saved.venue ?? saved.onlineUrl);
      if (action === 'cancel') {
        await this.tellRegistrants(tx, saved, NotificationKind.HEARING_CANCELLED, actorId, note);
        const items = await tx.em.findBy(AgendaItemEntity, { hearingId: saved.id });
        for (const item of items) if (item.proposalId) await this.releaseProposal(tx, item.proposalId, saved.id, actorId, `The hearing “${saved.title}” was cancelled`);
      }
      await this.live.changed(tx, saved.id, HearingEventKind.STATE_CHANGED);
      return saved;
    });
  }

  /** Adds the running stretch of the current item to its time spent. */
  async stopItemClock(tx: Tx, hearing: HearingEntity, now: Date): Promise<void> {
    if (!hearing.currentAgendaItemId || !hearing.currentItemStartedAt) return;
    const seconds = Math.max(0, Math.round((now.getTime() - hearing.currentItemStartedAt.getTime()) / 1000));
    await tx.em.increment(AgendaItemEntity, { id: hearing.currentAgendaItemId }, 'secondsSpent', seconds);
    hearing.currentItemStartedAt = null;
  }

  // ---- registration and check-in -------------------------------------------------------------

  /**
   * A seat while seats remain, the waitlist after; online participants always get a place. The
   * hearing row is locked, so however many register at once, no seat is given twice.
   */
  async register(rc: RequestContext, hearingGlobalId: string, mode: AttendanceMode): Promise<RegistrationEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lock(tx, hearingGlobalId);
      if (!REGISTRABLE.includes(hearing.status)) throw AppError.illegalState(`Registration for a hearing that is ${hearing.status} is closed.`);
      if (mode === AttendanceMode.ONLINE && !hearing.onlineUrl) throw AppError.badInput([{ field: 'mode', message: 'this hearing has no online link: register IN_PERSON' }]);
      const existing = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: Not(RegistrationStatus.CANCELLED) });
      if (existing) throw AppError.conflict('You are already registered for this hearing.');
      let status = RegistrationStatus.CONFIRMED;
      if (mode === AttendanceMode.IN_PERSON) {
        const taken = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
        const waiting = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.WAITLISTED });
        if (taken >= hearing.capacity || waiting > 0) status = RegistrationStatus.WAITLISTED;
      }
      const registration = await tx.em.save(tx.em.create(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status, mode }));
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return registration;
    });
  }

  async cancelRegistration(rc: RequestContext, hearingGlobalId: string): Promise<RegistrationEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lock(tx, hearingGlobalId);
      const registration = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: Not(RegistrationStatus.CANCELLED) });
      if (!registration) throw AppError.notFound('Your registration for this hearing');
      if (registration.checkedInAt) throw AppError.illegalState('You have already checked in.');
      registration.status = RegistrationStatus.CANCELLED;
      registration.cancelledAt = this.clock.now();
      const saved = await tx.em.save(registration);
      await this.promoteWaitlist(tx, hearing);
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return saved;
    });
  }

  /** Fills free seats from the waitlist, in the order people joined it, and tells them. */
  private async promoteWaitlist(tx: Tx, hearing: HearingEntity): Promise<void> {
    const taken = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
    const free = hearing.capacity - taken;
    if (free <= 0) return;
    const next = await tx.em.find(RegistrationEntity, { where: { hearingId: hearing.id, status: RegistrationStatus.WAITLISTED }, order: { createdAt: 'ASC', id: 'ASC' }, take: free });
    if (!next.length) return;
    const now = this.clock.now();
    await tx.em.update(RegistrationEntity, { id: In(next.map((r) => r.id)) }, { status: RegistrationStatus.CONFIRMED, promotedAt: now });
    await this.notifications.notify(
      tx,
      next.map((r) => ({ userId: r.userId, kind: NotificationKind.WAITLIST_PROMOTED, hearingId: hearing.id, detail: `A seat came free at “${hearing.title}”` })),
    );
  }

  /** A host checks someone in at the door: by their registration, or by scanning their code. */
  async checkIn(rc: RequestContext, input: CheckInInput): Promise<RegistrationEntity> {
    if (!input.registrationId === !input.code) throw AppError.badInput([{ field: 'input.code', message: 'give either registrationId or code' }]);
    // Typed at the door: case, spaces and dashes do not matter; a code of the wrong shape is a typo, not an unknown person.
    const code = input.code ? String(input.code).replace(/[\s-]/g, '').toUpperCase() : null;
    if (code !== null && !CHECK_IN_CODE.test(code)) throw AppError.badInput([{ field: 'input.code', message: 'a check-in code is 8 letters and digits, as shown on the registration' }]);
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.lockForHost(rc, tx, input.hearingId, 'input.hearingId');
      if (!CHECK_IN.includes(hearing.status)) throw AppError.illegalState(`Check-in runs while the hearing is open; it is ${hearing.status}.`);
      let registration: RegistrationEntity | null = null;
      if (input.registrationId) {
        registration = await tx.em.findOneBy(RegistrationEntity, { id: fromGlobalId(input.registrationId, 'Registration', 'input.registrationId'), hearingId: hearing.id });
      } else {
        const live = await tx.em.find(RegistrationEntity, { where: { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED } });
        registration = live.find((r) => this.checkInCode(r.id) === code) ?? null;
      }
      if (!registration || registration.status === RegistrationStatus.CANCELLED) throw AppError.notFound('Registration');
      if (registration.status !== RegistrationStatus.CONFIRMED) throw AppError.illegalState('This person is on the waitlist, without a seat.');
      if (registration.checkedInAt) return registration;
      registration.checkedInAt = this.clock.now();
      const saved = await tx.em.save(registration);
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return saved;
    });
  }

  /** Whether the viewer attends: checked in, or a confirmed online participant. */
  async attends(tx: Tx, hearing: HearingEntity, viewer: Viewer): Promise<boolean> {
    const registration = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: RegistrationStatus.CONFIRMED });
    return !!registration && (registration.checkedInAt !== null || registration.mode === AttendanceMode.ONLINE);
  }

  private async tellRegistrants(tx: Tx, hearing: HearingEntity, kind: NotificationKind, actorId: string, detail: string | null): Promise<void> {
    const registrations = await tx.em.findBy(RegistrationEntity, { hearingId: hearing.id, status: In([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]) });
    await this.notifications.notify(tx, registrations.map((r) => ({ userId: r.userId, kind, actorId, hearingId: hearing.id, detail })));
  }

  // ---- reading -------------------------------------------------------------------------------

  async inDistrict(districtCode: string, range: { from?: Date | null; to?: Date | null; upcomingOnly?: boolean }, page: PageArgs): Promise<ConnectionShape<HearingEntity>> {
    const district = await this.districts.require(districtCode);
    const query = this.dataSource.getRepository(HearingEntity).createQueryBuilder('h').where('h.district_code = :code', { code: district.code });
    const check = new InputCheck('');
    for (const [name, value] of Object.entries({ from: range.from, to: range.to })) if (value) check.dateTime(name, value);
    check.done();
    if (range.from) query.andWhere('h.ends_at >= :from', { from: range.from });
    if (range.to) query.andWhere('h.starts_at <= :to', { to: range.to });
    if (range.upcomingOnly) {
      query.andWhere(`h.status IN ('SCHEDULED', 'OPEN', 'IN_SESSION', 'ADJOURNED') AND h.ends_at >= :now`, { now: this.clock.now() });
    }
    return paginate(query, page, { columns: [{ sql: 'h.starts_at', value: (h) => h.startsAt }, { sql: 'h.id', value: (h) => h.id }], direction: 'ASC' }, (h) => h);
  }

  /** The public record, once the hearing is closed (null before). */
  async minutes(rc: RequestContext, hearingId: string): Promise<(MinutesRecord & { markdown: string }) | null> {
    const hearing = await this.find(rc, hearingId);
    if (!hearing || hearing.status !== HearingStatus.CLOSED) return null;
    const em = this.dataSource.manager;
    const agenda = await em.find(AgendaItemEntity, { where: { hearingId }, order: { position: 'ASC' } });
    const statements = await em.find(StatementEntity, { where: { hearingId }, order: { startedAt: 'ASC' } });
    const answeredQuestions = await em.find(QuestionEntity, { where: { hearingId, status: QuestionStatus.ANSWERED }, order: { upvoteCount: 'DESC', createdAt: 'ASC' } });
    const userIds = [...new Set([...statements.map((s) => s.speakerId), ...answeredQuestions.map((q) => q.authorId)])];
    const users = userIds.length ? await em.find(UserEntity, { where: { id: In(userIds) }, select: { id: true, displayName: true } }) : [];
    const proposalIds = agenda.map((i) => i.proposalId).filter((id): id is string => !!id);
    const proposals = proposalIds.length ? await em.find(ProposalEntity, { where: { id: In(proposalIds) }, select: { id: true, title: true, status: true } }) : [];
    const live = await this.live.snapshot({ em }, hearing, HearingEventKind.STATE_CHANGED);
    const district = await this.districts.find(hearing.districtCode);
    const record: MinutesRecord = {
      hearing,
      districtName: district ? `${district.nameTh} (${district.nameEn})` : hearing.districtCode,
      agenda,
      // A proposal hidden since is named without its title.
      proposalTitles: new Map(proposals.map((p) => [p.id, p.status === ProposalStatus.HIDDEN ? '(hidden by the district)' : p.title])),
      attendance: live.attendance,
      statements,
      answeredQuestions,
      names: new Map(users.map((u) => [u.id, u.displayName])),
    };
    return { ...record, markdown: renderMinutes(record) };
  }

  async attendanceList(rc: RequestContext, hearingId: string): Promise<RegistrationEntity[]> {
    const hearing = await this.find(rc, hearingId);
    if (!hearing) throw AppError.notFound('Hearing');
    if (!HearingsService.isHost(rc.viewer, hearing)) throw AppError.forbidden('Only a host of this district or an administrator can see who registered.');
    return this.dataSource.getRepository(RegistrationEntity).find({ where: { hearingId }, order: { createdAt: 'ASC' } });
  }
}
