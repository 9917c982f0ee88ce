import { Injectable, OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { Refusable } from '../common/graphql/refusable-fields';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { CommentableRegistry } from '../discussions/commentable-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { Notification } from '../notifications/notification.type';
import { Proposal } from '../proposals/proposal.type';
import { ProposalsService } from '../proposals/proposals.service';
import { channel, EventBus } from '../realtime/event-bus';
import {
  AdjournHearingInput,
  AnswerQuestionInput,
  AskQuestionInput,
  CancelHearingInput,
  CancelRegistrationInput,
  CheckInInput,
  CloseHearingInput,
  DismissQuestionInput,
  EndSpeechInput,
  GrantFloorInput,
  OpenHearingInput,
  RecordStatementInput,
  RegisterForHearingInput,
  RequestToSpeakInput,
  RescheduleHearingInput,
  ResumeHearingInput,
  ScheduleHearingInput,
  SetCurrentAgendaItemInput,
  SetHearingAgendaInput,
  StartHearingSessionInput,
  UpvoteQuestionInput,
  WithdrawSpeakerRequestInput,
} from './dto/hearing.input';
import {
  AdjournHearingPayload,
  AnswerQuestionPayload,
  AskQuestionPayload,
  CancelHearingPayload,
  CancelRegistrationPayload,
  CheckInPayload,
  CloseHearingPayload,
  DismissQuestionPayload,
  EndSpeechPayload,
  GrantFloorPayload,
  OpenHearingPayload,
  RecordStatementPayload,
  RegisterForHearingPayload,
  RequestToSpeakPayload,
  RescheduleHearingPayload,
  ResumeHearingPayload,
  ScheduleHearingPayload,
  SetCurrentAgendaItemPayload,
  SetHearingAgendaPayload,
  StartHearingSessionPayload,
  UpvoteQuestionPayload,
  WithdrawSpeakerRequestPayload,
} from './dto/payloads';
import { AttendanceMode, HearingStatus, QuestionStatus } from './entities/hearing.entity';
import { HearingFloorService } from './hearing-floor.service';
import { HearingLifecycleService } from './hearing-lifecycle.service';
import { HEARING_UPDATED, HearingEventKind, HearingLiveState, HearingLiveService, reviveDates } from './hearing-live.service';
import { HearingMinutesService } from './hearing-minutes.service';
import { HearingRegistrationService } from './hearing-registration.service';
import { HearingScheduleService } from './hearing-schedule.service';
import {
  Adjournment,
  AgendaItem,
  Attendance,
  Hearing,
  HearingConnection,
  HearingLiveStateType,
  HearingMinutes,
  Question,
  Registration,
  SpeakerRequest,
  Statement,
} from './hearing.type';
import { HearingsService } from './hearings.service';

@Resolver(() => Hearing)
export class HearingsResolver {
  constructor(
    private readonly service: HearingsService,
    private readonly scheduling: HearingScheduleService,
    private readonly lifecycle: HearingLifecycleService,
    private readonly registrationService: HearingRegistrationService,
    private readonly floor: HearingFloorService,
    private readonly minutesService: HearingMinutesService,
    private readonly liveState: HearingLiveService,
    private readonly districts: DistrictsService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
  ) {}

  private async requireHearing(rc: RequestContext, globalId: string, field = 'hearingId'): Promise<Hearing> {
    const hearing = await this.nodes.fetchAs<Hearing>(globalId, 'Hearing', rc, field);
    if (!hearing) throw AppError.notFound('Hearing');
    return hearing;
  }

  // ---- queries -------------------------------------------------------------------------------

  @Query(() => Hearing, { nullable: true })
  async hearing(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Hearing | null> {
    return this.nodes.fetchAs<Hearing>(id, 'Hearing', rc, 'id');
  }

  @Query(() => HearingConnection, { description: "A district's hearings in a period, earliest first: for calendars." })
  async hearingsInDistrict(
    @Args('districtCode', { type: () => String }) districtCode: string,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
    @Args() page: PageArgs,
  ): Promise<HearingConnection> {
    return mapConnection(await this.service.inDistrict(districtCode, { from, to }, page), Hearing.from);
  }

  @Query(() => HearingConnection, { description: "A district's hearings not yet over, earliest first." })
  async upcomingHearings(@Args('districtCode', { type: () => String }) districtCode: string, @Args() page: PageArgs): Promise<HearingConnection> {
    return mapConnection(await this.service.inDistrict(districtCode, { upcomingOnly: true }, page), Hearing.from);
  }

  @Query(() => HearingMinutes, { nullable: true, description: 'The minutes of a closed hearing (null until it closes).' })
  async minutes(@Args('hearingId', { type: () => ID }) hearingId: string, @Ctx() rc: RequestContext): Promise<HearingMinutes | null> {
    const hearing = await this.requireHearing(rc, hearingId);
    const record = await this.minutesService.minutes(rc, hearing.entity.id);
    if (!record) return null;
    const held = record.hearing;
    return {
      hearing,
      scheduledStartsAt: held.startsAt,
      scheduledEndsAt: held.endsAt,
      openedAt: held.openedAt,
      openingReason: held.openingReason,
      sessionStartedAt: held.sessionStartedAt,
      adjournments: record.adjournments.map(Adjournment.from),
      closedAt: held.closedAt!,
      agenda: record.agenda.map(AgendaItem.from),
      attendance: record.attendance,
      statements: record.statements.map(Statement.from),
      answeredQuestions: record.answeredQuestions.map(Question.from),
      unansweredQuestions: record.unansweredQuestions.map(Question.from),
      dismissedQuestions: record.dismissedQuestions.map(Question.from),
      summary: record.hearing.summary ?? '',
      markdown: record.markdown,
    };
  }

  // ---- scheduling ----------------------------------------------------------------------------

  @Mutation(() => ScheduleHearingPayload, { description: 'A host of the district schedules a hearing with its agenda; proposals on it move to IN_HEARING.' })
  async scheduleHearing(@Args('input', { type: () => ScheduleHearingInput }) input: ScheduleHearingInput, @Ctx() rc: RequestContext): Promise<ScheduleHearingPayload> {
    return { hearing: Hearing.from(await this.scheduling.schedule(rc, input)) };
  }

  @Mutation(() => RescheduleHearingPayload, { description: 'Change the time, place, capacity or rules before the session; registrants are told.' })
  async rescheduleHearing(@Args('input', { type: () => RescheduleHearingInput }) input: RescheduleHearingInput, @Ctx() rc: RequestContext): Promise<RescheduleHearingPayload> {
    return { hearing: Hearing.from(await this.scheduling.reschedule(rc, input)) };
  }

  @Mutation(() => SetHearingAgendaPayload, { description: 'Replace the agenda before the session; registrants are told.' })
  async setHearingAgenda(@Args('input', { type: () => SetHearingAgendaInput }) input: SetHearingAgendaInput, @Ctx() rc: RequestContext): Promise<SetHearingAgendaPayload> {
    return { hearing: Hearing.from(await this.scheduling.setAgenda(rc, input.hearingId, input.agenda)) };
  }

  @Mutation(() => OpenHearingPayload, { description: 'SCHEDULED → OPEN: doors open, check-in starts; registrants are told. More than an hour before startsAt, a reason is required.' })
  async openHearing(@Args('input', { type: () => OpenHearingInput }) input: OpenHearingInput, @Ctx() rc: RequestContext): Promise<OpenHearingPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'open', input.reason)) };
  }

  @Mutation(() => StartHearingSessionPayload, { description: 'OPEN → IN_SESSION, on the first agenda item.' })
  async startHearingSession(@Args('input', { type: () => StartHearingSessionInput }) input: StartHearingSessionInput, @Ctx() rc: RequestContext): Promise<StartHearingSessionPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'startSession')) };
  }

  @Mutation(() => AdjournHearingPayload, { description: 'IN_SESSION → ADJOURNED (a break).' })
  async adjournHearing(@Args('input', { type: () => AdjournHearingInput }) input: AdjournHearingInput, @Ctx() rc: RequestContext): Promise<AdjournHearingPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'adjourn')) };
  }

  @Mutation(() => ResumeHearingPayload, { description: 'ADJOURNED → IN_SESSION.' })
  async resumeHearing(@Args('input', { type: () => ResumeHearingInput }) input: ResumeHearingInput, @Ctx() rc: RequestContext): Promise<ResumeHearingPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'resume')) };
  }

  @Mutation(() => CloseHearingPayload, { description: 'Close with a summary: the minutes become public, and the proposals on the agenda are HEARD (unless another hearing to come has them).' })
  async closeHearing(@Args('input', { type: () => CloseHearingInput }) input: CloseHearingInput, @Ctx() rc: RequestContext): Promise<CloseHearingPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'close', input.summary)) };
  }

  @Mutation(() => CancelHearingPayload, { description: 'Cancel before the session, with a reason; registrants are told, proposals go back.' })
  async cancelHearing(@Args('input', { type: () => CancelHearingInput }) input: CancelHearingInput, @Ctx() rc: RequestContext): Promise<CancelHearingPayload> {
    return { hearing: Hearing.from(await this.lifecycle.transition(rc, input.hearingId, 'cancel', input.reason)) };
  }

  // ---- attendance ----------------------------------------------------------------------------

  @Mutation(() => RegisterForHearingPayload, { description: 'A seat while seats remain, else the waitlist; ONLINE always gets a place.' })
  async registerForHearing(@Args('input', { type: () => RegisterForHearingInput }) input: RegisterForHearingInput, @Ctx() rc: RequestContext): Promise<RegisterForHearingPayload> {
    return { registration: Registration.from(await this.registrationService.register(rc, input.hearingId, input.mode ?? AttendanceMode.IN_PERSON)) };
  }

  @Mutation(() => CancelRegistrationPayload, { description: 'Give up your place; the first on the waitlist gets the seat.' })
  async cancelRegistration(@Args('input', { type: () => CancelRegistrationInput }) input: CancelRegistrationInput, @Ctx() rc: RequestContext): Promise<CancelRegistrationPayload> {
    return { registration: Registration.from(await this.registrationService.cancelRegistration(rc, input.hearingId)) };
  }

  @Mutation(() => CheckInPayload, { description: 'A host checks an attendee in at the door.' })
  async checkIn(@Args('input', { type: () => CheckInInput }) input: CheckInInput, @Ctx() rc: RequestContext): Promise<CheckInPayload> {
    return { registration: Registration.from(await this.registrationService.checkIn(rc, input)) };
  }

  // ---- the floor -----------------------------------------------------------------------------

  @Mutation(() => SetCurrentAgendaItemPayload, { description: 'Move to an agenda item, or to the next one when none is given.' })
  async setCurrentAgendaItem(@Args('input', { type: () => SetCurrentAgendaItemInput }) input: SetCurrentAgendaItemInput, @Ctx() rc: RequestContext): Promise<SetCurrentAgendaItemPayload> {
    return { hearing: Hearing.from(await this.floor.setCurrentItem(rc, input.hearingId, input.agendaItemId)) };
  }

  @Mutation(() => RequestToSpeakPayload, { description: 'An attendee asks to speak on the current item.' })
  async requestToSpeak(@Args('input', { type: () => RequestToSpeakInput }) input: RequestToSpeakInput, @Ctx() rc: RequestContext): Promise<RequestToSpeakPayload> {
    return { speakerRequest: SpeakerRequest.from(await this.floor.requestToSpeak(rc, input.hearingId, input.stance)) };
  }

  @Mutation(() => WithdrawSpeakerRequestPayload, { description: 'The requester leaves the queue.' })
  async withdrawSpeakerRequest(@Args('input', { type: () => WithdrawSpeakerRequestInput }) input: WithdrawSpeakerRequestInput, @Ctx() rc: RequestContext): Promise<WithdrawSpeakerRequestPayload> {
    return { speakerRequest: SpeakerRequest.from(await this.floor.withdrawRequest(rc, input.speakerRequestId)) };
  }

  @Mutation(() => GrantFloorPayload, { description: 'Give the floor to the next in the queue, or to the chosen request, until its deadline.' })
  async grantFloor(@Args('input', { type: () => GrantFloorInput }) input: GrantFloorInput, @Ctx() rc: RequestContext): Promise<GrantFloorPayload> {
    return { speakerRequest: SpeakerRequest.from(await this.floor.grantFloor(rc, input.hearingId, input.speakerRequestId)) };
  }

  @Mutation(() => EndSpeechPayload, { description: 'End the current speech (the host or the speaker).' })
  async endSpeech(@Args('input', { type: () => EndSpeechInput }) input: EndSpeechInput, @Ctx() rc: RequestContext): Promise<EndSpeechPayload> {
    return { speakerRequest: SpeakerRequest.from(await this.floor.endSpeech(rc, input.hearingId)) };
  }

  @Mutation(() => RecordStatementPayload, { description: 'Write or correct what a speaker said, for the minutes.' })
  async recordStatement(@Args('input', { type: () => RecordStatementInput }) input: RecordStatementInput, @Ctx() rc: RequestContext): Promise<RecordStatementPayload> {
    return { statement: Statement.from(await this.floor.recordStatement(rc, input.statementId, input.text)) };
  }

  @Mutation(() => AskQuestionPayload, { description: 'An attendee asks a written question.' })
  async askQuestion(@Args('input', { type: () => AskQuestionInput }) input: AskQuestionInput, @Ctx() rc: RequestContext): Promise<AskQuestionPayload> {
    return { question: Question.from(await this.floor.askQuestion(rc, input.hearingId, input.text)) };
  }

  @Mutation(() => UpvoteQuestionPayload, { description: 'Another attendee’s question deserves an answer (once each).' })
  async upvoteQuestion(@Args('input', { type: () => UpvoteQuestionInput }) input: UpvoteQuestionInput, @Ctx() rc: RequestContext): Promise<UpvoteQuestionPayload> {
    return { question: Question.from(await this.floor.upvote(rc, input.questionId)) };
  }

  @Mutation(() => AnswerQuestionPayload, { description: 'A host marks a question answered, noting the answer.' })
  async answerQuestion(@Args('input', { type: () => AnswerQuestionInput }) input: AnswerQuestionInput, @Ctx() rc: RequestContext): Promise<AnswerQuestionPayload> {
    return { question: Question.from(await this.floor.resolveQuestion(rc, input.questionId, QuestionStatus.ANSWERED, input.answer)) };
  }

  @Mutation(() => DismissQuestionPayload, { description: 'A host dismisses a question (off topic, duplicate).' })
  async dismissQuestion(@Args('input', { type: () => DismissQuestionInput }) input: DismissQuestionInput, @Ctx() rc: RequestContext): Promise<DismissQuestionPayload> {
    return { question: Question.from(await this.floor.resolveQuestion(rc, input.questionId, QuestionStatus.DISMISSED, input.reason)) };
  }

  // ---- live ----------------------------------------------------------------------------------

  @Subscription(() => HearingLiveStateType, {
    description: 'Every change of a hearing, each with the whole live state and a sequence number.',
    resolve: (state: HearingLiveState) => reviveDates(state),
  })
  async hearingUpdated(@Args('hearingId', { type: () => ID }) hearingId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<HearingLiveState>> {
    const hearing = await this.requireHearing(rc, hearingId);
    return this.events.subscribe<HearingLiveState>(channel(HEARING_UPDATED, hearing.entity.id));
  }

  // ---- fields --------------------------------------------------------------------------------

  @ResolveField(() => District)
  async district(@Parent() hearing: Hearing): Promise<District> {
    return District.from((await this.districts.find(hearing.entity.districtCode))!);
  }

  @ResolveField(() => [AgendaItem])
  async agenda(@Parent() hearing: Hearing, @Ctx() rc: RequestContext): Promise<AgendaItem[]> {
    return (await rc.loader(this.service.agendaOf).load(hearing.entity.id)).map(AgendaItem.from);
  }

  @ResolveField(() => HearingLiveStateType, { description: 'The live state now (what hearingUpdated pushes), with its sequence number.' })
  async live(@Parent() hearing: Hearing): Promise<HearingLiveState> {
    return this.liveState.snapshot({ em: this.liveState.manager }, hearing.entity, HearingEventKind.STATE_CHANGED);
  }

  @ResolveField(() => Attendance)
  async attendance(@Parent() hearing: Hearing, @Ctx() rc: RequestContext): Promise<Attendance> {
    return { ...(await rc.loader(this.registrationService.attendanceOf).load(hearing.entity.id)), capacity: hearing.capacity };
  }

  @ResolveField(() => Registration, { nullable: true, description: 'Your registration, if any.' })
  async myRegistration(@Parent() hearing: Hearing, @Ctx() rc: RequestContext): Promise<Registration | null> {
    if (!rc.viewer) return null;
    const registration = await rc.loader(this.registrationService.registrationOf).load(`${hearing.entity.id}:${rc.viewer.id}`);
    return registration ? Registration.from(registration) : null;
  }

  @ResolveField(() => [Registration], { nullable: true, description: 'Hosts only: every registration, in the order made; null with FORBIDDEN for anyone else.' })
  @Refusable()
  async registrations(@Parent() hearing: Hearing, @Ctx() rc: RequestContext): Promise<Registration[]> {
    return (await this.registrationService.attendanceList(rc, hearing.entity.id)).map(Registration.from);
  }

  @ResolveField(() => [Question], { description: 'Questions, most voted first.' })
  async questions(
    @Parent() hearing: Hearing,
    @Args('status', { type: () => QuestionStatus, nullable: true }) status: QuestionStatus | null,
  ): Promise<Question[]> {
    return (await this.liveState.questions(hearing.entity.id, status)).map(Question.from);
  }

  @ResolveField(() => [Statement], { description: 'Statements so far, in order.' })
  async statements(@Parent() hearing: Hearing): Promise<Statement[]> {
    return (await this.liveState.statements(hearing.entity.id)).map(Statement.from);
  }
}

