import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { fromGlobalId, toGlobalId } from '../../src/common/relay/global-id';
import { TestServer } from './test-server';

/**
 * A questionnaire with results to read, written with SQL as the builder and the responding service write it
 * (for the schema-wide suites, which need one of each id): a single-choice question and a text question, one
 * response, and the response event it counts. `status` CLOSED shows its results to everyone.
 */
export async function seedAnsweredQuestionnaire(
  api: TestServer,
  createdBy: string,
  options: { districtCode?: string; status?: 'OPEN' | 'CLOSED'; anonymity?: 'NAMED' | 'ANONYMOUS' } = {},
): Promise<{ questionnaireId: string; choiceQuestionId: string; textQuestionId: string; textAnswerId: string }> {
  const db = new Client({ connectionString: api.databaseUrl });
  await db.connect();
  try {
    const [id, section, choice, text, option, response, answer] = Array.from({ length: 7 }, () => randomUUID());
    await db.query(
      `INSERT INTO questionnaires (id, district_code, title_th, status, audience, anonymity, created_by, opened_at, closed_at) VALUES ($1, $2, 'สำรวจความเห็น', $3::varchar, 'SIGNED_IN', $4, $5, now(), CASE WHEN $3::varchar = 'CLOSED' THEN now() END)`,
      [id, options.districtCode ?? '1007', options.status ?? 'CLOSED', options.anonymity ?? 'NAMED', fromGlobalId(createdBy, 'User')],
    );
    await db.query(`INSERT INTO questionnaire_sections (id, questionnaire_id, position, title_th) VALUES ($1, $2, 0, 'ทั่วไป')`, [section, id]);
    await db.query(`INSERT INTO questionnaire_questions (id, questionnaire_id, section_id, position, type, prompt_th) VALUES ($1, $2, $3, 0, 'SINGLE_CHOICE', 'อายุ'), ($4, $2, $3, 1, 'LONG_TEXT', 'ข้อเสนอแนะ')`, [
      choice,
      id,
      section,
      text,
    ]);
    await db.query(`INSERT INTO questionnaire_options (id, question_id, questionnaire_id, position, label_th) VALUES ($1, $2, $3, 0, 'ต่ำกว่า 30')`, [option, choice, id]);
    await db.query(`INSERT INTO questionnaire_responses (id, questionnaire_id, slot, receipt_hash) VALUES ($1, $2, $3, $4)`, [response, id, 'a'.repeat(64), 'b'.repeat(64)]);
    await db.query(`INSERT INTO questionnaire_answers (response_id, questionnaire_id, question_id, option_id) VALUES ($1, $2, $3, $4)`, [response, id, choice, option]);
    await db.query(`INSERT INTO questionnaire_answers (id, response_id, questionnaire_id, question_id, text_value) VALUES ($1, $2, $3, $4, 'อยากได้ที่นั่งเพิ่ม')`, [answer, response, id, text]);
    await db.query(`INSERT INTO questionnaire_result_events (questionnaire_id, shard, count) VALUES ($1, 0, 1)`, [id]);
    return {
      questionnaireId: toGlobalId('Questionnaire', id),
      choiceQuestionId: toGlobalId('QuestionnaireQuestion', choice),
      textQuestionId: toGlobalId('QuestionnaireQuestion', text),
      textAnswerId: toGlobalId('QuestionnaireTextAnswer', answer),
    };
  } finally {
    await db.end();
  }
}
