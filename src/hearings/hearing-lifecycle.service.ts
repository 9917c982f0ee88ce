import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationKind } from '../notifications/notification.entity';
import { AgendaItemEntity, HearingEntity, SpeakerRequestEntity, SpeakerRequestStatus } from './entities/hearing.entity';
import { HearingAction, nextHearingStatus } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { HearingProposalsService } from './hearing-proposals.service';
import { HearingRegistrationService } from './hearing-registration.service';
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
   * Starting the session takes up the first agenda item; adjourning or closing needs the floor to be
   * free; cancelling sends its proposals back.
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
      const hearing = await this.hearings.lockForHost(rc, tx, hearingGlobalId);
      const to = nextHearingStatus(action, hearing.status);
      const now = this.clock.now();
      if (action === 'adjourn' || action === 'close') {
        const speaking = await tx.em.countBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING });
        if (speaking) throw AppError.illegalState('Someone holds the floor: end the speech first.');
        await stopItemClock(tx, hearing, now);
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
      if (action === 'open') await this.registrations.tellRegistrants(tx, saved, NotificationKind.HEARING_OPENED, actorId, saved.venue ?? saved.onlineUrl);
      if (action === 'cancel') {
        await this.registrations.tellRegistrants(tx, saved, NotificationKind.HEARING_CANCELLED, actorId, note);
        const items = await tx.em.findBy(AgendaItemEntity, { hearingId: saved.id });
        for (const item of items) if (item.proposalId) await this.proposals.release(tx, item.proposalId, saved.id, actorId, `The hearing “${saved.title}” was cancelled`);
      }
      await this.live.changed(tx, saved.id, HearingEventKind.STATE_CHANGED);
      return saved;
    });
  }
}