@Resolver(() => AgendaItem)
export class AgendaItemResolver {
  constructor(private readonly proposals: ProposalsService) {}

  @ResolveField(() => Proposal, { nullable: true })
  async proposal(@Parent() item: AgendaItem, @Ctx() rc: RequestContext): Promise<Proposal | null> {
    const proposal = item.proposalId ? await this.proposals.findVisible(rc, item.proposalId) : null;
    return proposal ? Proposal.from(proposal) : null;
  }
}

@Resolver(() => Registration)
export class RegistrationResolver {
  constructor(
    private readonly registrations: HearingRegistrationService,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => String, { nullable: true, description: 'The code to show at the door (QR); only for the registrant.' })
  checkInCode(@Parent() registration: Registration, @Ctx() rc: RequestContext): string | null {
    return rc.viewer?.id === registration.entity.userId && registration.status === 'CONFIRMED' ? this.registrations.checkInCode(registration.entity.id) : null;
  }

  @ResolveField(() => User)
  async user(@Parent() registration: Registration, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(registration.entity.userId))!);
  }
}

@Resolver(() => Statement)
export class StatementResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => User)
  async speaker(@Parent() statement: Statement, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(statement.speakerId))!);
  }
}

@Resolver(() => Question)
export class QuestionResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => User)
  async author(@Parent() question: Question, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(question.authorId))!);
  }
}

