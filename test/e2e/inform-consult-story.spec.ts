import { randomUUID } from 'node:crypto';
import { Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import { Clock } from '../../src/common/clock/clock';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { DistrictNewsDelivery } from '../../src/following/district-news-delivery.service';
import { QuestionnaireClock } from '../../src/questionnaires/questionnaire-clock.service';
import { Account, loginAdmin, makeHost, makeResident, register } from '../support/factories';
import { hearingInput, publishedProposal, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';
import { bulkResidents } from '../support/voting';
import { sheet } from '../support/csv';

/**
 * Issue 16's story, in Bang Kapi (1006): a host announces a hearing and the district's people are told
 * live; a questionnaire on the hearing's proposal is answered by 200 residents at once, closes by the
 * clock, and its published results equal a recount of the public responses.csv.
 */

const DISTRICT = '1006';
const PEOPLE = 200;
const CHUNK = 50;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';

const PUBLISH = `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id status kind title hearing { id } } } }`;
const CREATE = `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id status anonymity closesAt proposal { id } questions { id options { id } } } } }`;
const OPEN = `mutation($id: ID!) { openQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id status } } }`;
const RESPOND = `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) { receipt replaced } }`;
const READ = `query($id: ID!) { questionnaire(id: $id) { status responseCount viewerHasResponded } }`;
const RESULTS = `query($i: QuestionnaireResultsInput!) { questionnaireResults(input: $i) {
  status final batched responses
  questions { questionId type answered
    options { optionId label count }
    scale { mean median distribution { value count } }
    number { count mean median min max }
    textAnswers(first: 100) { totalCount } } } }`;


const USE = ['ใช้ทุกวัน', 'ใช้บางครั้ง', 'ไม่เคยใช้'];
const PURPOSES = ['เดิน', 'วิ่ง', 'ปั่นจักรยาน'];

/** Person i's answers, by option index: uses (q1), what for (q2, only for "every day"), satisfaction 1–5, trips a month (or none), a remark (or none). */
interface Answers {
  use: number;
  purposes: number[];
  scale: number;
  trips: number | null;
  remark: string | null;
}
function answersOf(i: number): Answers {
  const use = i % 3;
  const k = Math.floor(i / 3);
  return {
    use,
    purposes: use === 0 ? [k % 3, ...(i % 2 ? [(k + 1) % 3] : [])].sort() : [],
    scale: 1 + ((i * 7) % 5),
    trips: i % 4 === 3 ? null : (i * 13) % 101,
    remark: i % 40 === 0 ? `ทางเดิน "ริมคลอง", ต้องมีไฟ\nและที่นั่ง ${i}` : null,
  };
}
/** Person 0 changes their mind: never uses it after all, and is less pleased. */
const CHANGED: Answers = { use: 2, purposes: [], scale: 2, trips: 0, remark: null };

describe('inform and consult: an announced hearing, a questionnaire answered by 200, closed by the clock, recounted', () => {
  let api: TestServer;
  let db: Client;
  let clock: Clock;
  const sockets: WsClient[] = [];
  const realNow = () => new Date();

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    clock = api.server.app.get(Clock);
    // The test runs the questionnaire clock's passes itself.
    api.server.app.get(QuestionnaireClock).onModuleDestroy();
  });
  afterAll(async () => {
    clock.now = realNow;
    await Promise.all(sockets.map((s) => s.dispose()));
    await db?.end();
    await api?.stop();
  });

  it('runs end to end', async () => {
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, DISTRICT);
    const resident = await makeResident(api, admin, DISTRICT);
    const follower = await register(api, { displayName: 'Follower from Thon Buri' });
    const nobody = await register(api, { displayName: 'Follows nobody' });
    await api.ok(`mutation($i: FollowDistrictInput!) { followDistrict(input: $i) { followedDistrict { following } } }`, { i: { districtCode: DISTRICT } }, follower.token);
    const delivery = api.server.app.get(DistrictNewsDelivery);

    // ---- Inform: the hearing is scheduled and announced; the district's people are told live. ----
    const walkway = await publishedProposal(api, DISTRICT, 'ทางเดินริมคลองแสนแสบ');
    const hearing = await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'Canal walkway', proposalId: walkway }]));
    // The scheduling's own news goes out first, so that the sockets hear the announcement alone.
    await delivery.deliverWaiting();

    const [residentLive, followerLive, nobodyLive, hall] = await api.listen(() =>
      [resident, follower, nobody, undefined].map((who, i) => {
        const ws = api.wsClient(who?.token);
        sockets.push(ws);
        return i < 3
          ? new Subscription(ws, `subscription { notifications { kind title body } }`)
          : new Subscription(ws, `subscription($d: String) { announcementPublished(districtCode: $d) { id kind title hearing { id } } }`, { d: DISTRICT });
      }),
    );
    const announced = (
      await api.ok(PUBLISH, { i: { districtCode: DISTRICT, kind: 'EVENT', hearingId: hearing.id, titleTh: 'เวทีรับฟังความคิดเห็นเรื่องทางเดินริมคลอง', bodyTh: 'เชิญร่วมเวทีที่สำนักงานเขต' } }, host.token)
    ).publishAnnouncement.announcement;
    expect(announced).toMatchObject({ status: 'PUBLISHED', kind: 'EVENT', hearing: { id: hearing.id } });
    expect((await hall.waitFor(1))[0].data!.announcementPublished).toEqual({ id: announced.id, kind: 'EVENT', title: 'เวทีรับฟังความคิดเห็นเรื่องทางเดินริมคลอง', hearing: { id: hearing.id } });

    // Nothing is told inside the request; delivery tells the resident and the follower, in Thai.
    expect(residentLive.events).toHaveLength(0);
    await delivery.deliverWaiting();
    const told = { kind: 'DISTRICT_ANNOUNCEMENT', title: 'กิจกรรมจากบางกะปิ', body: 'เวทีรับฟังความคิดเห็นเรื่องทางเดินริมคลอง' };
    expect((await residentLive.waitFor(1))[0].data!.notifications).toEqual(told);
    expect((await followerLive.waitFor(1))[0].data!.notifications).toEqual(told);
    const stored = async (who: Account) =>
      (await api.ok(`{ notifications(first: 50) { edges { node { kind title body } } } }`, {}, who.token)).notifications.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'DISTRICT_ANNOUNCEMENT');
    expect(await stored(resident)).toEqual([told]);
    expect(await stored(follower)).toEqual([told]);
    // Whoever follows nobody hears nothing, live or stored.
    expect(nobodyLive.events).toHaveLength(0);
    expect(await stored(nobody)).toEqual([]);
    for (const s of [residentLive, followerLive, nobodyLive, hall]) s.close();

    // ---- Consult: an anonymous questionnaire on the hearing's proposal, with a show-when question. ----
    const closesAt = new Date(clock.now().getTime() + 30 * 60_000);
    const created = (
      await api.ok(
        CREATE,
        {
          i: {
            districtCode: DISTRICT,
            proposalId: walkway,
            titleTh: 'ความเห็นเรื่องทางเดินริมคลอง',
            audience: 'VERIFIED_RESIDENTS',
            anonymity: 'ANONYMOUS',
            closesAt: closesAt.toISOString(),
            sections: [
              {
                titleTh: 'การใช้ทางเดิน',
                questions: [
                  { type: 'SINGLE_CHOICE', required: true, promptTh: 'คุณใช้ทางเดินริมคลองบ่อยแค่ไหน', options: USE.map((labelTh) => ({ labelTh })) },
                  { type: 'MULTIPLE_CHOICE', required: true, promptTh: 'ใช้ทำอะไร', minChoices: 1, maxChoices: 2, options: PURPOSES.map((labelTh) => ({ labelTh })), showWhen: { questionNumber: 1, optionNumber: 1 } },
                  { type: 'SCALE', required: true, promptTh: 'พอใจแค่ไหน', minValue: 1, maxValue: 5 },
                  { type: 'NUMBER', promptTh: 'มากี่ครั้งต่อเดือน', minValue: 0, maxValue: 100 },
                  { type: 'LONG_TEXT', promptTh: 'ข้อเสนอแนะ' },
                ],
              },
            ],
          },
        },
        host.token,
      )
    ).createQuestionnaire.questionnaire;
    expect(created).toMatchObject({ status: 'DRAFT', anonymity: 'ANONYMOUS', proposal: { id: walkway } });
    expect(new Date(created.closesAt).getTime()).toBe(closesAt.getTime());
    const qid: string = created.id;
    const [use, purposes, scale, trips, remark] = created.questions as { id: string; options: { id: string }[] }[];
    expect((await api.ok(OPEN, { id: qid }, host.token)).openQuestionnaire.questionnaire.status).toBe('OPEN');

    const toInput = (a: Answers) => [
      { questionId: use.id, optionIds: [use.options[a.use].id] },
      ...(a.purposes.length ? [{ questionId: purposes.id, optionIds: a.purposes.map((p) => purposes.options[p].id) }] : []),
      { questionId: scale.id, number: a.scale },
      ...(a.trips === null ? [] : [{ questionId: trips.id, number: a.trips }]),
      ...(a.remark === null ? [] : [{ questionId: remark.id, text: a.remark }]),
    ];
    const respond = (who: Account, answers: Record<string, unknown>[]) => api.gql(RESPOND, { i: { questionnaireId: qid, idempotencyKey: randomUUID(), answers } }, who.token);
    const counts = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*)::int FROM questionnaire_responses WHERE questionnaire_id = $1) AS responses, (SELECT count(*)::int FROM questionnaire_participations WHERE questionnaire_id = $1) AS participations`,
          [fromGlobalId(qid, 'Questionnaire')],
        )
      ).rows[0];

    // 200 residents answer at once (in chunks, on a small machine); the last answers the hidden "what for" as well.
    const people = await bulkResidents(api, DISTRICT, PEOPLE);
    const refusedOne = PEOPLE - 1;
    expect(answersOf(refusedOne).use).not.toBe(0);
    const sent = (i: number) =>
      i === refusedOne ? [...toInput(answersOf(i)), { questionId: purposes.id, optionIds: [purposes.options[0].id] }] : toInput(answersOf(i));
    const outcomes: { errors?: any[]; data?: any }[] = [];
    for (let start = 0; start < PEOPLE; start += CHUNK) {
      outcomes.push(...(await Promise.all(people.slice(start, start + CHUNK).map((who, j) => respond(who, sent(start + j))))));
    }
    expect(outcomes.slice(0, refusedOne).map(code).filter((c) => c !== 'OK')).toEqual([]);
    expect(outcomes.slice(0, refusedOne).every((o) => o.data!.respondToQuestionnaire.replaced === false)).toBe(true);
    const refusal = outcomes[refusedOne];
    expect([code(refusal), refusal.errors![0].extensions.questionId]).toEqual(['ANSWER_TO_HIDDEN_QUESTION', purposes.id]);
    // Nothing of theirs is stored: 199 responses and participations, and they have not responded.
    expect(await counts()).toEqual({ responses: PEOPLE - 1, participations: PEOPLE - 1 });
    expect((await api.ok(READ, { id: qid }, people[refusedOne].token)).questionnaire).toMatchObject({ status: 'OPEN', viewerHasResponded: false });
    // Their valid answer then counts once.
    const valid = await respond(people[refusedOne], toInput(answersOf(refusedOne)));
    expect(valid.data?.respondToQuestionnaire.replaced).toBe(false);

    // One changes their answer: replaced, not added.
    const change = await respond(people[0], toInput(CHANGED));
    expect(change.data?.respondToQuestionnaire).toMatchObject({ replaced: true });
    expect(change.data!.respondToQuestionnaire.receipt).not.toBe(outcomes[0].data!.respondToQuestionnaire.receipt);
    expect(await counts()).toEqual({ responses: PEOPLE, participations: PEOPLE });
    expect((await api.ok(READ, { id: qid }, people[0].token)).questionnaire).toMatchObject({ responseCount: PEOPLE, viewerHasResponded: true });

    // Before closing, the public gets neither results nor responses.
    expect(code(await api.gql(RESULTS, { i: { questionnaireId: qid } }))).toBe('RESULTS_NOT_PUBLISHED');
    const download = async (file: string) => {
      const res = await fetch(`${api.url}/questionnaires/${qid}/${file}`);
      return { status: res.status, ...sheet(Buffer.from(await res.arrayBuffer())) };
    };
    expect((await download('responses.csv')).status).toBe(409);

    // ---- The clock closes it. ----
    const questionnaireClock = api.server.app.get(QuestionnaireClock);
    expect(await questionnaireClock.moveDue()).toEqual([]);
    clock.now = () => new Date(closesAt.getTime() + 60_000);
    expect(await questionnaireClock.moveDue()).toEqual([{ id: fromGlobalId(qid, 'Questionnaire'), status: 'CLOSED' }]);
    clock.now = realNow;
    expect((await api.ok(READ, { id: qid })).questionnaire.status).toBe('CLOSED');
    expect(code(await respond(people[1], toInput(answersOf(1))))).toBe('QUESTIONNAIRE_NOT_OPEN');

    // ---- The recount: responses.csv, as the public downloads it. ----
    const csv = await download('responses.csv');
    expect(csv.status).toBe(200);
    expect(csv.bom).toBe(true);
    const [header, ...rows] = csv.rows;
    // A row number and one column per question: no respondent, response id or time.
    expect(header).toEqual(['ลำดับ', '1. คุณใช้ทางเดินริมคลองบ่อยแค่ไหน', '2. ใช้ทำอะไร', '3. พอใจแค่ไหน', '4. มากี่ครั้งต่อเดือน', '5. ข้อเสนอแนะ']);
    expect(rows).toHaveLength(PEOPLE);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: PEOPLE }, (_, i) => String(i + 1)));
    expect(rows.every((r) => r.length === 6)).toBe(true);
    const ids: { id: string }[] = (await db.query(`SELECT id FROM questionnaire_responses WHERE questionnaire_id = $1`, [fromGlobalId(qid, 'Questionnaire')])).rows;
    const flat = JSON.stringify(csv.rows);
    for (const { id } of ids) expect(flat).not.toContain(id);
    for (const who of people.slice(0, 5)) expect(flat).not.toContain(who.email);

    const column = (i: number) => rows.map((r) => r[i + 1]);
    const marks = (cells: string[], labels: string[]) => labels.map((label) => cells.filter((c) => c !== '' && c.split(' | ').includes(label)).length);
    const numbers = (cells: string[]) => cells.filter((c) => c !== '').map(Number);
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const m = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const recount = {
      use: marks(column(0), USE),
      purposes: marks(column(1), PURPOSES),
      purposesAnswered: column(1).filter((c) => c !== '').length,
      scale: numbers(column(2)),
      trips: numbers(column(3)),
      remarks: column(4).filter((c) => c !== '').sort(),
    };

    // What the test sent, counted from its own answers: the recount must find exactly that.
    const finals = Array.from({ length: PEOPLE }, (_, i) => (i === 0 ? CHANGED : answersOf(i)));
    expect(recount.use).toEqual([66, 67, 67]);
    expect(recount.use).toEqual(USE.map((_, o) => finals.filter((a) => a.use === o).length));
    expect(recount.purposesAnswered).toBe(66);
    expect(recount.purposes).toEqual(PURPOSES.map((_, o) => finals.filter((a) => a.purposes.includes(o)).length));
    expect([1, 2, 3, 4, 5].map((v) => recount.scale.filter((x) => x === v).length)).toEqual([1, 2, 3, 4, 5].map((v) => finals.filter((a) => a.scale === v).length));
    expect(recount.trips.sort((a, b) => a - b)).toEqual(finals.flatMap((a) => (a.trips === null ? [] : [a.trips])).sort((a, b) => a - b));
    expect(recount.trips).toHaveLength(150);
    expect(recount.remarks).toEqual(finals.flatMap((a) => (a.remark === null ? [] : [a.remark])).sort());
    expect(recount.remarks).toHaveLength(4);

    // questionnaireResults, as the public reads it, equals the recount.
    const shown = (await api.ok(RESULTS, { i: { questionnaireId: qid } })).questionnaireResults;
    expect(shown).toMatchObject({ status: 'CLOSED', final: true, batched: false, responses: PEOPLE });
    const [rUse, rPurposes, rScale, rTrips, rRemark] = shown.questions;
    expect(rUse.options.map((o: any) => [o.label, o.count])).toEqual(USE.map((label, i) => [label, recount.use[i]]));
    expect(rUse.answered).toBe(PEOPLE);
    expect(rPurposes.options.map((o: any) => [o.label, o.count])).toEqual(PURPOSES.map((label, i) => [label, recount.purposes[i]]));
    expect(rPurposes.answered).toBe(recount.purposesAnswered);
    expect(rScale.scale.distribution.map((p: any) => [p.value, p.count])).toEqual([1, 2, 3, 4, 5].map((v) => [v, recount.scale.filter((x) => x === v).length]));
    expect(rScale.scale.mean).toBeCloseTo(mean(recount.scale), 9);
    expect(rScale.scale.median).toBeCloseTo(median(recount.scale), 9);
    expect(rTrips.number).toEqual({ count: recount.trips.length, mean: expect.closeTo(mean(recount.trips), 9), median: median(recount.trips), min: Math.min(...recount.trips), max: Math.max(...recount.trips) });
    expect(rRemark.textAnswers.totalCount).toBe(recount.remarks.length);

    // results.csv says the same.
    const table = await download('results.csv');
    expect(table.status).toBe(200);
    const rowsOf = (questionId: string) => table.rows.slice(1).filter((r) => r[1] === questionId);
    expect(rowsOf(use.id).map((r) => [r[3], r[4], Number(r[6])])).toEqual(use.options.map((o, i) => [o.id, USE[i], recount.use[i]]));
    expect(rowsOf(purposes.id).map((r) => [r[4], Number(r[6])])).toEqual(PURPOSES.map((label, i) => [label, recount.purposes[i]]));
    expect(rowsOf(scale.id).map((r) => [Number(r[5]), Number(r[6])])).toEqual([1, 2, 3, 4, 5].map((v) => [v, recount.scale.filter((x) => x === v).length]));
    expect(Number(rowsOf(scale.id)[0][12])).toBeCloseTo(mean(recount.scale), 9);
    const [tripsRow] = rowsOf(trips.id);
    expect([6, 12, 13, 14, 15].map((c) => Number(tripsRow[c]))).toEqual([recount.trips.length, expect.closeTo(mean(recount.trips), 9), median(recount.trips), Math.min(...recount.trips), Math.max(...recount.trips)]);
  });
});
