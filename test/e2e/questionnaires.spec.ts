import { Client } from 'pg';
import { Clock } from '../../src/common/clock/clock';
import { QuestionnaireClock } from '../../src/questionnaires/questionnaire-clock.service';
import { Account, loginAdmin, makeHost, makeResident, register } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/database';
import { describeWith } from '../support/services';
import { TestServer } from '../support/test-server';

const HOUR = 3600_000;
const QUESTION_FIELDS = 'id position type required options { id position } showWhen { question { id } option { id } number }';
const CREATE = `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id status anonymity questions { ${QUESTION_FIELDS} } } } }`;
const READ = `query($id: ID!) { questionnaire(id: $id) { id status titleTh responseCount viewerHasResponded sections { id titleTh questions { id } } questions { ${QUESTION_FIELDS} } } }`;
const OPEN = `mutation($id: ID!) { openQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id status openedAt } } }`;
const CLOSE = `mutation($id: ID!) { closeQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id status closedAt } } }`;
const UPDATE = `mutation($i: UpdateQuestionnaireInput!) { updateQuestionnaire(input: $i) { questionnaire { id } } }`;
const RESPOND = `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) {
  receipt replaced questionnaire { id } response { updatedAt answers { question { id } options { id } number text } } } }`;
const MINE = `query($i: MyQuestionnaireResponseInput!) { myQuestionnaireResponse(input: $i) { updatedAt answers { question { id } options { id } number text } } }`;
const AUDIT = `query($f: AuditFilter, $n: Int) { auditLog(filter: $f, first: $n) { edges { node { id action subject requestId at actor { id } } } } }`;

const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';
let keys = 0;
const key = () => `key-${process.pid}-${++keys}-${Math.random().toString(36).slice(2)}`;

/** Every question type, with a show-when on the first question's "yes" and one on the scale's 5. */
function content(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    titleTh: 'ความเห็นเรื่องสวนสาธารณะริมคลอง',
    titleEn: 'The canal-side park',
    introductionTh: 'ใช้เวลาประมาณ 3 นาที',
    audience: 'VERIFIED_RESIDENTS',
    anonymity: 'NAMED',
    sections: [
      {
        titleTh: 'การใช้สวน',
        questions: [
          { type: 'SINGLE_CHOICE', required: true, promptTh: 'คุณเคยใช้สวนนี้หรือไม่', options: [{ labelTh: 'เคย', labelEn: 'Yes' }, { labelTh: 'ไม่เคย', labelEn: 'No' }] },
          { type: 'MULTIPLE_CHOICE', required: true, promptTh: 'ใช้ทำอะไร', minChoices: 1, maxChoices: 2, options: [{ labelTh: 'วิ่ง' }, { labelTh: 'พักผ่อน' }, { labelTh: 'พาเด็กเล่น' }], showWhen: { questionNumber: 1, optionNumber: 1 } },
          { type: 'SCALE', required: true, promptTh: 'พอใจแค่ไหน', minValue: 1, maxValue: 5, scaleMinLabelTh: 'ไม่พอใจมาก', scaleMaxLabelTh: 'พอใจมาก' },
          { type: 'SHORT_TEXT', promptTh: 'ชอบอะไรที่สุด', showWhen: { questionNumber: 3, value: 5 } },
        ],
      },
      {
        titleTh: 'สิ่งที่ควรทำ',
        questions: [
          { type: 'RANKING', required: true, promptTh: 'เรียงลำดับความสำคัญ', options: [{ labelTh: 'ไฟส่องสว่าง' }, { labelTh: 'ห้องน้ำ' }, { labelTh: 'ที่นั่ง' }] },
          { type: 'NUMBER', promptTh: 'มากี่ครั้งต่อเดือน', minValue: 0, maxValue: 60 },
          { type: 'LONG_TEXT', promptTh: 'ข้อเสนอแนะอื่น ๆ' },
        ],
      },
    ],
    ...overrides,
  };
}

interface Built {
  id: string;
  q: { id: string; options: { id: string }[] }[];
}

/** A complete, valid set of answers: used the park, runs, rates 5, ranks in order. */
function goodAnswers(b: Built, overrides: Record<number, Record<string, unknown> | null> = {}): Record<string, unknown>[] {
  const base: Record<number, Record<string, unknown>> = {
    0: { optionIds: [b.q[0].options[0].id] },
    1: { optionIds: [b.q[1].options[0].id] },
    2: { number: 5 },
    3: { text: 'ต้นไม้ร่มรื่น' },
    4: { optionIds: b.q[4].options.map((o) => o.id) },
    5: { number: 8 },
  };
  return Object.entries({ ...base, ...overrides })
    .filter(([, answer]) => answer !== null)
    .map(([i, answer]) => ({ questionId: b.q[Number(i)].id, ...answer }));
}

