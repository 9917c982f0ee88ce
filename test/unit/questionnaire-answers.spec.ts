import { AppError } from '../../src/common/errors/app-error';
import { toGlobalId } from '../../src/common/relay/global-id';
import { QuestionnaireOptionEntity, QuestionnaireQuestionEntity, QuestionType } from '../../src/questionnaires/entities/questionnaire.entity';
import { checkAnswers } from '../../src/questionnaires/questionnaire-answers';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function question(n: number, type: QuestionType, more: Partial<QuestionnaireQuestionEntity> = {}): QuestionnaireQuestionEntity {
  return Object.assign(new QuestionnaireQuestionEntity(), {
    id: uuid(n), questionnaireId: uuid(0), sectionId: uuid(0), position: n, type, required: false, promptTh: `ข้อ ${n}`,
    minValue: null, maxValue: null, minChoices: null, maxChoices: null, showWhenQuestionId: null, showWhenOptionId: null, showWhenNumber: null, ...more,
  });
}
const option = (n: number, questionNumber: number, position: number) =>
  Object.assign(new QuestionnaireOptionEntity(), { id: uuid(100 + n), questionId: uuid(questionNumber), questionnaireId: uuid(0), position, labelTh: `ตัวเลือก ${n}` });

/** 1: yes/no; 2: a scale shown after "yes"; 3: a text shown when the scale is 5 (so hidden whenever 2 is). */
const questions = [
  question(1, QuestionType.SINGLE_CHOICE, { required: true }),
  question(2, QuestionType.SCALE, { required: true, minValue: '1', maxValue: '5', showWhenQuestionId: uuid(1), showWhenOptionId: uuid(101) }),
  question(3, QuestionType.SHORT_TEXT, { required: true, showWhenQuestionId: uuid(2), showWhenNumber: '5' }),
];
const options = [option(1, 1, 1), option(2, 1, 2)];
const q = (n: number) => toGlobalId('QuestionnaireQuestion', uuid(n));
const o = (n: number) => toGlobalId('QuestionnaireOption', uuid(100 + n));

function refusal(work: () => unknown): [string, unknown] {
  try {
    work();
  } catch (error) {
    return [(error as AppError).code, (error as AppError).details?.questionId];
  }
  return ['OK', undefined];
}

describe('checking a response’s answers', () => {
  it('follows show-when conditions down a chain: a question hidden by a hidden one is hidden too', () => {
    expect(checkAnswers(questions, options, [{ questionId: q(1), optionIds: [o(2)] }])).toHaveLength(1);
    expect(refusal(() => checkAnswers(questions, options, [{ questionId: q(1), optionIds: [o(2)] }, { questionId: q(3), text: 'x' }]))).toEqual(['ANSWER_TO_HIDDEN_QUESTION', q(3)]);
    expect(refusal(() => checkAnswers(questions, options, [{ questionId: q(1), optionIds: [o(1)] }, { questionId: q(2), number: 5 }]))).toEqual(['ANSWER_REQUIRED', q(3)]);
    expect(checkAnswers(questions, options, [{ questionId: q(1), optionIds: [o(1)] }, { questionId: q(2), number: 4 }])).toHaveLength(2);
  });

  it('refuses the first problem in question order, naming its question', () => {
    expect(refusal(() => checkAnswers(questions, options, [{ questionId: q(1), optionIds: [o(1)] }, { questionId: q(2), number: 9 }]))).toEqual(['ANSWER_OUT_OF_RANGE', q(2)]);
    expect(refusal(() => checkAnswers(questions, options, [{ questionId: q(1), number: 1 }]))).toEqual(['ANSWER_TYPE_MISMATCH', q(1)]);
    expect(refusal(() => checkAnswers(questions, options, []))).toEqual(['ANSWER_REQUIRED', q(1)]);
  });
});
