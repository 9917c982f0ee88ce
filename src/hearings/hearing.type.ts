import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { Stance } from '../discussions/entities/comment.entity';
import {
  AdjournmentEntity,
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
  SpeechEnd,
  StatementEntity,
} from './entities/hearing.entity';
import { HearingEventKind } from './hearing-live.service';

registerEnumType(HearingEventKind, { name: 'HearingEventKind' });

@ObjectType('Hearing', { implements: () => [Node], description: 'A public hearing (เวทีแสดงความคิดเห็น) of a district.' })
export class Hearing implements Node {
  @Field(() => String)
  title: string;

  @Field(() => String, { description: 'Markdown.' })
  description: string;

  @Field(() => Date)
  startsAt: Date;

  @Field(() => Date)
  endsAt: Date;

  @Field(() => String, { nullable: true })
  venue: string | null;

  @Field(() => String, { nullable: true })
  onlineUrl: string | null;

  @Field(() => Int, { description: 'Seats in the hall.' })
  capacity: number;

  @Field(() => HearingStatus)
  status: HearingStatus;

  @Field(() => Int)
  speakerTimeLimitSeconds: number;

  @Field(() => Boolean)
  firstTimeSpeakersFirst: boolean;

  @Field(() => String, { nullable: true, description: 'The summary written at closing.' })
  summary: string | null;

  @Field(() => String, { nullable: true })
  cancelReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the doors opened (null before, and for hearings held before this was kept).' })
  openedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the doors opened when they did: given when opening more than an hour before startsAt.' })
  openingReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the session started (null before, and for hearings held before this was kept).' })
  sessionStartedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  id: string;
  nodeType = 'Hearing';
  entity: HearingEntity;

  static from(entity: HearingEntity): Hearing {
    return Object.assign(new Hearing(), {
      id: toGlobalId('Hearing', entity.id),
      title: entity.title,
      description: entity.description,
      startsAt: entity.startsAt,
      endsAt: entity.endsAt,
      venue: entity.venue,
      onlineUrl: entity.onlineUrl,
      capacity: entity.capacity,
      status: entity.status,
      speakerTimeLimitSeconds: entity.speakerTimeLimitSeconds,
      firstTimeSpeakersFirst: entity.firstTimeSpeakersFirst,
      summary: entity.summary,
      cancelReason: entity.cancelReason,
      openedAt: entity.openedAt,
      openingReason: entity.openingReason,
      sessionStartedAt: entity.sessionStartedAt,
      closedAt: entity.closedAt,
      entity,
    });
  }
}

@ObjectType()
export class HearingConnection extends Connection(Hearing, 'Hearing') {}

@ObjectType('AgendaItem', { implements: () => [Node], description: 'An item of a hearing’s agenda.' })
export class AgendaItem implements Node {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: '0 for the first item.' })
  position: number;

  @Field(() => String)
  title: string;

  @Field(() => Int)
  plannedMinutes: number;

  @Field(() => Int, { description: 'Time spent on it so far (up to the last time it stopped being current).' })
  secondsSpent: number;

  proposalId: string | null;
  nodeType = 'AgendaItem';

  static from(entity: AgendaItemEntity): AgendaItem {
    return Object.assign(new AgendaItem(), {
      id: toGlobalId('AgendaItem', entity.id),
      position: entity.position,
      title: entity.title,
      plannedMinutes: entity.plannedMinutes,
      secondsSpent: entity.secondsSpent,
      proposalId: entity.proposalId,
    });
  }
}

@ObjectType('Registration', { implements: () => [Node], description: 'A place at a hearing: seen by the registrant and the district’s hosts.' })
export class Registration implements Node {
  @Field(() => ID)
  id: string;

  @Field(() => RegistrationStatus)
  status: RegistrationStatus;

  @Field(() => AttendanceMode)
  mode: AttendanceMode;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  checkedInAt: Date | null;

  entity: RegistrationEntity;
  nodeType = 'Registration';

  static from(entity: RegistrationEntity): Registration {
    return Object.assign(new Registration(), {
      id: toGlobalId('Registration', entity.id),
      status: entity.status,
      mode: entity.mode,
      createdAt: entity.createdAt,
      checkedInAt: entity.checkedInAt,
      entity,
    });
  }
}

@ObjectType('SpeakerRequest', { implements: () => [Node], description: 'A request to speak on an agenda item; a withdrawn one is seen only by its requester and the district’s hosts.' })
export class SpeakerRequest implements Node {
  @Field(() => ID)
  id: string;

  @Field(() => SpeakerRequestStatus)
  status: SpeakerRequestStatus;

  @Field(() => Stance, { nullable: true })
  stance: string | null;

