import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection';
import { toGlobalId } from '../../common/relay/global-id';
import { Node } from '../../common/relay/node.interface';

// ---- what the counter computes: plain data, stored as it is in a published snapshot ----------

/** One option's figures: choices counted; for ranking questions also its Borda points and mean rank. */
export interface OptionTally {
  optionId: string;
  count: number;
  /** Ranking: points summed over the rankings (n − rank + 1 for n options, so a first place of 5 options scores 5). */
  points?: number;
  meanRank?: number | null;
  firstPlaces?: number;
}

export interface QuestionTally {
  questionId: string;
  /** Responses that answered the question. */
  answered: number;
  options?: OptionTally[];
  scale?: { mean: number | null; median: number | null; distribution: { value: number; count: number }[] };
  number?: { count: number; mean: number | null; median: number | null; min: number | null; max: number | null };
  /** Text questions: the answers shown (for this viewer); the answers themselves are paged by `textAnswers`. */
  texts?: number;
}

export interface ResultsTally {
  responses: number;
  questions: QuestionTally[];
}

// ---- the API -----------------------------------------------------------------------------------

@ObjectType({ description: 'One option of a choice or ranking question, as answered.' })
export class QuestionnaireOptionResult {
  @Field(() => ID)
  optionId: string;

  @Field(() => String, { description: 'The option’s label in Thai, as its author wrote it.' })
  label: string;

  @Field(() => String, { nullable: true, description: 'The option’s label in English, when given.' })
  labelEn: string | null;

  @Field(() => Int, { description: 'Single and multiple choice: the responses that chose it. Ranking: the rankings that placed it.' })
  count: number;

  @Field(() => Float, { description: 'count / the responses that answered the question, 0 to 1 (multiple choice shares may add up to more than 1).' })
  share: number;

  @Field(() => Int, { nullable: true, description: 'Ranking: Borda points, n − rank + 1 per ranking for n options (first of 5 scores 5). Null for other types.' })
  points: number | null;

  @Field(() => Float, { nullable: true, description: 'Ranking: the mean rank over the rankings that placed it (1 is first). Null for other types or when never placed.' })
  meanRank: number | null;

  @Field(() => Int, { nullable: true, description: 'Ranking: how many rankings put it first. Null for other types.' })
  firstPlaces: number | null;
}

@ObjectType({ description: 'How many chose one value of a scale.' })
export class QuestionnaireScalePoint {
  @Field(() => Int)
  value: number;

  @Field(() => Int)
  count: number;

  @Field(() => Float, { description: 'count / the responses that answered, 0 to 1.' })
  share: number;
}

@ObjectType({ description: 'A scale question’s answers: mean, median and how many chose each value (every value of the scale, zeros included).' })
export class QuestionnaireScaleResult {
  @Field(() => Float, { nullable: true })
  mean: number | null;

  @Field(() => Float, { nullable: true, description: 'The continuous median (between two values when the count is even).' })
  median: number | null;

  @Field(() => [QuestionnaireScalePoint])
  distribution: QuestionnaireScalePoint[];
}

@ObjectType({ description: 'A number question’s answers.' })
export class QuestionnaireNumberResult {
  @Field(() => Int)
  count: number;

  @Field(() => Float, { nullable: true })
  mean: number | null;

  @Field(() => Float, { nullable: true, description: 'The continuous median.' })
  median: number | null;

  @Field(() => Float, { nullable: true })
  min: number | null;

  @Field(() => Float, { nullable: true })
  max: number | null;
}

@ObjectType({ description: 'The results of one question. Which of options, scale, number is set depends on its type; text answers are paged by `textAnswers`.' })
export class QuestionnaireQuestionResult {
  @Field(() => ID)
  questionId: string;

  @Field(() => String, { description: 'The question’s type.' })
  type: string;

  @Field(() => String, { description: 'The question in Thai.' })
  title: string;

  @Field(() => Int, { description: 'The responses that answered it.' })
  answered: number;

