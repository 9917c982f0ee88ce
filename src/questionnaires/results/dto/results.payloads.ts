import { Field, ObjectType } from '@nestjs/graphql';
import { QuestionnaireTextAnswer } from '../questionnaire-results.type';

@ObjectType()
export class HideQuestionnaireAnswerPayload {
  @Field(() => QuestionnaireTextAnswer)
  answer: QuestionnaireTextAnswer;
}

@ObjectType()
export class UnhideQuestionnaireAnswerPayload {
  @Field(() => QuestionnaireTextAnswer)
  answer: QuestionnaireTextAnswer;
}
