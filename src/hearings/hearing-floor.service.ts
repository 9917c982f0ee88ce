import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { RequestContext, Viewer } from '../common/context/request-context';
import { AppError, Message, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { fromGlobalId } from '../common/relay/global-id';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { Stance } from '../discussions/entities/comment.entity';
import {
  AgendaItemEntity,
  HearingEntity,
  HearingStatus,
  QuestionEntity,
  QuestionStatus,
  QuestionUpvoteEntity,
  SpeakerRequestEntity,
  SpeakerRequestStatus,
  SpeechEnd,
  StatementEntity,
} from './entities/hearing.entity';
import { LIVE } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService, queueOrder } from './hearing-live.service';
import { HearingRegistrationService } from './hearing-registration.service';
import { HearingsService } from './hearings.service';
import { stopItemClock } from './item-clock';

/** How often turns whose time ran out are ended. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * The floor of a hearing in session: the current agenda item, the speaker queue, one speaker at a
 * time with a deadline, statements for the minutes, and written questions ranked by attendees.
 */
@Injectable()
export class HearingFloorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HearingFloorService.name);
  private readonly sweeper = new BackgroundJob(() => this.sweep(), SWEEP_INTERVAL_MS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly hearings: HearingsService,
    private readonly registrations: HearingRegistrationService,
    private readonly live: HearingLiveService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onModuleDestroy(): void {
    this.sweeper.stop();
  }

  private async lockInSession(rc: RequestContext, tx: Tx, hearingId: string, host: boolean): Promise<{ hearing: HearingEntity; viewer: Viewer }> {
    const viewer = rc.requireViewer();
    const hearing = await this.hearings.lock(tx, hearingId);
    if (host && !HearingsService.isHost(viewer, hearing)) throw AppError.forbidden(msg('errors.hearings.floorHostsOnly'));
    return { hearing, viewer };
  }

  private static requireStatus(hearing: HearingEntity, statuses: readonly HearingStatus[], what: Message): void {
    if (!statuses.includes(hearing.status)) throw AppError.illegalState(msg('errors.hearings.wrongStatus', { what, statuses: msg(`errors.hearings.statuses.${statuses.join('_or_')}`), status: hearing.status }));
  }

  private async requireAttendee(tx: Tx, hearing: HearingEntity, viewer: Viewer): Promise<void> {
    if (!(await this.registrations.attends(tx, hearing, viewer))) {
      throw AppError.forbidden(msg('errors.hearings.attendeesOnly'));
    }
  }

  // ---- agenda --------------------------------------------------------------------------------

  /** Moves to the given item, or the next one when none is given. The floor must be free. */
  async setCurrentItem(rc: RequestContext, hearingId: string, itemGlobalId: string | null | undefined): Promise<HearingEntity> {
    return this.unitOfWork.run(async (tx) => {
      const { hearing } = await this.lockInSession(rc, tx, hearingId, true);
      HearingFloorService.requireStatus(hearing, [HearingStatus.IN_SESSION], msg('errors.hearings.what.agendaMoves'));
      if (await tx.em.countBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING })) throw AppError.illegalState(msg('errors.hearings.floorHeld'));
      const items = await tx.em.find(AgendaItemEntity, { where: { hearingId: hearing.id }, order: { position: 'ASC' } });
      let target: AgendaItemEntity | undefined;
      // An empty id is a bad id, not "the next item".
      if (itemGlobalId !== null && itemGlobalId !== undefined) {
        const id = fromGlobalId(itemGlobalId, 'AgendaItem', 'input.agendaItemId');
        target = items.find((i) => i.id === id);
        if (!target) throw AppError.badInput([{ field: 'input.agendaItemId', message: msg('errors.hearings.notAgendaItem') }]);
      } else {
        const current = items.findIndex((i) => i.id === hearing.currentAgendaItemId);
        target = items[current + 1];
        if (!target) throw AppError.illegalState(msg('errors.hearings.lastAgendaItem'));
      }
      const now = this.clock.now();
      await stopItemClock(tx, hearing, now);
      hearing.currentAgendaItemId = target.id;
      hearing.currentItemStartedAt = now;
      const saved = await tx.em.save(hearing);
      await this.live.changed(tx, hearing.id, HearingEventKind.AGENDA_ITEM_CHANGED);
      return saved;
    });
  }

  // ---- speakers ------------------------------------------------------------------------------

  async requestToSpeak(rc: RequestContext, hearingId: string, stance: Stance | null | undefined): Promise<SpeakerRequestEntity> {
    if (stance != null) {
      const check = new InputCheck('input');
      check.oneOf('stance', stance, Object.values(Stance));
      check.done();
    }
    return this.unitOfWork.run(async (tx) => {
      const { hearing, viewer } = await this.lockInSession(rc, tx, hearingId, false);
      HearingFloorService.requireStatus(hearing, [HearingStatus.IN_SESSION, HearingStatus.ADJOURNED], msg('errors.hearings.what.speakRequests'));
      await this.requireAttendee(tx, hearing, viewer);
      if (!hearing.currentAgendaItemId) throw AppError.illegalState(msg('errors.hearings.noCurrentItem'));
      const open = await tx.em.findOneBy(SpeakerRequestEntity, { agendaItemId: hearing.currentAgendaItemId, userId: viewer.id, status: In([SpeakerRequestStatus.QUEUED, SpeakerRequestStatus.SPEAKING]) });
      if (open) throw AppError.conflict(msg('errors.hearings.alreadyQueued'));
      const spokeBefore = await tx.em.countBy(SpeakerRequestEntity, { agendaItemId: hearing.currentAgendaItemId, userId: viewer.id, status: SpeakerRequestStatus.DONE });
      const request = await tx.em.save(
        tx.em.create(SpeakerRequestEntity, { hearingId: hearing.id, agendaItemId: hearing.currentAgendaItemId, userId: viewer.id, stance: stance ?? null, status: SpeakerRequestStatus.QUEUED, firstTime: spokeBefore === 0 }),
      );
      await this.live.changed(tx, hearing.id, HearingEventKind.QUEUE_CHANGED);
      return request;
    });
  }

  async withdrawRequest(rc: RequestContext, requestGlobalId: string): Promise<SpeakerRequestEntity> {
    const viewer = rc.requireViewer();
    const id = fromGlobalId(requestGlobalId, 'SpeakerRequest', 'input.speakerRequestId');
    const found = await this.dataSource.getRepository(SpeakerRequestEntity).findOneBy({ id });
    if (!found || found.userId !== viewer.id) throw AppError.notFound('YourSpeakerRequest');
    return this.unitOfWork.run(async (tx) => {
      await tx.em.findOne(HearingEntity, { where: { id: found.hearingId }, lock: { mode: 'pessimistic_write' } });
      const request = await tx.em.findOneByOrFail(SpeakerRequestEntity, { id });
      if (request.status !== SpeakerRequestStatus.QUEUED) throw AppError.illegalState(msg('errors.hearings.requestNotQueued', { status: request.status }));
      request.status = SpeakerRequestStatus.WITHDRAWN;
      request.endedAt = this.clock.now();
      const saved = await tx.em.save(request);
      await this.live.changed(tx, request.hearingId, HearingEventKind.QUEUE_CHANGED);
      return saved;
    });
  }

  /**
   * Gives the floor to the next in the queue (or to the chosen request) until the deadline. One
   * speaker at a time: the hearing row is locked, and a unique index refuses a second speaker anyway.
   */
  async grantFloor(rc: RequestContext, hearingId: string, requestGlobalId: string | null | undefined): Promise<SpeakerRequestEntity> {
    return this.unitOfWork.run(async (tx) => {
      const { hearing, viewer } = await this.lockInSession(rc, tx, hearingId, true);
      HearingFloorService.requireStatus(hearing, [HearingStatus.IN_SESSION], msg('errors.hearings.what.floorGiven'));
      if (await tx.em.countBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING })) throw AppError.conflict(msg('errors.hearings.floorAlreadyHeld'));
      if (!hearing.currentAgendaItemId) throw AppError.illegalState(msg('errors.hearings.noCurrentItem'));
      const queued = (await tx.em.findBy(SpeakerRequestEntity, { hearingId: hearing.id, agendaItemId: hearing.currentAgendaItemId, status: SpeakerRequestStatus.QUEUED })).sort(queueOrder(hearing));
      let request: SpeakerRequestEntity | undefined;
      // An empty id is a bad id, not "the next in the queue".
      if (requestGlobalId !== null && requestGlobalId !== undefined) {
        const id = fromGlobalId(requestGlobalId, 'SpeakerRequest', 'input.speakerRequestId');
        request = queued.find((r) => r.id === id);
        if (!request) throw AppError.badInput([{ field: 'input.speakerRequestId', message: msg('errors.hearings.notInQueue') }]);
      } else {
        request = queued[0];
        if (!request) throw AppError.illegalState(msg('errors.hearings.queueEmpty'));
      }
      const now = this.clock.now();
      request.status = SpeakerRequestStatus.SPEAKING;
      request.grantedAt = now;
      request.deadlineAt = new Date(now.getTime() + hearing.speakerTimeLimitSeconds * 1000);
      const saved = await tx.em.save(request);
      await tx.em.insert(StatementEntity, {
        hearingId: hearing.id,
        agendaItemId: request.agendaItemId,
        speakerId: request.userId,
        speakerRequestId: request.id,
        stance: request.stance,
        startedAt: now,
        text: '',
        recordedBy: viewer.id,
      });
      await this.live.changed(tx, hearing.id, HearingEventKind.FLOOR_GRANTED);
      return saved;
    });
  }

  /** The host (or the speaker) ends the turn. */
  async endSpeech(rc: RequestContext, hearingId: string): Promise<SpeakerRequestEntity> {
    return this.unitOfWork.run(async (tx) => {
      const { hearing, viewer } = await this.lockInSession(rc, tx, hearingId, false);
      const speaking = await tx.em.findOneBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING });
      if (!speaking) throw AppError.illegalState(msg('errors.hearings.nobodySpeaking'));
      if (speaking.userId !== viewer.id && !HearingsService.isHost(viewer, hearing)) throw AppError.forbidden(msg('errors.hearings.endSpeechSpeakerOrHost'));
      return this.finishTurn(tx, speaking, SpeechEnd.ENDED, this.clock.now());
    });
  }

  private async finishTurn(tx: Tx, turn: SpeakerRequestEntity, reason: SpeechEnd, at: Date): Promise<SpeakerRequestEntity> {
    turn.status = SpeakerRequestStatus.DONE;
    turn.endedAt = reason === SpeechEnd.TIMEOUT && turn.deadlineAt ? turn.deadlineAt : at;
    turn.endReason = reason;
    const saved = await tx.em.save(turn);
    await tx.em.update(StatementEntity, { speakerRequestId: turn.id }, { endedAt: saved.endedAt });
    await this.live.changed(tx, turn.hearingId, HearingEventKind.SPEECH_ENDED);
    return saved;
  }

  /**
   * Ends every turn whose time ran out (by the clock), as the sweeper does every second: answers once a
   * whole pass begun after the call has run.
   */
  endExpiredTurns(): Promise<void> {
    return this.sweeper.run();
  }

  /** One pass of the sweeper. Safe on several instances: each turn is re-checked under lock. */
  private async sweep(): Promise<void> {
    try {
      const now = this.clock.now();
      const expired = await this.dataSource.getRepository(SpeakerRequestEntity).find({ where: { status: SpeakerRequestStatus.SPEAKING, deadlineAt: LessThanOrEqual(now) }, select: { id: true, hearingId: true } });
      for (const { id, hearingId } of expired) {
        await this.unitOfWork.run(async (tx) => {
          await tx.em.findOne(HearingEntity, { where: { id: hearingId }, lock: { mode: 'pessimistic_write' } });
          const turn = await tx.em.findOneBy(SpeakerRequestEntity, { id, status: SpeakerRequestStatus.SPEAKING });
          if (turn && turn.deadlineAt && turn.deadlineAt.getTime() <= now.getTime()) await this.finishTurn(tx, turn, SpeechEnd.TIMEOUT, now);
        });
      }
    } catch (error) {
      this.logger.warn(`ending expired speeches failed: ${(error as Error).message}`);
    }
  }

  // ---- statements ----------------------------------------------------------------------------

  /** A host (or a clerk with host rights) writes what a speaker said, during the session or after. */
  async recordStatement(rc: RequestContext, statementGlobalId: string, text: string): Promise<StatementEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const body = check.text('text', text, { max: 10_000, multiline: true });
    check.done();
    const id = fromGlobalId(statementGlobalId, 'Statement', 'input.statementId');
    const found = await this.dataSource.getRepository(StatementEntity).findOneBy({ id });
    if (!found) throw AppError.notFound('Statement');
    return this.unitOfWork.run(async (tx) => {
      const hearing = await tx.em.findOneOrFail(HearingEntity, { where: { id: found.hearingId }, lock: { mode: 'pessimistic_write' } });
      if (!HearingsService.isHost(viewer, hearing)) throw AppError.forbidden(msg('errors.hearings.minutesHostsOnly'));
      if (hearing.status === HearingStatus.CLOSED && hearing.closedAt && this.clock.now().getTime() - hearing.closedAt.getTime() > 7 * 86_400_000) {
        throw AppError.illegalState(msg('errors.hearings.minutesFinal'));
      }
      await tx.em.update(StatementEntity, { id }, { text: body, recordedBy: viewer.id });
      await this.live.changed(tx, hearing.id, HearingEventKind.STATEMENT_RECORDED);
      return tx.em.findOneByOrFail(StatementEntity, { id });
    });
  }

  // ---- questions -----------------------------------------------------------------------------

  async askQuestion(rc: RequestContext, hearingId: string, text: string): Promise<QuestionEntity> {
    const check = new InputCheck();
    const body = check.text('text', text, { min: 3, max: 1000, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const { hearing, viewer } = await this.lockInSession(rc, tx, hearingId, false);
      HearingFloorService.requireStatus(hearing, LIVE, msg('errors.hearings.what.questionsTaken'));
      await this.requireAttendee(tx, hearing, viewer);
      const question = await tx.em.save(tx.em.create(QuestionEntity, { hearingId: hearing.id, authorId: viewer.id, text: body, status: QuestionStatus.OPEN }));
      await this.live.changed(tx, hearing.id, HearingEventKind.QUESTION_ASKED);
      return question;
    });
  }

  /** Attendees upvote others' questions, once each (the primary key decides). */
  async upvote(rc: RequestContext, questionGlobalId: string): Promise<QuestionEntity> {
    const viewer = rc.requireViewer();
    const id = fromGlobalId(questionGlobalId, 'Question', 'input.questionId');
    const found = await this.dataSource.getRepository(QuestionEntity).findOneBy({ id });
    if (!found) throw AppError.notFound('Question');
    return this.unitOfWork.run(async (tx) => {
      const hearing = await tx.em.findOneOrFail(HearingEntity, { where: { id: found.hearingId }, lock: { mode: 'pessimistic_write' } });
      HearingFloorService.requireStatus(hearing, LIVE, msg('errors.hearings.what.questionsVoted'));
      await this.requireAttendee(tx, hearing, viewer);
      const question = await tx.em.findOneByOrFail(QuestionEntity, { id });
      if (question.authorId === viewer.id) throw AppError.forbidden(msg('errors.hearings.ownQuestion'));
      if (question.status !== QuestionStatus.OPEN) throw AppError.illegalState(msg('errors.hearings.questionStatus', { status: question.status }));
      const inserted = await tx.em.createQueryBuilder().insert().into(QuestionUpvoteEntity).values({ questionId: id, userId: viewer.id }).orIgnore().returning('question_id').execute();
      if ((inserted.raw as unknown[]).length === 0) return question;
      question.upvoteCount += 1;
      const saved = await tx.em.save(question);
      await this.live.changed(tx, hearing.id, HearingEventKind.QUESTION_UPVOTED);
      return saved;
    });
  }

  async resolveQuestion(rc: RequestContext, questionGlobalId: string, status: QuestionStatus, answer: string | null | undefined): Promise<QuestionEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    if (status !== QuestionStatus.ANSWERED && status !== QuestionStatus.DISMISSED) check.fail('status', msg('errors.hearings.answeredOrDismissed'));
    // answerQuestion takes an `answer`, dismissQuestion a `reason`.
    const text = check.text(status === QuestionStatus.DISMISSED ? 'reason' : 'answer', answer, { max: 5000, required: false, multiline: true });
    check.done();
    const id = fromGlobalId(questionGlobalId, 'Question', 'input.questionId');
    const found = await this.dataSource.getRepository(QuestionEntity).findOneBy({ id });
    if (!found) throw AppError.notFound('Question');
    return this.unitOfWork.run(async (tx) => {
      const hearing = await tx.em.findOneOrFail(HearingEntity, { where: { id: found.hearingId }, lock: { mode: 'pessimistic_write' } });
      if (!HearingsService.isHost(viewer, hearing)) throw AppError.forbidden(msg('errors.hearings.answerHostsOnly'));
      const question = await tx.em.findOneByOrFail(QuestionEntity, { id });
      if (question.status !== QuestionStatus.OPEN) throw AppError.illegalState(msg('errors.hearings.questionAlready', { status: question.status }));
      question.status = status;
      question.answer = text || null;
      question.resolvedAt = this.clock.now();
      const saved = await tx.em.save(question);
      await this.live.changed(tx, hearing.id, HearingEventKind.QUESTION_RESOLVED);
      return saved;
    });
  }
}
