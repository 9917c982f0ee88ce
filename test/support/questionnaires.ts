import { Account } from './factories';
import { TestServer } from './test-server';

/** A questionnaire built by a district's staff with one section and a question of each kind; opened when asked. */
export async function createQuestionnaire(
  api: TestServer,
  staff: Account,
  districtCode: string,
  options: { open?: boolean; anonymity?: 'NAMED' | 'ANONYMOUS'; audience?: 'SIGNED_IN' | 'FOLLOWERS' | 'VERIFIED_RESIDENTS' } = {},
): Promise<{ id: string; sectionId: string; questionIds: string[]; optionIds: string[] }> {
  const { createQuestionnaire } = await api.ok(
    `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id sections { id } questions { id options { id } } } } }`,
    {
      i: {
        districtCode,
        titleTh: 'ความเห็นเรื่องสวน',
        audience: options.audience ?? 'VERIFIED_RESIDENTS',
        anonymity: options.anonymity ?? 'NAMED',
        sections: [
          {
            titleTh: 'ทั่วไป',
            questions: [
              { type: 'SINGLE_CHOICE', required: true, promptTh: 'เคยใช้สวนหรือไม่', options: [{ labelTh: 'เคย' }, { labelTh: 'ไม่เคย' }] },
              { type: 'SCALE', promptTh: 'พอใจแค่ไหน', minValue: 1, maxValue: 5 },
              { type: 'LONG_TEXT', promptTh: 'ข้อเสนอแนะ' },
            ],
          },
        ],
      },
    },
    staff.token,
  );
  const q = createQuestionnaire.questionnaire;
  if (options.open) await api.ok(`mutation($id: ID!) { openQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id } } }`, { id: q.id }, staff.token);
  return { id: q.id, sectionId: q.sections[0].id, questionIds: q.questions.map((x: { id: string }) => x.id), optionIds: q.questions[0].options.map((o: { id: string }) => o.id) };
}