  @Field(() => [QuestionnaireOptionResult], { nullable: true, description: 'Single choice, multiple choice and ranking.' })
  options: QuestionnaireOptionResult[] | null;

  @Field(() => QuestionnaireScaleResult, { nullable: true })
  scale: QuestionnaireScaleResult | null;

  @Field(() => QuestionnaireNumberResult, { nullable: true })
  number: QuestionnaireNumberResult | null;

  /** Database ids and the district, for the textAnswers field. */
  questionnaireDbId: string;
  districtCode: string;
  questionDbId: string;
  isText: boolean;
  /** Whether the text answers are those of the published batch (anonymous questionnaires while open). */
  publishedOnly: boolean;
}

@ObjectType({ description: 'The results among the responses that gave one answer to the question the results are cut by.' })
export class QuestionnaireResultsGroup {
  @Field(() => ID, { nullable: true, description: 'The option of the cut question; null for the responses that did not answer it.' })
  optionId: string | null;

  @Field(() => String, { nullable: true })
  label: string | null;

  @Field(() => String, { nullable: true })
  labelEn: string | null;

  @Field(() => Int)
  responses: number;

  @Field(() => [QuestionnaireQuestionResult])
  questions: QuestionnaireQuestionResult[];
}

@ObjectType({ description: 'A questionnaire’s results, as the viewer may see them now. Aggregates only: no respondent.' })
export class QuestionnaireResults {
  @Field(() => ID)
  questionnaireId: string;

  @Field(() => String, { description: 'The questionnaire’s status when the results were read.' })
  status: string;

  @Field(() => Boolean, { description: 'Whether these are the final results (the questionnaire is closed).' })
  final: boolean;

  @Field(() => Int, { description: 'The responses counted.' })
  responses: number;

  @Field(() => Boolean, {
    description: 'Anonymous questionnaires while open: whether these are the last published batch (they move every few responses, so that no change can be set beside who answered when).',
  })
  batched: boolean;

  @Field(() => [QuestionnaireQuestionResult])
  questions: QuestionnaireQuestionResult[];

  @Field(() => ID, { nullable: true, description: 'The single-choice question the groups are cut by, when asked for.' })
  cutByQuestionId: string | null;

  @Field(() => [QuestionnaireResultsGroup], { nullable: true, description: 'The results per option of `cutByQuestionId` (and of those who did not answer it): their responses add up to `responses`.' })
  groups: QuestionnaireResultsGroup[] | null;

  /** Database id, for subscriptions. */
  questionnaireDbId: string;
}

@ObjectType('QuestionnaireTextAnswer', { implements: () => [Node], description: 'One free-text answer. Who wrote it is never shown; hidden answers are shown to the district’s staff only, marked.' })
export class QuestionnaireTextAnswer implements Node {
  id: string;
  nodeType = 'QuestionnaireTextAnswer';

  @Field(() => ID)
  questionId: string;

  @Field(() => String)
  text: string;

  @Field(() => Boolean, { description: 'Hidden by the district’s staff: only they see it.' })
  hidden: boolean;

  @Field(() => String, { nullable: true, description: 'Why it was hidden: staff only, null for anyone else.' })
  hiddenReason: string | null;

  static from(answer: { id: string; questionId: string; textValue: string | null; hidden: boolean; hiddenReason: string | null }, staff: boolean): QuestionnaireTextAnswer {
    return Object.assign(new QuestionnaireTextAnswer(), {
      id: toGlobalId('QuestionnaireTextAnswer', answer.id),
      questionId: toGlobalId('QuestionnaireQuestion', answer.questionId),
      text: answer.textValue ?? '',
      hidden: answer.hidden,
      hiddenReason: staff ? answer.hiddenReason : null,
    });
  }
}

export const QuestionnaireTextAnswerConnection = Connection(QuestionnaireTextAnswer, 'QuestionnaireTextAnswer');