  @Field(() => Boolean, { description: 'Had not spoken on this item before asking.' })
  firstTime: boolean;

  @Field(() => Date)
  requestedAt: Date;

  @Field(() => Date, { nullable: true })
  grantedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the speaker’s time runs out.' })
  deadline: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  @Field(() => SpeechEnd, { nullable: true })
  endReason: SpeechEnd | null;

  nodeType = 'SpeakerRequest';

  static from(entity: SpeakerRequestEntity): SpeakerRequest {
    return Object.assign(new SpeakerRequest(), {
      id: toGlobalId('SpeakerRequest', entity.id),
      status: entity.status,
      stance: entity.stance,
      firstTime: entity.firstTime,
      requestedAt: entity.requestedAt,
      grantedAt: entity.grantedAt,
      deadline: entity.deadlineAt,
      endedAt: entity.endedAt,
      endReason: entity.endReason,
    });
  }
}

@ObjectType('Statement', { implements: () => [Node], description: 'A turn on the floor, as written into the minutes.' })
export class Statement implements Node {
  @Field(() => ID)
  id: string;

  @Field(() => Stance, { nullable: true })
  stance: string | null;

  @Field(() => Date)
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  @Field(() => String)
  text: string;

  speakerId: string;
  agendaItemId: string;
  nodeType = 'Statement';

  static from(entity: StatementEntity): Statement {
    return Object.assign(new Statement(), {
      id: toGlobalId('Statement', entity.id),
      stance: entity.stance,
      startedAt: entity.startedAt,
      endedAt: entity.endedAt,
      text: entity.text,
      speakerId: entity.speakerId,
      agendaItemId: entity.agendaItemId,
    });
  }
}

@ObjectType('Question', { implements: () => [Node], description: 'A written question of an attendee.' })
export class Question implements Node {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  text: string;

  @Field(() => QuestionStatus)
  status: QuestionStatus;

  @Field(() => Int)
  upvotes: number;

  @Field(() => String, { nullable: true })
  answer: string | null;

  @Field(() => Date)
  createdAt: Date;

  authorId: string;
  nodeType = 'Question';

  static from(entity: QuestionEntity): Question {
    return Object.assign(new Question(), {
      id: toGlobalId('Question', entity.id),
      text: entity.text,
      status: entity.status,
      upvotes: entity.upvoteCount,
      answer: entity.answer,
      createdAt: entity.createdAt,
      authorId: entity.authorId,
    });
  }
}

@ObjectType('Attendance')
export class Attendance {
  @Field(() => Int)
  confirmed: number;

  @Field(() => Int)
  waitlisted: number;

  @Field(() => Int)
  checkedIn: number;

  @Field(() => Int, { description: 'Confirmed online participants.' })
  online: number;

  @Field(() => Int)
  capacity: number;
}

// ---- the live state pushed to screens ---------------------------------------------------------

@ObjectType('LiveParticipant', { description: 'A person as shown on screens: name only.' })
export class LiveParticipantType {
  @Field(() => ID, { description: 'The User.' })
  userId: string;

  @Field(() => ID, { deprecationReason: 'Use userId.' })
  id: string;

  /** Served by LiveParticipantResolver.displayName. */
  displayName: string;

  erased?: boolean;
}

@ObjectType('LiveAgendaItem')
export class LiveAgendaItem {
  @Field(() => ID, { description: 'The AgendaItem.' })
  agendaItemId: string;

  @Field(() => ID, { deprecationReason: 'Use agendaItemId.' })
  id: string;

  @Field(() => Int)
  position: number;

  @Field(() => String)
  title: string;

  @Field(() => ID, { nullable: true })
  proposalId: string | null;

  @Field(() => Int)
  plannedMinutes: number;

  @Field(() => Int)
  secondsSpent: number;

  @Field(() => Date, { nullable: true, description: 'When the current stretch on this item began.' })
  startedAt: Date | null;
}

@ObjectType('LiveFloor')
export class LiveFloor {
  @Field(() => ID, { description: 'The SpeakerRequest holding the floor.' })
  speakerRequestId: string;

  @Field(() => ID, { deprecationReason: 'Use speakerRequestId.' })
  requestId: string;

  @Field(() => LiveParticipantType)
  speaker: LiveParticipantType;

  @Field(() => Stance, { nullable: true })
  stance: string | null;

  @Field(() => Date)
  grantedAt: Date;

  @Field(() => Date)
  deadline: Date;
}

@ObjectType('LiveQueueEntry')
export class LiveQueueEntry {
  @Field(() => ID, { description: 'The SpeakerRequest waiting.' })
  speakerRequestId: string;

  @Field(() => ID, { deprecationReason: 'Use speakerRequestId.' })
  requestId: string;

