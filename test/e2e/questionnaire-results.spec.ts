import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { fromGlobalId, toGlobalId } from '../../src/common/relay/global-id';
import { QuestionnaireResultsLive } from '../../src/questionnaires/results/results-live.service';
import { LIVE_BATCH } from '../../src/questionnaires/results/questionnaire-results.service';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';
import { sheet } from '../support/csv';

/**
 * Questionnaire results, as an attacker reads them: every figure equals a recount of responses.csv; hidden
 * text answers are absent from everything the public gets (results, the connection, the subscription, the
 * CSV); results stay hidden from the public before closing unless shown live; a cut adds up to the whole;
 * an anonymous questionnaire's export names nobody and its live results move only in batches.
 *
 * The questionnaires and responses are written with SQL as the responding service writes them (one answer
 * row per marked or ranked option, a number, a text), with the response-event count it moves: this file
 * tests the results, not the builder or the responding.
 */

const DISTRICT = '1003';
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';

const RESULTS = `query($i: QuestionnaireResultsInput!) { questionnaireResults(input: $i) {
  questionnaireId status final responses batched cutByQuestionId
  questions { questionId type title answered
    options { optionId label count share points meanRank firstPlaces }
    scale { mean median distribution { value count share } }
    number { count mean median min max }
    textAnswers(first: 100) { totalCount edges { node { id text hidden hiddenReason } } } }
  groups { optionId label responses questions { questionId answered options { optionId count } scale { mean } number { count } } } } }`;
const HIDE = `mutation($i: HideQuestionnaireAnswerInput!) { hideQuestionnaireAnswer(input: $i) { answer { id text hidden hiddenReason } } }`;
const UNHIDE = `mutation($i: UnhideQuestionnaireAnswerInput!) { unhideQuestionnaireAnswer(input: $i) { answer { id hidden hiddenReason } } }`;
const LIVE = `subscription($q: ID!) { questionnaireResultsUpdated(questionnaireId: $q) { responses final batched questions { questionId answered textAnswers(first: 100) { edges { node { text hidden } } } } } }`;


interface Seeded {
  id: string;
  globalId: string;
  q: Record<'age' | 'topics' | 'scale' | 'ranking' | 'number' | 'text', string>;
  options: Record<'age' | 'topics' | 'ranking', { id: string; label: string }[]>;
}

/** One answer set: age option index, topic indexes, scale 1–5, ranking (option indexes, first first), a number, a text (or null to skip). */
interface Answers {
  age: number | null;
  topics: number[];
  scale: number;
  ranking: number[];
  number: number;
  text: string | null;
}

