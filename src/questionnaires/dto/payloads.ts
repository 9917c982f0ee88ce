import { Field, ObjectType } from '@nestjs/graphql';
import { Questionnaire, QuestionnaireResponse } from '../questionnaire.type';

/** Staff mutations answer with the questionnaire as it is after the change. */
@ObjectType({ isAbstract: true })
abstract class QuestionnairePayload {
  @Field(() => Questionnaire)
  questionnaire: Questionnaire;
}

@ObjectType()
export class CreateQuestionnairePayload extends QuestionnairePayload {}

@ObjectType()
export class UpdateQuestionnairePayload extends QuestionnairePayload {}

@ObjectType()
export class OpenQuestionnairePayload extends QuestionnairePayload {}

@ObjectType()
export class CloseQuestionnairePayload extends QuestionnairePayload {}

@ObjectType()
export class RespondToQuestionnairePayload extends QuestionnairePayload {
  @Field(() => String, { description: 'Keep it: in an ANONYMOUS questionnaire it is the only way to see your answers again (myQuestionnaireResponse). Each change gives a new one.' })
  receipt: string;

  @Field(() => Boolean, { description: 'True when it replaced your earlier answers.' })
  replaced: boolean;

  @Field(() => QuestionnaireResponse)
  response: QuestionnaireResponse;
}
