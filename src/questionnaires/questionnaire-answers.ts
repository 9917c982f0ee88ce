import { AppError, defaultMessage, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { parseGlobalId, toGlobalId } from '../common/relay/global-id';
import { AnswerInput } from './dto/questionnaire.input';
import { QuestionnaireOptionEntity, QuestionnaireQuestionEntity, QuestionType } from './entities/questionnaire.entity';

/** One row of questionnaire_answers, before it has a response. */
export interface AnswerRow {
  questionId: string;
  optionId: string | null;
  rank: number | null;
  numberValue: string | null;
  textValue: string | null;
}

export const CHOICE_TYPES: readonly QuestionType[] = [QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING];
export const NUMBER_TYPES: readonly QuestionType[] = [QuestionType.SCALE, QuestionType.NUMBER];
const TEXT_LIMIT: Partial<Record<QuestionType, number>> = { [QuestionType.SHORT_TEXT]: 200, [QuestionType.LONG_TEXT]: 5000 };
/** What numeric(15, 4) holds. */
const NUMBER_LIMIT = 99_999_999_999;

/** An answer refused: its code, the question in `extensions.questionId` and the answer's place in `extensions.field`. */
function refuse(code: ErrorCode, question: QuestionnaireQuestionEntity, field: string): AppError {
  return new AppError(code, msg('questionnaires.answerRefused', { number: question.position, problem: defaultMessage(code) }), undefined, undefined, {
    questionId: toGlobalId('QuestionnaireQuestion', question.id),
    field,
  });
}

/** What an answer said, for the show-when conditions of later questions. */
interface Given {
  optionIds: Set<string>;
  number: number | null;
}

/**
 * A response's answers checked against its questions (in order, as a respondent fills them in) and turned
 * into rows: the first problem refuses the whole response. A question is shown when it has no condition,
 * or when the question it looks back to was shown and its answer chose the option or equals the number.
 */
export function checkAnswers(questions: QuestionnaireQuestionEntity[], options: QuestionnaireOptionEntity[], answers: AnswerInput[]): AnswerRow[] {
  const check = new InputCheck();
  if (!Array.isArray(answers)) check.fail('answers', msg('errors.input.required')).done();
  const byQuestion = new Map<string, { answer: AnswerInput; field: string }>();
  answers.forEach((answer, i) => {
    const field = `answers[${i}]`;
    const parsed = typeof answer?.questionId === 'string' ? parseGlobalId(answer.questionId) : null;
    const id = parsed?.type === 'QuestionnaireQuestion' ? parsed.id.toLowerCase() : null;
    if (!id || !questions.some((q) => q.id === id)) check.fail(`${field}.questionId`, msg('questionnaires.errors.notQuestion'));
    else if (byQuestion.has(id)) check.fail(`${field}.questionId`, msg('questionnaires.errors.questionTwice'));
    else byQuestion.set(id, { answer, field: `input.${field}` });
  });
  check.done();

  const rows: AnswerRow[] = [];
  const given = new Map<string, Given>();
  for (const question of [...questions].sort((a, b) => a.position - b.position)) {
    const entry = byQuestion.get(question.id);
    const field = entry?.field ?? 'input.answers';
    if (!shown(question, given)) {
      if (entry) throw refuse(ErrorCode.ANSWER_TO_HIDDEN_QUESTION, question, field);
      continue;
    }
    if (!entry) {
      if (question.required) throw refuse(ErrorCode.ANSWER_REQUIRED, question, field);
      continue;
    }
    const { answer } = entry;
    const hasOptions = answer.optionIds !== null && answer.optionIds !== undefined;
    const hasNumber = answer.number !== null && answer.number !== undefined;
    const hasText = answer.text !== null && answer.text !== undefined;
    const kinds = Number(hasOptions) + Number(hasNumber) + Number(hasText);
    const expected = CHOICE_TYPES.includes(question.type) ? hasOptions : NUMBER_TYPES.includes(question.type) ? hasNumber : hasText;
    if (kinds !== 1 || !expected) throw refuse(ErrorCode.ANSWER_TYPE_MISMATCH, question, field);

    if (CHOICE_TYPES.includes(question.type)) {
      const own = options.filter((o) => o.questionId === question.id);
      const ids = answer.optionIds!.map((globalId) => {
        const parsed = typeof globalId === 'string' ? parseGlobalId(globalId) : null;
        const option = parsed?.type === 'QuestionnaireOption' ? own.find((o) => o.id === parsed.id.toLowerCase()) : undefined;
        if (!option) throw refuse(ErrorCode.ANSWER_OPTION_NOT_OF_QUESTION, question, `${field}.optionIds`);
        return option.id;
      });
      const distinct = new Set(ids);
      if (question.type === QuestionType.RANKING) {
        if (distinct.size !== ids.length || ids.length !== own.length) throw refuse(ErrorCode.ANSWER_RANKING_NOT_PERMUTATION, question, `${field}.optionIds`);
        ids.forEach((optionId, i) => rows.push({ questionId: question.id, optionId, rank: i + 1, numberValue: null, textValue: null }));
      } else {
        const [min, max] = question.type === QuestionType.SINGLE_CHOICE ? [1, 1] : [question.minChoices ?? 1, question.maxChoices ?? own.length];
        if (distinct.size !== ids.length || ids.length < min || ids.length > max) throw refuse(ErrorCode.ANSWER_CHOICE_COUNT, question, `${field}.optionIds`);
        ids.forEach((optionId) => rows.push({ questionId: question.id, optionId, rank: null, numberValue: null, textValue: null }));
      }
      given.set(question.id, { optionIds: distinct, number: null });
    } else if (NUMBER_TYPES.includes(question.type)) {
      const value = answer.number!;
      const min = question.minValue === null ? -NUMBER_LIMIT : Number(question.minValue);
      const max = question.maxValue === null ? NUMBER_LIMIT : Number(question.maxValue);
      const whole = question.type !== QuestionType.SCALE || Number.isInteger(value);
      if (!Number.isFinite(value) || !whole || value < min || value > max) throw refuse(ErrorCode.ANSWER_OUT_OF_RANGE, question, `${field}.number`);
      rows.push({ questionId: question.id, optionId: null, rank: null, numberValue: String(value), textValue: null });
      given.set(question.id, { optionIds: new Set(), number: value });
    } else {
      const textCheck = new InputCheck('');
      const text = textCheck.text(`${field}.text`, answer.text, { max: TEXT_LIMIT[question.type]!, required: false, multiline: question.type === QuestionType.LONG_TEXT });
      textCheck.done();
      if (text === '') {
        if (question.required) throw refuse(ErrorCode.ANSWER_REQUIRED, question, `${field}.text`);
        continue;
      }
      rows.push({ questionId: question.id, optionId: null, rank: null, numberValue: null, textValue: text });
      given.set(question.id, { optionIds: new Set(), number: null });
    }
  }
  return rows;
}

function shown(question: QuestionnaireQuestionEntity, given: Map<string, Given>): boolean {
  if (!question.showWhenQuestionId) return true;
  const earlier = given.get(question.showWhenQuestionId);
  if (!earlier) return false;
  if (question.showWhenOptionId) return earlier.optionIds.has(question.showWhenOptionId);
  return earlier.number !== null && earlier.number === Number(question.showWhenNumber);
}

/** A response's rows in one canonical string, to tell a retry from different answers under the same key. */
export function answersFingerprint(rows: Pick<AnswerRow, 'questionId' | 'optionId' | 'rank' | 'numberValue' | 'textValue'>[]): string {
  return rows
    .map((r) => [r.questionId, r.optionId ?? '', r.rank ?? '', r.numberValue === null ? '' : Number(r.numberValue), r.textValue ?? ''].join('|'))
    .sort()
    .join('\n');
}