describe('questionnaire results', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let otherHost: Account;
  let resident: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, DISTRICT);
    otherHost = await makeHost(api, admin, '1004');
    resident = await register(api, { displayName: 'Curious Resident' });
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  async function seed(anonymity: 'NAMED' | 'ANONYMOUS', resultsLive: boolean): Promise<Seeded> {
    const id = randomUUID();
    const section = randomUUID();
    const q = { age: randomUUID(), topics: randomUUID(), scale: randomUUID(), ranking: randomUUID(), number: randomUUID(), text: randomUUID() };
    await db.query(
      `INSERT INTO questionnaires (id, district_code, title_th, status, audience, anonymity, created_by, opened_at, results_live) VALUES ($1, $2, 'ความเห็นเรื่องสวนสาธารณะ', 'OPEN', 'SIGNED_IN', $3, $4, now(), $5)`,
      [id, DISTRICT, anonymity, fromGlobalId(host.id, 'User'), resultsLive],
    );
    await db.query(`INSERT INTO questionnaire_sections (id, questionnaire_id, position, title_th) VALUES ($1, $2, 0, 'ทั่วไป')`, [section, id]);
    const types: [keyof typeof q, string, number | null, number | null][] = [
      ['age', 'SINGLE_CHOICE', null, null],
      ['topics', 'MULTIPLE_CHOICE', null, null],
      ['scale', 'SCALE', 1, 5],
      ['ranking', 'RANKING', null, null],
      ['number', 'NUMBER', 0, 1000],
      ['text', 'LONG_TEXT', null, null],
    ];
    for (const [position, [key, type, min, max]] of types.entries()) {
      await db.query(`INSERT INTO questionnaire_questions (id, questionnaire_id, section_id, position, type, prompt_th, min_value, max_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        q[key],
        id,
        section,
        position,
        type,
        `คำถาม ${key}`,
        min,
        max,
      ]);
    }
    const labels = { age: ['ต่ำกว่า 30', '30-59', '60 ขึ้นไป'], topics: ['ร่มเงา', 'ห้องน้ำ', 'ลานกีฬา', 'แสงสว่าง'], ranking: ['ทางเดิน', 'ม้านั่ง', 'สนามเด็กเล่น'] };
    const options = { age: [], topics: [], ranking: [] } as Seeded['options'];
    for (const key of ['age', 'topics', 'ranking'] as const) {
      for (const [position, label] of labels[key].entries()) {
        const oid = randomUUID();
        options[key].push({ id: oid, label });
        await db.query(`INSERT INTO questionnaire_options (id, question_id, questionnaire_id, position, label_th) VALUES ($1, $2, $3, $4, $5)`, [oid, q[key], id, position, label]);
      }
    }
    return { id, globalId: toGlobalId('Questionnaire', id), q, options };
  }

  /** A response as the responding service writes it, with the response event it counts; returns the text answer's id. */
  async function respond(s: Seeded, answers: Answers, respondent?: Account, anonymous = false): Promise<string | null> {
    const response = randomUUID();
    await db.query(`INSERT INTO questionnaire_responses (id, questionnaire_id, slot, receipt_hash, respondent_id, submitted_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      response,
      s.id,
      randomUUID().replace(/-/g, '').padEnd(64, '0'),
      randomUUID().replace(/-/g, '').padEnd(64, '1'),
      anonymous || !respondent ? null : fromGlobalId(respondent.id, 'User'),
      anonymous ? null : new Date(),
    ]);
    const row = (question: string, option: string | null, rank: number | null, number: number | null, text: string | null) =>
      db.query(`INSERT INTO questionnaire_answers (id, response_id, questionnaire_id, question_id, option_id, rank, number_value, text_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        randomUUID(),
        response,
        s.id,
        question,
        option,
        rank,
        number,
        text,
      ]);
    if (answers.age !== null) await row(s.q.age, s.options.age[answers.age].id, null, null, null);
    for (const t of answers.topics) await row(s.q.topics, s.options.topics[t].id, null, null, null);
    await row(s.q.scale, null, null, answers.scale, null);
    for (const [i, r] of answers.ranking.entries()) await row(s.q.ranking, s.options.ranking[r].id, i + 1, null, null);
    await row(s.q.number, null, null, answers.number, null);
    let textId: string | null = null;
    if (answers.text !== null) {
      textId = randomUUID();
      await db.query(`INSERT INTO questionnaire_answers (id, response_id, questionnaire_id, question_id, text_value) VALUES ($1, $2, $3, $4, $5)`, [textId, response, s.id, s.q.text, answers.text]);
    }
    await db.query(
      `INSERT INTO questionnaire_result_events (questionnaire_id, shard, count) VALUES ($1, 0, 1) ON CONFLICT (questionnaire_id, shard) DO UPDATE SET count = questionnaire_result_events.count + 1`,
      [s.id],
    );
    api.server.app.get(QuestionnaireResultsLive).changed(s.id);
    return textId;
  }

  async function close(s: Seeded): Promise<void> {
    await db.query(`UPDATE questionnaires SET status = 'CLOSED', closed_at = now() WHERE id = $1`, [s.id]);
    api.server.app.get(QuestionnaireResultsLive).publishNow(s.id);
  }

  const results = (s: Seeded, token?: string, cutBy?: string) => api.gql(RESULTS, { i: { questionnaireId: s.globalId, ...(cutBy ? { cutByQuestionId: toGlobalId('QuestionnaireQuestion', cutBy) } : {}) } }, token);
  const download = async (s: Seeded, file: string, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}/questionnaires/${s.globalId}/${file}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    return { status: res.status, ...sheet(Buffer.from(await res.arrayBuffer())) };
  };

  /** What responses.csv says, counted again the way a journalist would in a spreadsheet. */
  function recount(rows: string[][], s: Seeded) {
    const [, ...data] = rows;
    const col = (i: number) => data.map((r) => r[i + 1]);
    const split = (cell: string) => (cell === '' ? [] : cell.split(' | '));
    const count = (cells: string[], label: string) => cells.filter((c) => split(c).includes(label)).length;
    const nums = (cells: string[]) => cells.filter((c) => c !== '').map(Number);
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const m = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    };
    const rankings = col(3).map(split);
    return {
      responses: data.length,
      age: s.options.age.map((o) => count(col(0), o.label)),
      topics: s.options.topics.map((o) => count(col(1), o.label)),
      scale: { mean: nums(col(2)).reduce((a, b) => a + b, 0) / nums(col(2)).length, median: median(nums(col(2))), distribution: [1, 2, 3, 4, 5].map((v) => nums(col(2)).filter((x) => x === v).length) },
      borda: s.options.ranking.map((o) => rankings.reduce((sum, r) => sum + (r.includes(o.label) ? 3 - r.indexOf(o.label) : 0), 0)),
      number: { count: nums(col(4)).length, mean: nums(col(4)).reduce((a, b) => a + b, 0) / nums(col(4)).length, median: median(nums(col(4))), min: Math.min(...nums(col(4))), max: Math.max(...nums(col(4))) },
      texts: col(5).filter((c) => c !== '').sort(),
    };
  }

  function expectRecount(shown: any, counted: ReturnType<typeof recount>): void {
    expect(shown.responses).toBe(counted.responses);
    const [age, topics, scale, ranking, number, text] = shown.questions;
    expect(age.options.map((o: any) => o.count)).toEqual(counted.age);
    expect(topics.options.map((o: any) => o.count)).toEqual(counted.topics);
    expect(scale.scale.mean).toBeCloseTo(counted.scale.mean, 9);
    expect(scale.scale.median).toBeCloseTo(counted.scale.median, 9);
    expect(scale.scale.distribution.map((p: any) => p.count)).toEqual(counted.scale.distribution);
    expect(ranking.options.map((o: any) => o.points)).toEqual(counted.borda);
    expect(number.number).toEqual({ count: counted.number.count, mean: expect.closeTo(counted.number.mean, 9), median: counted.number.median, min: counted.number.min, max: counted.number.max });
    expect(text.textAnswers.edges.map((e: any) => e.node.text).sort()).toEqual(counted.texts);
  }

  const varied = (i: number): Answers => ({
    age: i % 7 === 6 ? null : i % 3,
    topics: [i % 4, ...(i % 2 ? [(i + 1) % 4] : [])],
    scale: 1 + ((i * 7) % 5),
    ranking: [i % 3, (i + 1) % 3, (i + 2) % 3],
    number: (i * 37) % 101,
    text: i % 4 === 0 ? `ควรมีที่นั่งเพิ่ม ${i}` : null,
  });

  it('hides a NAMED questionnaire’s results from the public until it closes, and they equal a recount of responses.csv', async () => {
    const s = await seed('NAMED', false);
    let textToHide: string | null = null;
    for (let i = 0; i < 24; i++) {
      const textId = await respond(s, varied(i));
      if (i === 4) textToHide = textId;
    }
    // Before closing: the public, residents and another district's staff are refused; the district's staff see them live.
    expect(code(await results(s))).toBe('RESULTS_NOT_PUBLISHED');
    expect(code(await results(s, resident.token))).toBe('RESULTS_NOT_PUBLISHED');
    expect(code(await results(s, otherHost.token))).toBe('RESULTS_NOT_PUBLISHED');
    expect((await download(s, 'results.csv')).status).toBe(409);
    expect((await download(s, 'responses.csv', resident.token)).status).toBe(409);
    const staffView = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, host.token)).questionnaireResults;
    expect(staffView).toMatchObject({ status: 'OPEN', final: false, batched: false, responses: 24 });

    // Moderation: staff only, with a reason, marked for staff.
    const answerId = toGlobalId('QuestionnaireTextAnswer', textToHide!);
    expect(code(await api.gql(HIDE, { i: { questionnaireTextAnswerId: answerId, reason: 'มีเบอร์โทรศัพท์ส่วนตัว' } }, resident.token))).toBe('NOT_FOUND');
    expect(code(await api.gql(HIDE, { i: { questionnaireTextAnswerId: answerId, reason: 'no' } }, host.token))).toBe('BAD_USER_INPUT');
    const hidden = (await api.ok(HIDE, { i: { questionnaireTextAnswerId: answerId, reason: 'มีเบอร์โทรศัพท์ส่วนตัว' } }, host.token)).hideQuestionnaireAnswer.answer;
    expect(hidden).toMatchObject({ id: answerId, hidden: true, hiddenReason: 'มีเบอร์โทรศัพท์ส่วนตัว' });
    expect(code(await api.gql(HIDE, { i: { questionnaireTextAnswerId: answerId, reason: 'อีกครั้งหนึ่ง' } }, host.token))).toBe('ILLEGAL_STATE');
    const audit = await db.query(`SELECT action, district_code FROM audit_entries WHERE subject = $1 AND error_code IS NULL`, [answerId]);
    expect(audit.rows).toEqual([{ action: 'hideQuestionnaireAnswer', district_code: DISTRICT }]);

    // The staff's view and their CSV include it, marked; it is one of the texts they recount.
    const staffAfter = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, host.token)).questionnaireResults;
    const staffTexts = staffAfter.questions[5].textAnswers.edges.map((e: any) => e.node);
    expect(staffTexts.filter((n: any) => n.hidden)).toEqual([{ id: answerId, text: 'ควรมีที่นั่งเพิ่ม 4', hidden: true, hiddenReason: 'มีเบอร์โทรศัพท์ส่วนตัว' }]);
    expectRecount(staffAfter, recount((await download(s, 'responses.csv', host.token)).rows, s));

    // Subscribed before closing, the public hears the closing with the final results, the hidden text left out.
    const ws = api.wsClient();
    const live = await api.listen(() => new Subscription(ws, LIVE, { q: s.globalId }));
    await close(s);
    const [event] = await live.waitFor(1);
    expect(event.data!.questionnaireResultsUpdated).toMatchObject({ final: true, responses: 24 });
    const liveTexts = event.data!.questionnaireResultsUpdated.questions[5].textAnswers.edges.map((e: any) => e.node.text);
    expect(liveTexts).toHaveLength(5);
    expect(liveTexts).not.toContain('ควรมีที่นั่งเพิ่ม 4');
    live.close();
    await ws.dispose();

    // Closed: everyone sees them, without the hidden answer anywhere; they equal a recount of the public CSV.
    const pub = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } })).questionnaireResults;
    expect(pub).toMatchObject({ status: 'CLOSED', final: true, responses: 24 });
    expect(pub.questions[5].textAnswers.edges.map((e: any) => e.node)).not.toContainEqual(expect.objectContaining({ hidden: true }));
    expect(pub.questions[5].textAnswers.totalCount).toBe(5);
    const csv = await download(s, 'responses.csv', undefined, { 'accept-language': 'en' });
    expect(csv.bom).toBe(true);
    expect(csv.rows[0][0]).toBe('row');
    expect(JSON.stringify(csv.rows)).not.toContain('ควรมีที่นั่งเพิ่ม 4,');
    expect(csv.rows.flat()).not.toContain('ควรมีที่นั่งเพิ่ม 4');
    expectRecount(pub, recount(csv.rows, s));
    expect(await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: answerId })).toMatchObject({ data: { node: null } });

    // results.csv: the same figures, in Thai by default.
    const table = await download(s, 'results.csv');
    expect(table.rows[0].slice(0, 3)).toEqual(['คำถาม', 'รหัสคำถาม', 'ประเภท']);
    const ageRows = table.rows.filter((r) => r[1] === pub.questions[0].questionId);
    expect(ageRows.map((r) => Number(r[6]))).toEqual(pub.questions[0].options.map((o: any) => o.count));

    // Shown again, it is public again.
    expect((await api.ok(UNHIDE, { i: { questionnaireTextAnswerId: answerId, reason: 'ลบเบอร์โทรออกแล้ว' } }, host.token)).unhideQuestionnaireAnswer.answer).toMatchObject({ hidden: false, hiddenReason: null });
    expect((await api.ok(RESULTS, { i: { questionnaireId: s.globalId } })).questionnaireResults.questions[5].textAnswers.totalCount).toBe(6);
  });

  it('follows responses made through the API: a change moves the results at once, closing makes them final, live', async () => {
    const created = await api.ok(
      `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id resultsLive questions { id options { id } } } } }`,
      {
        i: {
          districtCode: DISTRICT,
          titleTh: 'ไฟส่องสว่างในซอย',
          audience: 'SIGNED_IN',
          anonymity: 'NAMED',
          resultsLive: true,
          sections: [{ titleTh: 'ทั่วไป', questions: [{ type: 'SINGLE_CHOICE', required: true, promptTh: 'ซอยของคุณสว่างพอไหม', options: [{ labelTh: 'พอ' }, { labelTh: 'ไม่พอ' }] }, { type: 'NUMBER', promptTh: 'กี่ดวงที่เสีย', minValue: 0, maxValue: 50 }] }],
        },
      },
      host.token,
    );
    const { id, resultsLive, questions } = created.createQuestionnaire.questionnaire;
    expect(resultsLive).toBe(true);
    await api.ok(`mutation($id: ID!) { openQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id } } }`, { id }, host.token);
    const RESPOND = `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) { receipt } }`;
    const answer = (who: Account, option: number, broken: number) =>
      api.ok(RESPOND, { i: { questionnaireId: id, idempotencyKey: randomUUID(), answers: [{ questionId: questions[0].id, optionIds: [questions[0].options[option].id] }, { questionId: questions[1].id, number: broken }] } }, who.token);
    const people = [resident, await register(api, { displayName: 'Soi Neighbour' }), await register(api, { displayName: 'Soi Shopkeeper' })];
    const ws = api.wsClient(resident.token);
    const live = await api.listen(() => new Subscription(ws, `subscription($q: ID!) { questionnaireResultsUpdated(questionnaireId: $q) { responses final questions { options { count } number { count mean max } } } }`, { q: id }));
    for (const [i, who] of people.entries()) await answer(who, i % 2, 2 + i);
    const read = async () => (await api.ok(`query($i: QuestionnaireResultsInput!) { questionnaireResults(input: $i) { responses final questions { options { count } number { count mean max } } } }`, { i: { questionnaireId: id } })).questionnaireResults;
    expect(await read()).toEqual({ responses: 3, final: false, questions: [{ options: [{ count: 2 }, { count: 1 }], number: null }, { options: null, number: { count: 3, mean: 3, max: 4 } }] });
    // A changed response moves the figures on the next read (the cached count is tied to the response events).
    await answer(people[0], 1, 10);
    expect(await read()).toEqual({ responses: 3, final: false, questions: [{ options: [{ count: 1 }, { count: 2 }], number: null }, { options: null, number: { count: 3, mean: 17 / 3, max: 10 } }] });
    await live.waitForEvent((e) => e.data?.questionnaireResultsUpdated.questions[1].number.max === 10);
    await api.ok(`mutation($id: ID!) { closeQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id } } }`, { id }, host.token);
    expect((await live.waitForEvent((e) => e.data?.questionnaireResultsUpdated.final === true)).data!.questionnaireResultsUpdated.responses).toBe(3);
    live.close();
    await ws.dispose();
  });

  it('cuts the results by a single-choice question into groups that add up to the whole', async () => {
    const s = await seed('NAMED', true);
    for (let i = 0; i < 30; i++) await respond(s, varied(i));
    const whole = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, resident.token)).questionnaireResults;
    const cut = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId, cutByQuestionId: toGlobalId('QuestionnaireQuestion', s.q.age) } }, resident.token)).questionnaireResults;
    expect(cut.groups.map((g: any) => g.label)).toEqual([...s.options.age.map((o) => o.label), null]);
    expect(cut.groups.reduce((sum: number, g: any) => sum + g.responses, 0)).toBe(whole.responses);
    for (const [qi, question] of whole.questions.entries()) {
      expect(cut.groups.reduce((sum: number, g: any) => sum + g.questions[qi].answered, 0)).toBe(question.answered);
      for (const [oi, option] of (question.options ?? []).entries()) expect(cut.groups.reduce((sum: number, g: any) => sum + g.questions[qi].options[oi].count, 0)).toBe(option.count);
    }
    // Each group of the cut question itself is exactly its option.
    for (const [gi, group] of cut.groups.slice(0, 3).entries()) expect(group.questions[0].options[gi].count).toBe(group.responses);
    // Only a single-choice question of this questionnaire cuts.
    expect(code(await results(s, resident.token, s.q.topics))).toBe('BAD_USER_INPUT');
    expect(code(await results(s, resident.token, randomUUID()))).toBe('BAD_USER_INPUT');
  });

  it('shows an ANONYMOUS questionnaire’s live results only in batches, and exports its responses without identity after closing', async () => {
    const s = await seed('ANONYMOUS', true);
    const flusher = api.server.app.get(QuestionnaireResultsLive).flusher;
    flusher.stop();
    try {
      const ws = api.wsClient();
      const live = await api.listen(() => new Subscription(ws, LIVE, { q: s.globalId }));
      for (let i = 0; i < LIVE_BATCH - 1; i++) await respond(s, varied(i), undefined, true);
      await flusher.run();
      // One short of a batch: nothing moves for anyone, staff included, and nothing is pushed.
      for (const token of [undefined, host.token]) expect((await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, token)).questionnaireResults).toMatchObject({ responses: 0, batched: true });
      expect(live.events).toHaveLength(0);
      expect((await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, host.token)).questionnaireResults.questions[5].textAnswers.totalCount).toBe(0);
      // The batch's last response publishes it: its texts too.
      await respond(s, varied(LIVE_BATCH - 1), undefined, true);
      await flusher.run();
      const [event] = await live.waitFor(1);
      expect(event.data!.questionnaireResultsUpdated).toMatchObject({ responses: LIVE_BATCH, batched: true, final: false });
      const published = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } })).questionnaireResults;
      expect(published.responses).toBe(LIVE_BATCH);
      expect(published.questions[5].textAnswers.totalCount).toBe(5);
      // A few more: still the batch; the cut and the responses wait for closing.
      for (let i = 0; i < 3; i++) await respond(s, varied(100 + i), undefined, true);
      await flusher.run();
      expect((await api.ok(RESULTS, { i: { questionnaireId: s.globalId } }, host.token)).questionnaireResults.responses).toBe(LIVE_BATCH);
      expect(code(await results(s, host.token, s.q.age))).toBe('ILLEGAL_STATE');
      expect((await download(s, 'responses.csv', host.token)).status).toBe(409);
      live.close();
      await ws.dispose();
    } finally {
      flusher.start();
    }

    await close(s);
    const pub = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId } })).questionnaireResults;
    expect(pub).toMatchObject({ final: true, batched: false, responses: LIVE_BATCH + 3 });
    const csv = await download(s, 'responses.csv', undefined, { 'accept-language': 'en' });
    // One column for the row number, one per question: no respondent, response id or time.
    expect(csv.rows[0]).toEqual(['row', ...['age', 'topics', 'scale', 'ranking', 'number', 'text'].map((k, i) => `${i + 1}. คำถาม ${k}`)]);
    expect(csv.rows.slice(1).map((r) => r[0])).toEqual(Array.from({ length: LIVE_BATCH + 3 }, (_, i) => String(i + 1)));
    const flat = JSON.stringify(csv.rows);
    const ids: { id: string }[] = (await db.query(`SELECT id FROM questionnaire_responses WHERE questionnaire_id = $1`, [s.id])).rows;
    for (const { id } of ids) expect(flat).not.toContain(id);
    expectRecount(pub, recount(csv.rows, s));
    const cut = (await api.ok(RESULTS, { i: { questionnaireId: s.globalId, cutByQuestionId: toGlobalId('QuestionnaireQuestion', s.q.age) } })).questionnaireResults;
    expect(cut.groups.reduce((sum: number, g: any) => sum + g.responses, 0)).toBe(pub.responses);
  });
});
