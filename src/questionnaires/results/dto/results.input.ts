import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class QuestionnaireResultsInput {
  @Field(() => ID)
  questionnaireId: string;

  @Field(() => ID, { nullable: true, description: 'A single-choice question of the questionnaire: the results per option of it (for example by age band).' })
  cutByQuestionId?: string | null;
}

@InputType()
export class HideQuestionnaireAnswerInput {
  @Field(() => ID, { description: 'A QuestionnaireTextAnswer.' })
  questionnaireTextAnswerId: string;

  @Field(() => String, { description: 'Why it is hidden: kept for the staff and in the audit trail.' })
  reason: string;
}

@InputType()
export class UnhideQuestionnaireAnswerInput {
  @Field(() => ID, { description: 'A hidden QuestionnaireTextAnswer.' })
  questionnaireTextAnswerId: string;

  @Field(() => String, { description: 'Why it is shown again: kept in the audit trail.' })
  reason: string;
}

@InputType()
export class SetQuestionnaireResultsLiveInput {
  @Field(() => ID)
  questionnaireId: string;

  @Field(() => Boolean, { description: 'true: everyone sees the results while it is open (an anonymous one in batches); false: only after closing (its staff always).' })
  resultsLive: boolean;
}
