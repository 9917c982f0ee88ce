import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/connection';
import { QuestionnaireAnonymity, QuestionnaireAudience, QuestionnaireStatus, QuestionType } from '../entities/questionnaire.entity';

@InputType()
export class QuestionOptionInput {
  @Field(() => String)
  labelTh: string;

  @Field(() => String, { nullable: true })
  labelEn?: string | null;
}

@InputType({ description: 'Show the question only when an earlier one’s answer chose an option (choice questions) or equals a number (scale, number).' })
export class ShowWhenInput {
  @Field(() => Int, { description: 'The earlier question’s number in the whole questionnaire (1 first).' })
  questionNumber: number;

  @Field(() => Int, { nullable: true, description: 'Choice questions: the option’s number (1 first).' })
  optionNumber?: number | null;

  @Field(() => Float, { nullable: true, description: 'SCALE and NUMBER questions: the value.' })
  value?: number | null;
}

@InputType()
export class QuestionInput {
  @Field(() => QuestionType)
  type: QuestionType;

  @Field(() => Boolean, { defaultValue: false })
  required: boolean;

  @Field(() => String)
  promptTh: string;

  @Field(() => String, { nullable: true })
  promptEn?: string | null;

  @Field(() => [QuestionOptionInput], { nullable: true, description: 'SINGLE_CHOICE, MULTIPLE_CHOICE and RANKING: 2 to 30 options.' })
  options?: QuestionOptionInput[] | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the smallest allowed (optional); SCALE: the low end, a whole number (0 or 1 usually).' })
  minValue?: number | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the largest allowed (optional); SCALE: the high end, a whole number (5, 7 or 10 usually).' })
  maxValue?: number | null;

  @Field(() => Int, { nullable: true, description: 'MULTIPLE_CHOICE: the fewest options an answer marks (default 1).' })
  minChoices?: number | null;

  @Field(() => Int, { nullable: true, description: 'MULTIPLE_CHOICE: the most (default all).' })
  maxChoices?: number | null;

  @Field(() => String, { nullable: true })
  scaleMinLabelTh?: string | null;

  @Field(() => String, { nullable: true })
  scaleMinLabelEn?: string | null;

  @Field(() => String, { nullable: true })
  scaleMaxLabelTh?: string | null;

  @Field(() => String, { nullable: true })
  scaleMaxLabelEn?: string | null;

  @Field(() => ShowWhenInput, { nullable: true })
  showWhen?: ShowWhenInput | null;
}

@InputType()
export class QuestionnaireSectionInput {
  @Field(() => String)
  titleTh: string;

  @Field(() => String, { nullable: true })
  titleEn?: string | null;

  @Field(() => String, { nullable: true })
  descriptionTh?: string | null;

  @Field(() => String, { nullable: true })
  descriptionEn?: string | null;

  @Field(() => [QuestionInput])
  questions: QuestionInput[];
}

/** What a questionnaire says and asks: given whole when it is created, and again to edit a draft. */
@InputType({ isAbstract: true })
export class QuestionnaireContentInput {
  @Field(() => String)
  titleTh: string;

  @Field(() => String, { nullable: true })
  titleEn?: string | null;

  @Field(() => String, { nullable: true })
  introductionTh?: string | null;

  @Field(() => String, { nullable: true })
  introductionEn?: string | null;

  @Field(() => QuestionnaireAudience)
  audience: QuestionnaireAudience;

  @Field(() => QuestionnaireAnonymity)
  anonymity: QuestionnaireAnonymity;

  @Field(() => Boolean, { nullable: true, description: 'Show the results to everyone while it is open (an anonymous one in batches); false (the default): only after closing. Its staff always see them.' })
  resultsLive?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'A proposal of the district it consults on.' })
  proposalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A hearing of the district it belongs to.' })
  hearingId?: string | null;

  @Field(() => Date, { nullable: true, description: 'The clock opens it then, unless staff open it before.' })
  opensAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'The clock closes it then, unless staff close it before.' })
  closesAt?: Date | null;

  @Field(() => [QuestionnaireSectionInput], { description: '1 to 20 sections of 1 to 100 questions in all.' })
  sections: QuestionnaireSectionInput[];
}

@InputType()
export class CreateQuestionnaireInput extends QuestionnaireContentInput {
  @Field(() => String)
  districtCode: string;
}

@InputType()
export class UpdateQuestionnaireInput extends QuestionnaireContentInput {
  @Field(() => ID)
  questionnaireId: string;
}

@InputType()
export class OpenQuestionnaireInput {
  @Field(() => ID)
  questionnaireId: string;
}

@InputType()
export class CloseQuestionnaireInput {
  @Field(() => ID)
  questionnaireId: string;
}

@InputType({ description: 'The answer to one question; give only the field its type takes.' })
export class AnswerInput {
  @Field(() => ID)
  questionId: string;

  @Field(() => [ID], { nullable: true, description: 'SINGLE_CHOICE: one option; MULTIPLE_CHOICE: the marked ones; RANKING: every option, first-ranked first.' })
  optionIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'SCALE (a whole number between its ends) and NUMBER.' })
  number?: number | null;

  @Field(() => String, { nullable: true, description: 'SHORT_TEXT (up to 200 characters) and LONG_TEXT (up to 5,000).' })
  text?: string | null;
}

@InputType()
export class RespondToQuestionnaireInput {
  @Field(() => ID)
  questionnaireId: string;

  @Field(() => String, { description: 'A new random key (8 to 100 characters) for each response or change; a retry with the same key and answers is answered as the first time.' })
  idempotencyKey: string;

  @Field(() => [AnswerInput])
  answers: AnswerInput[];
}

@InputType()
export class MyQuestionnaireResponseInput {
  @Field(() => ID)
  questionnaireId: string;

  @Field(() => String, { nullable: true, description: 'ANONYMOUS questionnaires: the receipt your last response was given (required there).' })
  receipt?: string | null;
}

@InputType()
export class QuestionnaireFilter {
  @Field(() => String, { nullable: true })
  districtCode?: string | null;

  @Field(() => [QuestionnaireStatus], { nullable: true, description: 'DRAFT only for the district’s staff and administrators.' })
  statuses?: QuestionnaireStatus[] | null;
}

@ArgsType()
export class QuestionnairesArgs extends PageArgs {
  @Field(() => QuestionnaireFilter, { nullable: true })
  filter?: QuestionnaireFilter | null;
}