describe('questionnaires', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let resident: Account;
  let otherResident: Account;
  let stranger: Account;

  const build = async (overrides: Record<string, unknown> = {}, districtCode = '1001'): Promise<Built> => {
    const { createQuestionnaire } = await api.ok(CREATE, { i: { districtCode, ...content(overrides) } }, host.token);
    return { id: createQuestionnaire.questionnaire.id, q: createQuestionnaire.questionnaire.questions };
  };
  const open = async (overrides: Record<string, unknown> = {}) => {
    const built = await build(overrides);
    await api.ok(OPEN, { id: built.id }, host.token);
    return built;
  };
  const respond = (b: Built, who: Account, answers: Record<string, unknown>[], idempotencyKey = key()) =>
    api.gql(RESPOND, { i: { questionnaireId: b.id, idempotencyKey, answers } }, who.token);
  const stored = async () => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM questionnaire_responses) AS responses, (SELECT count(*)::int FROM questionnaire_answers) AS answers,
              (SELECT count(*)::int FROM questionnaire_participations) AS participations, (SELECT count(*)::int FROM questionnaire_replaced_receipts) AS replaced`,
    );
    return rows[0];
  };

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1001');
    resident = await makeResident(api, admin, '1001');
    otherResident = await makeResident(api, admin, '1002');
    stranger = await register(api, { displayName: 'Signed-in stranger' });
  });
  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('staff build a draft that only staff can read; bad content is refused field by field', async () => {
    const b = await build();
    expect(b.q.map((q) => q.id)).toHaveLength(7);
    expect((await api.ok(READ, { id: b.id }, host.token)).questionnaire.status).toBe('DRAFT');
    for (const who of [undefined, resident.token, stranger.token]) expect((await api.ok(READ, { id: b.id }, who)).questionnaire).toBeNull();
    const read = (await api.ok(READ, { id: b.id }, host.token)).questionnaire;
    expect(read.questions[1].showWhen).toEqual({ question: { id: b.q[0].id }, option: { id: b.q[0].options[0].id }, number: null });
    expect(read.questions[3].showWhen).toEqual({ question: { id: b.q[2].id }, option: null, number: 5 });
    expect(read.sections.map((s: any) => s.questions.length)).toEqual([4, 3]);

    const bad = await api.gql(CREATE, { i: { districtCode: '1001', ...content({ sections: [{ titleTh: 'x', questions: [{ type: 'SCALE', promptTh: 'y', minValue: 5, maxValue: 1, showWhen: { questionNumber: 1, value: 1 } }] }] }) } }, host.token);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect((bad.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['input.sections[0].questions[0].maxValue', 'input.sections[0].questions[0].showWhen.questionNumber']);
    expect(code(await api.gql(CREATE, { i: { districtCode: '1001', ...content() } }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(CREATE, { i: { districtCode: '1002', ...content() } }, host.token))).toBe('FORBIDDEN');
  });

  it('freezes questions when it opens; only staff open and close it', async () => {
    const b = await build();
    expect(code(await api.gql(OPEN, { id: b.id }, resident.token))).toBe('NOT_FOUND');
    expect(code(await respond(b, host, goodAnswers(b)))).toBe('QUESTIONNAIRE_NOT_OPEN');
    expect(code(await respond(b, resident, goodAnswers(b)))).toBe('NOT_FOUND');
    await api.ok(UPDATE, { i: { questionnaireId: b.id, ...content({ titleTh: 'แก้แล้ว' }) } }, host.token);
    const edited = (await api.ok(READ, { id: b.id }, host.token)).questionnaire;
    expect(edited.titleTh).toBe('แก้แล้ว');
    expect((await api.ok(OPEN, { id: edited.id }, host.token)).openQuestionnaire.questionnaire.status).toBe('OPEN');
    const frozen = await api.gql(UPDATE, { i: { questionnaireId: b.id, ...content({ titleTh: 'อีกครั้ง' }) } }, host.token);
    expect(code(frozen)).toBe('QUESTIONS_FROZEN');
    expect(code(await api.gql(OPEN, { id: b.id }, host.token))).toBe('ILLEGAL_STATE');
    expect((await api.ok(READ, { id: b.id }, stranger.token)).questionnaire.questions).toHaveLength(7);
    expect((await api.ok(READ, { id: b.id })).questionnaire.status).toBe('OPEN');
  });

  it('refuses every bad answer with its code naming the question, and stores nothing', async () => {
    const { questionnaire } = await api.ok(READ, { id: (await open()).id }, host.token);
    const b: Built = { id: questionnaire.id, q: questionnaire.questions };
    const before = await stored();
    const other = await open();
    const cases: [string, Record<string, unknown>[], number][] = [
      ['ANSWER_TYPE_MISMATCH', goodAnswers(b, { 2: { text: 'five' } }), 2],
      ['ANSWER_TYPE_MISMATCH', goodAnswers(b, { 0: { optionIds: [b.q[0].options[0].id], number: 1 } }), 0],
      ['ANSWER_OPTION_NOT_OF_QUESTION', goodAnswers(b, { 0: { optionIds: [b.q[1].options[0].id] } }), 0],
      ['ANSWER_OPTION_NOT_OF_QUESTION', goodAnswers(b, { 4: { optionIds: other.q[4].options.map((o) => o.id) } }), 4],
      ['ANSWER_REQUIRED', goodAnswers(b, { 2: null }), 2],
      ['ANSWER_REQUIRED', goodAnswers(b, { 1: null }), 1],
      ['ANSWER_TO_HIDDEN_QUESTION', goodAnswers(b, { 0: { optionIds: [b.q[0].options[1].id] } }), 1],
      ['ANSWER_TO_HIDDEN_QUESTION', goodAnswers(b, { 2: { number: 4 } }), 3],
      ['ANSWER_OUT_OF_RANGE', goodAnswers(b, { 2: { number: 6 } }), 2],
      ['ANSWER_OUT_OF_RANGE', goodAnswers(b, { 2: { number: 4.5 }, 3: null }), 2],
      ['ANSWER_OUT_OF_RANGE', goodAnswers(b, { 5: { number: -1 } }), 5],
      ['ANSWER_CHOICE_COUNT', goodAnswers(b, { 1: { optionIds: b.q[1].options.map((o) => o.id) } }), 1],
      ['ANSWER_CHOICE_COUNT', goodAnswers(b, { 1: { optionIds: [] } }), 1],
      ['ANSWER_CHOICE_COUNT', goodAnswers(b, { 0: { optionIds: b.q[0].options.map((o) => o.id) } }), 0],
      ['ANSWER_RANKING_NOT_PERMUTATION', goodAnswers(b, { 4: { optionIds: b.q[4].options.slice(0, 2).map((o) => o.id) } }), 4],
      ['ANSWER_RANKING_NOT_PERMUTATION', goodAnswers(b, { 4: { optionIds: [b.q[4].options[0].id, b.q[4].options[0].id, b.q[4].options[1].id] } }), 4],
    ];
    for (const [expected, answers, question] of cases) {
      const res = await respond(b, resident, answers);
      expect([expected, res.errors?.[0]?.extensions?.questionId]).toEqual([code(res), b.q[question].id]);
    }
    expect(code(await respond(b, resident, [...goodAnswers(b), { questionId: b.q[0].id, optionIds: [b.q[0].options[0].id] }]))).toBe('BAD_USER_INPUT');
    expect(code(await respond(b, resident, goodAnswers(b, { 6: { questionId: other.q[6].id, text: 'x' } })))).toBe('BAD_USER_INPUT');
    // Outside the audience.
    expect([code(await respond(b, stranger, goodAnswers(b))), code(await respond(b, otherResident, goodAnswers(b)))]).toEqual(['NOT_IN_AUDIENCE', 'NOT_IN_AUDIENCE']);
    expect(code(await api.gql(RESPOND, { i: { questionnaireId: b.id, idempotencyKey: key(), answers: goodAnswers(b) } }))).toBe('UNAUTHENTICATED');
    expect(await stored()).toEqual(before);
    // After closing.
    await api.ok(CLOSE, { id: b.id }, host.token);
    const closed = await respond(b, resident, goodAnswers(b));
    expect([code(closed), closed.errors?.[0]?.extensions?.status]).toEqual(['QUESTIONNAIRE_NOT_OPEN', 'CLOSED']);
    expect(await stored()).toEqual(before);
  });

  it('followers (for now the district’s residents) and anyone signed in, by audience', async () => {
    const followers = await open({ audience: 'FOLLOWERS' });
    expect(code(await respond(followers, stranger, goodAnswers(followers)))).toBe('NOT_IN_AUDIENCE');
    expect(code(await respond(followers, resident, goodAnswers(followers)))).toBe('OK');
    const everyone = await open({ audience: 'SIGNED_IN' });
    expect(code(await respond(everyone, stranger, goodAnswers(everyone)))).toBe('OK');
    expect(code(await respond(everyone, otherResident, goodAnswers(everyone)))).toBe('OK');
  });

  it('one response per person under 20 simultaneous submissions; a change replaces the answers; a retry changes nothing', async () => {
    const b = await open();
    const person = await makeResident(api, admin, '1001');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => respond(b, person, goodAnswers(b, { 5: { number: i } }))));
    expect(results.map(code).filter((c) => c !== 'OK')).toEqual([]);
    expect(results.filter((r) => r.data!.respondToQuestionnaire.replaced === false)).toHaveLength(1);
    const counts = (await db.query(`SELECT (SELECT count(*)::int FROM questionnaire_responses WHERE questionnaire_id = $1) AS responses, (SELECT count(*)::int FROM questionnaire_participations WHERE questionnaire_id = $1) AS participations`, [b.id ? fromGlobal(b.id) : null])).rows[0];
    expect(counts).toEqual({ responses: 1, participations: 1 });
    expect((await api.ok(READ, { id: b.id }, person.token)).questionnaire).toMatchObject({ responseCount: 1, viewerHasResponded: true });

    const k = key();
    const changed = await respond(b, person, goodAnswers(b, { 0: { optionIds: [b.q[0].options[1].id] }, 1: null, 2: { number: 2 }, 3: null, 5: null }), k);
    expect(changed.data!.respondToQuestionnaire.replaced).toBe(true);
    const mine = (await api.ok(MINE, { i: { questionnaireId: b.id } }, person.token)).myQuestionnaireResponse;
    expect(mine.answers.map((a: any) => [a.question.id, a.options.map((o: any) => o.id), a.number])).toEqual([
      [b.q[0].id, [b.q[0].options[1].id], null],
      [b.q[2].id, [], 2],
      [b.q[4].id, b.q[4].options.map((o) => o.id), null],
    ]);
    // The same key again: a replay; the same key with other answers: refused.
    expect(code(await respond(b, person, goodAnswers(b, { 0: { optionIds: [b.q[0].options[1].id] }, 1: null, 2: { number: 2 }, 3: null, 5: null }), k))).toBe('OK');
    expect(code(await respond(b, person, goodAnswers(b), k))).toBe('CONFLICT');
    expect((await api.ok(MINE, { i: { questionnaireId: b.id } }, resident.token)).myQuestionnaireResponse).toBeNull();
  });

  it('anonymous: nothing an administrator can read links an account to its answers', async () => {
    const b = await open({ anonymity: 'ANONYMOUS' });
    const people = [resident, await makeResident(api, admin, '1001'), await makeResident(api, admin, '1001')];
    const receipts: string[] = [];
    for (const [i, person] of people.entries()) {
      const res = await respond(b, person, goodAnswers(b, { 2: { number: i + 1 }, 3: null }));
      expect(code(res)).toBe('OK');
      expect(res.data!.respondToQuestionnaire.response.updatedAt).toBeNull();
      receipts.push(res.data!.respondToQuestionnaire.receipt);
    }
    // The audit trail: no actor, no request id, only the hour, for each response.
    const entries = (await api.ok(AUDIT, { f: { action: 'respondToQuestionnaire', districtCode: '1001' }, n: 100 }, admin.token)).auditLog.edges.map((e: any) => e.node);
    const anonymousEntries = entries.filter((e: any) => e.subject?.id === b.id || e.subject === b.id || JSON.stringify(e.subject ?? '').includes(b.id));
    expect(anonymousEntries.length).toBeGreaterThanOrEqual(3);
    for (const entry of anonymousEntries) {
      expect(entry.actor).toBeNull();
      expect(entry.requestId).toBeNull();
      expect(new Date(entry.at).getTime() % HOUR).toBe(0);
    }
    // The stored rows: a response carries no account and no time; its answers no time; participations point at no response.
    const responses = (await db.query(`SELECT * FROM questionnaire_responses WHERE questionnaire_id = $1`, [fromGlobal(b.id)])).rows;
    expect(responses).toHaveLength(3);
    for (const row of responses) expect([row.respondent_id, row.submitted_at, row.changed_at]).toEqual([null, null, null]);
    // Ids are random (version 4), not time-ordered: sorted by id, responses are in no order of who came when.
    const answerRows = (await db.query(`SELECT id FROM questionnaire_answers WHERE questionnaire_id = $1`, [fromGlobal(b.id)])).rows;
    for (const { id } of [...responses, ...answerRows]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The audit entries of anonymous responses are all alike: same action, subject, hour; no actor, no request id.
    expect(new Set(anonymousEntries.map((e: any) => JSON.stringify([e.action, e.subject, e.at, e.actor, e.requestId]))).size).toBe(1);
    const accountIds = people.map((p) => p.id);
    const everything = JSON.stringify((await db.query(`SELECT r.*, a.* FROM questionnaire_responses r JOIN questionnaire_answers a ON a.response_id = r.id WHERE r.questionnaire_id = $1`, [fromGlobal(b.id)])).rows);
    for (const accountId of accountIds) expect(everything).not.toContain(fromGlobal(accountId));
    const participationColumns = (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'questionnaire_participations' ORDER BY column_name`)).rows.map((r) => r.column_name);
    expect(participationColumns).toEqual(['account_id', 'questionnaire_id']);
    // No response, answer or participation is a node; `node` takes none of them.
    for (const type of ['QuestionnaireResponse', 'QuestionnaireAnswer', 'QuestionnaireParticipation']) {
      const res = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from(`${type}:${responses[0].id}`).toString('base64') }, admin.token);
      expect(code(res)).toBe('BAD_USER_INPUT');
    }

    // A respondent sees their answers only through their receipt, not through their account.
    expect(code(await api.gql(MINE, { i: { questionnaireId: b.id } }, resident.token))).toBe('BAD_USER_INPUT');
    expect((await api.ok(MINE, { i: { questionnaireId: b.id, receipt: receipts[0] } })).myQuestionnaireResponse.answers[2].number).toBe(1);
    // A change replaces the answers under fresh ids; the old receipt shows nothing any more.
    const answerIds = async () => (await db.query(`SELECT id FROM questionnaire_answers WHERE questionnaire_id = $1`, [fromGlobal(b.id)])).rows.map((r) => r.id);
    const idsBefore = await answerIds();
    const changed = await respond(b, resident, goodAnswers(b, { 2: { number: 3 }, 3: null }));
    expect(changed.data!.respondToQuestionnaire.replaced).toBe(true);
    expect((await api.ok(MINE, { i: { questionnaireId: b.id, receipt: receipts[0] } })).myQuestionnaireResponse).toBeNull();
    expect((await api.ok(MINE, { i: { questionnaireId: b.id, receipt: changed.data!.respondToQuestionnaire.receipt } })).myQuestionnaireResponse.answers[2].number).toBe(3);
    const idsAfter = await answerIds();
    expect(idsAfter).toHaveLength(idsBefore.length);
    expect(idsAfter.filter((id) => !idsBefore.includes(id)).length).toBeGreaterThan(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM questionnaire_responses WHERE questionnaire_id = $1`, [fromGlobal(b.id)])).rows[0].n).toBe(3);
  });
});

/** The database id inside a global id (or an account's plain id). */
function fromGlobal(id: string): string {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.split(':')[1] : id;
}

describeWith({ postgres: true }, 'questionnaires: the clock on two instances', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url }), TestServer.start({ databaseUrl: database.url })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('opens at opensAt and closes at closesAt, each exactly once', async () => {
    const admin = await loginAdmin(a);
    const host = await makeHost(a, admin, '1001');
    const opensAt = new Date(Date.now() + HOUR);
    const closesAt = new Date(Date.now() + 2 * HOUR);
    const { createQuestionnaire } = await a.ok(CREATE, { i: { districtCode: '1001', ...content({ opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() }) } }, host.token);
    const id = createQuestionnaire.questionnaire.id;
    for (const server of [a, b]) server.server.app.get(QuestionnaireClock).onModuleDestroy();
    const at = (time: number) => [a, b].forEach((server) => (server.server.app.get(Clock).now = () => new Date(time)));
    const passes = () => Promise.all([a, b, a, b].map((server) => server.server.app.get(QuestionnaireClock).moveDue()));
    const mine = (rows: { id: string; status: string }[][]) => rows.flat().filter((row) => row.id === fromGlobal(id)).map((row) => row.status);

    at(opensAt.getTime() - 1);
    expect(mine(await passes())).toEqual([]);
    at(opensAt.getTime());
    expect(mine(await passes())).toEqual(['OPEN']);
    expect((await b.ok(READ, { id })).questionnaire.status).toBe('OPEN');
    at(Date.now());
    expect(code(await b.gql(UPDATE, { i: { questionnaireId: id, ...content() } }, host.token))).toBe('QUESTIONS_FROZEN');
    at(closesAt.getTime());
    expect(mine(await passes())).toEqual(['CLOSED']);
    expect(mine(await passes())).toEqual([]);
    expect((await a.ok(READ, { id })).questionnaire.status).toBe('CLOSED');
  });
});