  @Field(() => LiveParticipantType)
  speaker: LiveParticipantType;

  @Field(() => Stance, { nullable: true })
  stance: string | null;

  @Field(() => Boolean)
  firstTime: boolean;

  @Field(() => Date)
  requestedAt: Date;
}

@ObjectType('LiveStatement')
export class LiveStatement {
  @Field(() => ID, { description: 'The Statement.' })
  statementId: string;

  @Field(() => ID, { deprecationReason: 'Use statementId.' })
  id: string;

  @Field(() => LiveParticipantType)
  speaker: LiveParticipantType;

  @Field(() => Stance, { nullable: true })
  stance: string | null;

  @Field(() => String)
  text: string;

  @Field(() => Date)
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;
}

@ObjectType('LiveQuestion')
export class LiveQuestion {
  @Field(() => ID, { description: 'The Question.' })
  questionId: string;

  @Field(() => ID, { deprecationReason: 'Use questionId.' })
  id: string;

  @Field(() => String)
  text: string;

  @Field(() => Int)
  upvotes: number;

  @Field(() => QuestionStatus)
  status: string;

  @Field(() => LiveParticipantType)
  author: LiveParticipantType;
}

@ObjectType('HearingLiveState', {
  description:
    'Everything a screen needs to redraw, as of `sequence`. Each event carries the next sequence number: a gap means events were missed, so re-query `hearing { live }`.',
})
export class HearingLiveStateType {
  @Field(() => ID)
  hearingId: string;

  @Field(() => Int)
  sequence: number;

  @Field(() => HearingEventKind, { description: 'What changed.' })
  kind: HearingEventKind;

  @Field(() => HearingStatus)
  status: string;

  @Field(() => String)
  title: string;

  @Field(() => Date)
  startsAt: Date;

  @Field(() => Date)
  endsAt: Date;

  @Field(() => LiveAgendaItem, { nullable: true })
  currentAgendaItem: LiveAgendaItem | null;

  @Field(() => LiveFloor, { nullable: true })
  floor: LiveFloor | null;

  @Field(() => [LiveQueueEntry], { description: 'Waiting to speak on the current item, in the order they will be called.' })
  queue: LiveQueueEntry[];

  @Field(() => Attendance)
  attendance: Attendance;

  @Field(() => LiveStatement, { nullable: true })
  lastStatement: LiveStatement | null;

  @Field(() => [LiveQuestion], { description: 'The ten open questions with most votes.' })
  questions: LiveQuestion[];
}

@ObjectType('Adjournment', { description: 'A break in a hearing’s session.' })
export class Adjournment {
  @Field(() => Date)
  adjournedAt: Date;

  @Field(() => Date, { nullable: true, description: 'Null when the hearing closed during the break.' })
  resumedAt: Date | null;

  static from(entity: AdjournmentEntity): Adjournment {
    return Object.assign(new Adjournment(), { adjournedAt: entity.adjournedAt, resumedAt: entity.resumedAt });
  }
}

@ObjectType('HearingMinutes', { description: 'The public record of a closed hearing: the times are those at which each thing happened, the scheduled ones are labelled so.' })
export class HearingMinutes {
  @Field(() => Hearing)
  hearing: Hearing;

  @Field(() => Date, { description: 'The start announced beforehand.' })
  scheduledStartsAt: Date;

  @Field(() => Date, { description: 'The end announced beforehand.' })
  scheduledEndsAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the doors opened (null for hearings held before this was kept).' })
  openedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the doors opened when they did, as the host gave it.' })
  openingReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the session started (null for hearings held before this was kept).' })
  sessionStartedAt: Date | null;

  @Field(() => [Adjournment], { description: 'Breaks in the session, in order.' })
  adjournments: Adjournment[];

  @Field(() => Date)
  closedAt: Date;

  @Field(() => [AgendaItem])
  agenda: AgendaItem[];

  @Field(() => Attendance)
  attendance: Attendance;

  @Field(() => [Statement])
  statements: Statement[];

  @Field(() => [Question], { description: 'Answered questions, most voted first.' })
  answeredQuestions: Question[];

  @Field(() => [Question], { description: 'Questions still open when the hearing closed, most voted first.' })
  unansweredQuestions: Question[];

  @Field(() => [Question], { description: 'Questions a host dismissed, most voted first; `answer` holds the reason given.' })
  dismissedQuestions: Question[];

  @Field(() => String)
  summary: string;

  @Field(() => String, {
    description:
      "The whole record as a Markdown document, in the reader's language (the account's, else Accept-Language or connectionParams.locale, else Thai): headings, labels and times in Bangkok in that language, what people said as recorded. Also at GET /hearings/<id>/minutes.md.",
  })
  markdown: string;
}
