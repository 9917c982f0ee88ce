import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { formatDateTime } from '../i18n/dates';
import { Locale } from '../i18n/locale';
import { InputCheck } from '../common/errors/validation';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationKind } from '../notifications/notification.entity';
import { AdjournmentEntity, AgendaItemEntity, HearingEntity, SpeakerRequestEntity, SpeakerRequestStatus } from './entities/hearing.entity';
import { HearingAction, nextHearingStatus, opensEarly } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { HearingProposalsService } from './hearing-proposals.service';
import { HearingRegistrationService, placeOf } from './hearing-registration.service';
import { HearingsService } from './hearings.service';
import { stopItemClock } from './item-clock';

const LIMITS = { reason: 1000, summary: 20_000 };

/** A host moves a hearing through its states (the table is hearing-lifecycle.ts). */
@Injectable()
export class HearingLifecycleService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hearings: HearingsService,
    private readonly proposals: HearingProposalsService,
    private readonly registrations: HearingRegistrationService,
    private readonly live: HearingLiveService,
    private readonly clock: Clock,
  ) {}

  /**
   * Each move is stored with the time it happened (for the minutes). Opening more than an hour before
   * the start needs a reason; starting the session takes up the first agenda item; adjourning or
   * closing needs the floor to be free; closing leaves its proposals heard, cancelling sends them back.
   */
  async transition(rc: RequestContext, hearingGlobalId: string, action: HearingAction, text?: string | null): Promise<HearingEntity> {
    const check = new InputCheck();
    const note =
      action === 'close'
        ? check.text('summary', text, { min: 3, max: LIMITS.summary, multiline: true, markup: 'markdown' })
        : action === 'cancel' || action === 'open'
          ? check.text('reason', text, { min: 3, max: LIMITS.reason, multiline: true, required: action === 'cancel' })
          : null;
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lockForHost(rc, tx, hearingGlobalId);
      const to = nextHearingStatus(action, hearing.status);
      const now = this.clock.now();
      if (action === 'open') {
        if (!note && opensEarly(hearing.startsAt, now)) {
          throw AppError.badInput([{ field: 'input.reason', message: msg('errors.hearings.earlyOpenReason', { startsAt: { th: formatDateTime(Locale.th, hearing.startsAt), en: hearing.startsAt.toISOString() } }) }]);
        }
        hearing.openedAt = now;
        hearing.openingReason = note || null;
      }
      if (action === 'adjourn' || action === 'close') {
        const speaking = await tx.em.countBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING });
        if (speaking) throw AppError.illegalState(msg('errors.hearings.floorHeld'));
        await stopItemClock(tx, hearing, now);
      }
      if (action === 'startSession' || action === 'resume') {
        if (!hearing.currentAgendaItemId) {
          const first = await tx.em.findOne(AgendaItemEntity, { where: { hearingId: hearing.id }, order: { position: 'ASC' } });
          hearing.currentAgendaItemId = first?.id ?? null;
        }
        hearing.currentItemStartedAt = now;
      }
      if (action === 'startSession') hearing.sessionStartedAt = now;
      if (action === 'adjourn') await tx.em.insert(AdjournmentEntity, { hearingId: hearing.id, adjournedAt: now });
      if (action === 'resume') await tx.em.update(AdjournmentEntity, { hearingId: hearing.id, resumedAt: IsNull() }, { resumedAt: now });
      if (action === 'close') {
        hearing.summary = note;
        hearing.closedAt = now;
      }
      if (action === 'cancel') hearing.cancelReason = note;
      hearing.status = to;
      const saved = await tx.em.save(hearing);
      const actorId = rc.viewer!.id;
      if (action === 'open') await this.registrations.tellRegistrants(tx, saved, NotificationKind.HEARING_OPENED, actorId, placeOf(saved));
      if (action === 'close') await this.proposals.releaseAgenda(tx, saved, actorId, msg('notifications.statusNotes.hearingClosed', { hearing: saved.title }));
      if (action === 'cancel') {
        await this.registrations.tellRegistrants(tx, saved, NotificationKind.HEARING_CANCELLED, actorId, note ? { reason: note } : {});
        await this.proposals.releaseAgenda(tx, saved, actorId, msg('notifications.statusNotes.hearingCancelled', { hearing: saved.title }));
      }
      await this.live.changed(tx, saved.id, HearingEventKind.STATE_CHANGED);
      return saved;
    });
  }
}
