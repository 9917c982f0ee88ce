import { Injectable } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { toGlobalId } from '../common/relay/global-id';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { DistrictNews } from '../following';
import { NotificationKind } from '../notifications/notification.entity';
import { ProposalEntity } from '../proposals/entities/proposal.entity';
import { AgendaItemInput, RescheduleHearingInput, ScheduleHearingInput } from './dto/hearing.input';
import { AgendaItemEntity, AttendanceMode, HearingEntity, HearingStatus, RegistrationEntity, RegistrationStatus } from './entities/hearing.entity';
import { PLANNABLE } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { HEARABLE, HearingProposalsService } from './hearing-proposals.service';
import { HearingRegistrationService, placeOf } from './hearing-registration.service';
import { HearingsService } from './hearings.service';

const LIMITS = { title: 200, description: 10_000, venue: 500, url: 500, agendaItems: 50, capacity: 100_000 };

type CheckedItem = { title: string; proposal: ProposalEntity | null; plannedMinutes: number };
type GivenItem = { title: string; proposalId: string | null; plannedMinutes: number };

/** When: a real start and end, the end after the start and within a day; a new start not in the past (`now` null: not a new start). */
export function checkSchedule(check: InputCheck, startsAt: Date, endsAt: Date, now: Date | null): void {
  const [start, end] = [check.dateTime('startsAt', startsAt), check.dateTime('endsAt', endsAt)];
  if (!start || !end) return;
  if (now && start.getTime() < now.getTime()) check.fail('startsAt', msg('errors.input.inPast'));
  if (end.getTime() <= start.getTime()) check.fail('endsAt', msg('errors.hearings.endsAfterStart'));
  else if (end.getTime() - start.getTime() > 24 * 3600 * 1000) check.fail('endsAt', msg('errors.hearings.within24Hours'));
}

/** Where: a hall, an https link for online participants, or both. */
export function checkPlace(check: InputCheck, venue: string | null | undefined, onlineUrl: string | null | undefined): { venue: string | null; onlineUrl: string | null } {
  const place = check.text('venue', venue, { max: LIMITS.venue, required: false });
  const url = check.text('onlineUrl', onlineUrl, { max: LIMITS.url, required: false });
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.protocol !== 'https:') check.fail('onlineUrl', msg('errors.hearings.httpsLink'));
  }
  if (!place && !url) check.fail('venue', msg('errors.hearings.venueRequired'));
  return { venue: place || null, onlineUrl: url || null };
}

