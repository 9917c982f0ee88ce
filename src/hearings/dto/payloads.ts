import { Field, ObjectType } from '@nestjs/graphql';
import { Hearing, Question, Registration, SpeakerRequest, Statement } from '../hearing.type';

// Each mutation answers with a payload of its own, named for it, holding the object it changed.

@ObjectType({ isAbstract: true })
abstract class HearingPayload {
  @Field(() => Hearing)
  hearing: Hearing;
}

@ObjectType({ isAbstract: true })
abstract class RegistrationPayload {
  @Field(() => Registration)
  registration: Registration;
}

@ObjectType({ isAbstract: true })
abstract class SpeakerRequestPayload {
  @Field(() => SpeakerRequest)
  speakerRequest: SpeakerRequest;
}

@ObjectType({ isAbstract: true })
abstract class QuestionPayload {
  @Field(() => Question)
  question: Question;
}

@ObjectType()
export class ScheduleHearingPayload extends HearingPayload {}

@ObjectType()
export class RescheduleHearingPayload extends HearingPayload {}

@ObjectType()
export class SetHearingAgendaPayload extends HearingPayload {}

@ObjectType()
export class OpenHearingPayload extends HearingPayload {}

@ObjectType()
export class StartHearingSessionPayload extends HearingPayload {}

@ObjectType()
export class AdjournHearingPayload extends HearingPayload {}

@ObjectType()
export class ResumeHearingPayload extends HearingPayload {}

@ObjectType()
export class CloseHearingPayload extends HearingPayload {}

@ObjectType()
export class CancelHearingPayload extends HearingPayload {}

@ObjectType()
export class SetCurrentAgendaItemPayload extends HearingPayload {}

@ObjectType()
export class RegisterForHearingPayload extends RegistrationPayload {}

@ObjectType()
export class CancelRegistrationPayload extends RegistrationPayload {}

@ObjectType()
export class CheckInPayload extends RegistrationPayload {}

@ObjectType()
export class RequestToSpeakPayload extends SpeakerRequestPayload {}

@ObjectType()
export class WithdrawSpeakerRequestPayload extends SpeakerRequestPayload {}

@ObjectType()
export class GrantFloorPayload extends SpeakerRequestPayload {}

@ObjectType()
export class EndSpeechPayload extends SpeakerRequestPayload {}

@ObjectType()
export class RecordStatementPayload {
  @Field(() => Statement)
  statement: Statement;
}

@ObjectType()
export class AskQuestionPayload extends QuestionPayload {}

@ObjectType()
export class UpvoteQuestionPayload extends QuestionPayload {}

@ObjectType()
export class AnswerQuestionPayload extends QuestionPayload {}

@ObjectType()
export class DismissQuestionPayload extends QuestionPayload {}