@Resolver(() => Proposal)
export class ProposalHearingsResolver {
  constructor(private readonly service: HearingsService) {}

  @ResolveField(() => [Hearing], { description: 'Hearings with this proposal on their agenda; closed ones link to their minutes.' })
  async hearings(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<Hearing[]> {
    return (await rc.loader(this.service.hearingsOfProposal).load(proposal.proposalId)).map(Hearing.from);
  }
}

@Resolver(() => Notification)
export class NotificationHearingResolver {
  constructor(private readonly hearings: HearingsService) {}

  @ResolveField(() => Hearing, { nullable: true, description: 'The hearing it is about.' })
  async hearing(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<Hearing | null> {
    const hearing = notification.hearingId ? await this.hearings.find(rc, notification.hearingId) : null;
    return hearing ? Hearing.from(hearing) : null;
  }
}

/** Hearings have discussion threads too, open until the hearing is cancelled. */
@Injectable()
export class HearingDiscussion implements OnModuleInit {
  constructor(
    private readonly registry: CommentableRegistry,
    private readonly hearings: HearingsService,
  ) {}

  onModuleInit(): void {
    this.registry.register('Hearing', {
      findVisible: async (rc, id) => {
        const hearing = await this.hearings.find(rc, id);
        if (!hearing) return null;
        return {
          type: 'Hearing',
          id: hearing.id,
          districtCode: hearing.districtCode,
          closedReason: hearing.status === HearingStatus.CANCELLED ? msg('errors.hearings.discussionClosed') : null,
        };
      },
      // Hearings keep no comment count of their own; stance counts are computed from the comments.
      adjustCommentCount: async () => undefined,
    });
  }
}

export const HEARING_RESOLVERS = [
  HearingsResolver,
  AgendaItemResolver,
  RegistrationResolver,
  StatementResolver,
  QuestionResolver,
  ProposalHearingsResolver,
  NotificationHearingResolver,
  HearingDiscussion,
];