/** Scheduling a hearing, changing its time, place and rules, and its agenda, before the session. */
@Injectable()
export class HearingScheduleService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly hearings: HearingsService,
    private readonly proposals: HearingProposalsService,
    private readonly registrations: HearingRegistrationService,
    private readonly live: HearingLiveService,
    private readonly clock: Clock,
    private readonly news: DistrictNews,
  ) {}

  /** Checks agenda items as given (titles, minutes, the type of their proposal ids), before anything is looked up. */
  private static checkAgendaInput(check: InputCheck, items: AgendaItemInput[] | null | undefined): GivenItem[] {
    if (!Array.isArray(items) || items.length === 0) {
      check.fail('agenda', msg('errors.hearings.agendaEmpty'));
      return [];
    }
    if (items.length > LIMITS.agendaItems) {
      check.fail('agenda', msg('errors.hearings.agendaTooLong', { max: LIMITS.agendaItems }));
      return [];
    }
    return items.map((item, i) => ({
      title: check.text(`agenda[${i}].title`, item.title, { max: LIMITS.title }),
      plannedMinutes: check.integer(`agenda[${i}].plannedMinutes`, item.plannedMinutes, { min: 1, max: 600 }),
      // An empty id is a bad id, not "no proposal".
      proposalId: item.proposalId != null ? check.globalId(`agenda[${i}].proposalId`, item.proposalId, 'Proposal') : null,
    }));
  }

  /** Resolves the items' proposals (same district, open to a hearing), locking them. */
  private async resolveAgenda(tx: Tx, check: InputCheck, items: GivenItem[], districtCode: string): Promise<CheckedItem[]> {
    const result: CheckedItem[] = [];
    const seen = new Set<string>();
    for (const [i, { title, plannedMinutes, proposalId: id }] of items.entries()) {
      let proposal: ProposalEntity | null = null;
      if (id) {
        proposal = await this.proposals.lock(tx, id);
        if (!proposal || proposal.districtCode !== districtCode) check.fail(`agenda[${i}].proposalId`, msg('errors.input.notProposalOfDistrict'));
        else if (!HEARABLE.includes(proposal.status)) check.fail(`agenda[${i}].proposalId`, msg('errors.hearings.notHearable', { status: proposal.status }));
        else if (seen.has(id)) check.fail(`agenda[${i}].proposalId`, msg('errors.hearings.alreadyOnAgenda'));
        seen.add(id);
      }
      result.push({ title, proposal, plannedMinutes });
    }
    return result;
  }

  /** Replaces a hearing's agenda; proposals joining it move to IN_HEARING, those leaving go back. */
  private async writeAgenda(tx: Tx, hearing: HearingEntity, items: CheckedItem[], actorId: string): Promise<void> {
    const before = await tx.em.findBy(AgendaItemEntity, { hearingId: hearing.id });
    await tx.em.delete(AgendaItemEntity, { hearingId: hearing.id });
    await tx.em.insert(
      AgendaItemEntity,
      items.map((item, position) => ({ hearingId: hearing.id, position, title: item.title, proposalId: item.proposal?.id ?? null, plannedMinutes: item.plannedMinutes })),
    );
    await this.proposals.takeIn(tx, hearing, items.map((i) => i.proposal).filter((p): p is ProposalEntity => !!p), actorId);
    const remaining = new Set(items.map((i) => i.proposal?.id).filter(Boolean));
    for (const old of before) {
      if (old.proposalId && !remaining.has(old.proposalId)) await this.proposals.release(tx, old.proposalId, hearing, actorId, msg('notifications.statusNotes.leftHearingAgenda', { hearing: hearing.title }));
    }
  }

  async schedule(rc: RequestContext, input: ScheduleHearingInput): Promise<HearingEntity> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    HearingsService.requireHostOf(viewer, district.code);
    const check = new InputCheck();
    const title = check.text('title', input.title, { min: 3, max: LIMITS.title });
    const description = check.text('description', input.description, { max: LIMITS.description, required: false, multiline: true, markup: 'markdown' });
    checkSchedule(check, input.startsAt, input.endsAt, this.clock.now());
    const place = checkPlace(check, input.venue, input.onlineUrl);
    const capacity = check.integer('capacity', input.capacity, { min: 1, max: LIMITS.capacity });
    const speakerTimeLimitSeconds = input.speakerTimeLimitSeconds == null ? 180 : check.integer('speakerTimeLimitSeconds', input.speakerTimeLimitSeconds, { min: 10, max: 3600 });
    const given = HearingScheduleService.checkAgendaInput(check, input.agenda);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const agenda = await this.resolveAgenda(tx, check, given, district.code);
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
      // A hearing is public from the moment it is scheduled: news for its district's followers and residents.
      await this.news.tell(tx, { districtCode: hearing.districtCode, topic: 'HEARING', subjectType: 'Hearing', subjectId: hearing.id, title: { th: hearing.title } });
      return hearing;
    });
  }

  async reschedule(rc: RequestContext, input: RescheduleHearingInput): Promise<HearingEntity> {
    const check = new InputCheck();
    const title = input.title == null ? undefined : check.text('title', input.title, { min: 3, max: LIMITS.title });
    const description = input.description == null ? undefined : check.text('description', input.description, { max: LIMITS.description, required: false, multiline: true, markup: 'markdown' });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lockForHost(rc, tx, input.hearingId);
      if (!PLANNABLE.includes(hearing.status)) throw AppError.illegalState(msg('errors.hearings.cannotReschedule', { status: hearing.status }));
      const startsAt = input.startsAt ?? hearing.startsAt;
      const endsAt = input.endsAt ?? hearing.endsAt;
      checkSchedule(check, startsAt, endsAt, input.startsAt != null ? this.clock.now() : null);
      const place = checkPlace(check, input.venue === undefined ? hearing.venue : input.venue, input.onlineUrl === undefined ? hearing.onlineUrl : input.onlineUrl);
      const capacity = input.capacity == null ? hearing.capacity : check.integer('capacity', input.capacity, { min: 1, max: LIMITS.capacity });
      const confirmed = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
      if (capacity < confirmed) check.fail('capacity', msg('errors.hearings.capacityBelowConfirmed', { confirmed }));
      const limit = input.speakerTimeLimitSeconds == null ? hearing.speakerTimeLimitSeconds : check.integer('speakerTimeLimitSeconds', input.speakerTimeLimitSeconds, { min: 10, max: 3600 });
      check.done();
      const moved = startsAt.getTime() !== hearing.startsAt.getTime() || endsAt.getTime() !== hearing.endsAt.getTime() || place.venue !== hearing.venue || place.onlineUrl !== hearing.onlineUrl;
      Object.assign(hearing, { title: title ?? hearing.title, description: description ?? hearing.description, startsAt, endsAt, ...place, capacity, speakerTimeLimitSeconds: limit });
      if (input.firstTimeSpeakersFirst != null) hearing.firstTimeSpeakersFirst = input.firstTimeSpeakersFirst;
      const saved = await tx.em.save(hearing);
      await this.registrations.promoteWaitlist(tx, saved);
      if (moved) await this.registrations.tellRegistrants(tx, saved, NotificationKind.HEARING_RESCHEDULED, rc.viewer!.id, { startsAt: saved.startsAt.toISOString(), endsAt: saved.endsAt.toISOString(), ...placeOf(saved) });
      await this.live.changed(tx, saved.id, HearingEventKind.SCHEDULE_CHANGED);
      return saved;
    });
  }

  async setAgenda(rc: RequestContext, hearingGlobalId: string, items: AgendaItemInput[]): Promise<HearingEntity> {
    const check = new InputCheck();
    const given = HearingScheduleService.checkAgendaInput(check, items);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lockForHost(rc, tx, hearingGlobalId);
      if (!PLANNABLE.includes(hearing.status)) throw AppError.illegalState(msg('errors.hearings.agendaFinal', { status: hearing.status }));
      const agenda = await this.resolveAgenda(tx, check, given, hearing.districtCode);
      check.done();
      await this.writeAgenda(tx, hearing, agenda, rc.viewer!.id);
      await this.registrations.tellRegistrants(tx, hearing, NotificationKind.HEARING_AGENDA_CHANGED, rc.viewer!.id, { agenda: agenda.map((i) => i.title) });
      await this.live.changed(tx, hearing.id, HearingEventKind.SCHEDULE_CHANGED);
      return hearing;
    });
  }
}
