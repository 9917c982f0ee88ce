import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Stance } from '../../discussions/entities/comment.entity';
import { AttendanceMode, HearingStatus, QuestionStatus, RegistrationStatus, SpeakerRequestStatus, SpeechEnd } from '../entities/hearing.entity';

registerEnumType(HearingStatus, { name: 'HearingStatus' });
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus' });
registerEnumType(AttendanceMode, { name: 'AttendanceMode' });
registerEnumType(SpeakerRequestStatus, { name: 'SpeakerRequestStatus' });
registerEnumType(SpeechEnd, { name: 'SpeechEnd' });
registerEnumType(QuestionStatus, { name: 'QuestionStatus' });

@InputType()
export class AgendaItemInput {
  @Field(() => String)
  title: string;

  @Field(() => ID, { nullable: true, description: 'A proposal of the same district to be heard under this item.' })
  proposalId?: string | null;

  @Field(() => Int, { description: 'Planned duration, 1 to 600 minutes.' })
  plannedMinutes: number;
}

@InputType()
export class ScheduleHearingInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Date)
  startsAt: Date;

  @Field(() => Date)
  endsAt: Date;

  @Field(() => String, { nullable: true, description: 'The hall’s address. A venue, an online link, or both.' })
  venue?: string | null;

  @Field(() => String, { nullable: true, description: 'https link for online participants.' })
  onlineUrl?: string | null;

  @Field(() => Int, { description: 'Seats in the hall (at least 1).' })
  capacity: number;

  @Field(() => Int, { nullable: true, description: 'Speaking time per turn in seconds (default 180).' })
  speakerTimeLimitSeconds?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Put people who have not spoken on an item ahead of those who have (default true).' })
  firstTimeSpeakersFirst?: boolean | null;

  @Field(() => [AgendaItemInput])
  agenda: AgendaItemInput[];
}

@InputType({ description: 'Only the fields given change; registrants are told.' })
export class RescheduleHearingInput {
  @Field(() => ID)
  hearingId: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  venue?: string | null;

  @Field(() => String, { nullable: true })
  onlineUrl?: string | null;

  @Field(() => Int, { nullable: true, description: 'Raising it promotes the waitlist; it cannot go below the seats already confirmed.' })
  capacity?: number | null;

  @Field(() => Int, { nullable: true })
  speakerTimeLimitSeconds?: number | null;

  @Field(() => Boolean, { nullable: true })
  firstTimeSpeakersFirst?: boolean | null;
}

@InputType()
export class CheckInInput {
  @Field(() => ID)
  hearingId: string;

  @Field(() => ID, { nullable: true, description: 'Check in a registration found at the door...' })
  registrationId?: string | null;

  @Field(() => String, { nullable: true, description: '...or the check-in code the attendee shows (scanned).' })
  code?: string | null;
}

@InputType()
export class RequestToSpeakInput {
  @Field(() => ID)
  hearingId: string;

  @Field(() => Stance, { nullable: true })
  stance?: Stance | null;
}

/** The hearing a mutation acts on, for the mutations that need nothing else. */
@InputType({ isAbstract: true })
abstract class HearingRef {
  @Field(() => ID)
  hearingId: string;
}

@InputType()
export class SetHearingAgendaInput extends HearingRef {
  @Field(() => [AgendaItemInput], { description: 'The whole new agenda, in order.' })
  agenda: AgendaItemInput[];
}

@InputType()
export class OpenHearingInput extends HearingRef {
  @Field(() => String, { nullable: true, description: 'Why the doors open this early; kept on the hearing and in its minutes.' })
  reason?: string | null;
}

@InputType()
export class StartHearingSessionInput extends HearingRef {}

@InputType()
export class AdjournHearingInput extends HearingRef {}

@InputType()
export class ResumeHearingInput extends HearingRef {}

@InputType()
export class CloseHearingInput extends HearingRef {
  @Field(() => String, { description: 'Markdown; becomes part of the minutes.' })
  summary: string;
}

@InputType()
export class CancelHearingInput extends HearingRef {
  @Field(() => String, { description: 'Told to every registrant.' })
  reason: string;
}

@InputType()
export class RegisterForHearingInput extends HearingRef {
  @Field(() => AttendanceMode, { nullable: true, defaultValue: AttendanceMode.IN_PERSON })
  mode?: AttendanceMode | null;
}

@InputType()
export class CancelRegistrationInput extends HearingRef {}

@InputType()
export class SetCurrentAgendaItemInput extends HearingRef {
  @Field(() => ID, { nullable: true, description: 'An item of this hearing’s agenda; the next item when left out.' })
  agendaItemId?: string | null;
}

@InputType()
export class WithdrawSpeakerRequestInput {
  @Field(() => ID)
  speakerRequestId: string;
}

@InputType()
export class GrantFloorInput extends HearingRef {
  @Field(() => ID, { nullable: true, description: 'A request in the queue of the current item; the next in the queue when left out.' })
  speakerRequestId?: string | null;
}

@InputType()
export class EndSpeechInput extends HearingRef {}

@InputType()
export class RecordStatementInput {
  @Field(() => ID)
  statementId: string;

  @Field(() => String, { description: 'What the speaker said, as it goes into the minutes.' })
  text: string;
}

@InputType()
export class AskQuestionInput extends HearingRef {
  @Field(() => String)
  text: string;
}

@InputType()
export class UpvoteQuestionInput {
  @Field(() => ID)
  questionId: string;
}

@InputType()
export class AnswerQuestionInput {
  @Field(() => ID)
  questionId: string;

  @Field(() => String, { nullable: true })
  answer?: string | null;
}

@InputType()
export class DismissQuestionInput {
  @Field(() => ID)
  questionId: string;

  @Field(() => String, { nullable: true, description: 'Kept as the question’s `answer`.' })
  reason?: string | null;
}
