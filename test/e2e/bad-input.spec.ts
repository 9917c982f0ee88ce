import request from 'supertest';
import { DOMAIN_TABLES, tableFingerprint } from '../support/fingerprint';
import { Client } from 'pg';
import { fromGlobalId, toGlobalId } from '../../src/common/relay/global-id';
import {
  Account,
  createProposal,
  createPublishedProposal,
  hideComment,
  hideProposal,
  inviteCoSponsor,
  loginAdmin,
  makeHost,
  makeResident,
  postComment,
  proposalInput,
  register,
  requestResidency,
  moveReport,
  reportInput,
  submitReport,
} from '../support/factories';
import { seedAnsweredQuestionnaire } from '../support/questionnaire-results';
import {
  askQuestion,
  askToSpeak,
  attend,
  endSpeech,
  giveFloor,
  hearingInput,
  hoursFromNow,
  moveHearing,
  registerFor,
  scheduleHearing,
  statementIds,
} from '../support/hearings';
import { createQuestionnaire } from '../support/questionnaires';
import { GraphQLResponse, TestServer } from '../support/test-server';
import { cast, closeRound, createRound, moveRound, openRound, qualifiedProposal, roundInput } from '../support/voting';

/**
 * Bad input, tried on every mutation: missing, oversized, wrongly typed and hostile values. Each is refused
 * with BAD_USER_INPUT (a problem the client can fix), never INTERNAL_SERVER_ERROR, never with a stack trace,
 * and leaves every table as it was. Hostile-looking text that is legitimate (a title mentioning DROP TABLE)
 * is stored exactly as typed.
 */

const DISTRICT = '1007';
const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const JS_LINK = '[x](javascript:alert(1))';
const SQL_OR = "1' OR '1'='1";
const SQL_DROP = "'; DROP TABLE proposals; --";
/** A family of four: 4 emoji joined by 3 zero-width joiners, 7 code points (11 UTF-16 units). */
const FAMILY = '👩‍👩‍👧‍👦';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Exactly `n` code points of Thai (with its combining vowels and tone marks), no spaces to be trimmed. */
function thai(n: number): string {
  const phrase = 'ชุมชนริมคลองแสนแสบขอทางเดินที่มีร่มเงา';
  return [...phrase.repeat(Math.ceil(n / [...phrase].length))].slice(0, n).join('');
}
const codePoints = (s: string) => [...s].length;

/** A number JSON.stringify cannot write (1e400 parses as Infinity), sent as a literal in a raw body. */
class RawNumber {
  constructor(readonly literal: string) {}
}

/** Every table a mutation may write. */
const TABLES = ['users', 'refresh_tokens', 'password_reset_tokens', ...DOMAIN_TABLES];

/** Speaking time of the fixtures' hearings: an hour, so that no turn runs out while the suite runs. */
const HOUR_TURNS = { speakerTimeLimitSeconds: 3600 };

/** Rounds that are not to open (or close) by the clock while the suite runs. */
const LATER = () => ({ opensAt: hoursFromNow(1), closesAt: hoursFromNow(3) });

/** Both fields at one instant: two calls of hoursFromNow can be a millisecond apart, and then the window is not empty. */
function sameInstant(start: string, end: string, at: string): Record<string, string> {
  return { [start]: at, [end]: at };
}

/** `voter` is a verified resident of DISTRICT: the one caller whose ballots get as far as their choices. */
type Caller = 'anonymous' | 'author' | 'other' | 'host' | 'admin' | 'voter';

/** An open round of the fixtures, with its option ids by position. */
interface RoundFixture {
  id: string;
  options: string[];
}

interface BadCase {
  mutation: string;
  label: string;
  query: string;
  as: Caller;
  /** Built when the case runs (the fixtures' ids exist by then). */
  vars: () => Record<string, unknown>;
  /** The input field the service names; absent for GraphQL's own coercion errors (wrong types, missing values). */
  field?: string;
}

describe('bad input on every mutation', () => {
  let api: TestServer;
  let db: Client;
  const callers = {} as Record<Caller, Account | undefined>;
  /** Fixtures: each case aims at a target where the same mutation with good input would succeed. */
  const f = {} as {
    textAnswer: string;
    hiddenTextAnswer: string;
    draft: string;
    published: string;
    adopted: string;
    hidden: string;
    invited: string;
    comment: string;
    othersComment: string;
    hiddenComment: string;
    elsewhereComment: string;
    notification: string;
    residency: string;
    plainUser: Account;
    /** A published proposal of DISTRICT (on f.planned's agenda) and one of another district. */
    ours: string;
    theirs: string;
    /** SCHEDULED, with a venue and no online link; author and admin hold seats, other has none. */
    planned: string;
    plannedItem: string;
    plannedCode: string;
    /** OPEN; other is registered, not yet checked in. */
    open: string;
    registration: string;
    /** IN_SESSION on the first of two items, the floor free: author spoke (f.statement), other is queued (f.request), author asked f.question. */
    session: string;
    items: string[];
    statement: string;
    request: string;
    question: string;
    /** IN_SESSION, author holding the floor. */
    speaking: string;
    speakingRequest: string;
    /** ADJOURNED. */
    adjourned: string;
    /** SCHEDULED three days ahead: opening it now needs a reason. */
    distant: string;
    /** Residents' reports of DISTRICT: RECEIVED (author's and other's), and author's RESOLVED. */
    report: string;
    otherReport: string;
    resolvedReport: string;
    /** A published announcement of DISTRICT. */
    announcement: string;
    /** Questionnaires of DISTRICT: a DRAFT, and an OPEN one for its verified residents (voter). */
    draftQuestionnaire: { id: string; questionIds: string[]; optionIds: string[] };
    openQuestionnaire: { id: string; questionIds: string[]; optionIds: string[] };
    /** A QUALIFIED proposal of DISTRICT on no ballot, and one on f.scheduledRound's ballot (IN_VOTE). */
    votable: string;
    onBallot: string;
    /** Rounds of DISTRICT: a DRAFT and a SCHEDULED one (opening in an hour), and a CLOSED one with a ballot. */
    draftRound: string;
    scheduledRound: string;
    closedRound: string;
    /** OPEN rounds of DISTRICT: yes / no; A, B, C with at most two marked; A, B, C ranked; four costed items on a 700,000-baht budget. */
    single: RoundFixture;
    approval: RoundFixture;
    ranked: RoundFixture;
    budget: RoundFixture;
  };

  beforeAll(async () => {
    // Valid comments are posted in quick succession below; the comment rate limit is not what is tested here.
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '10000' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    callers.admin = await loginAdmin(api);
    callers.author = await register(api, { displayName: 'Author' });
    callers.other = await register(api, { displayName: 'Other member' });
    callers.host = await makeHost(api, callers.admin, DISTRICT);
    const { author, other, host } = callers as Record<Caller, Account>;

    f.draft = await createProposal(api, author);
    f.published = await createPublishedProposal(api, author, { title: 'Street lights for Soi Ari 4' });
    f.adopted = await createPublishedProposal(api, author, { title: 'A pocket park on the empty lot' });
    // Only a vote adopts a plan, and votes are a later capability: set the status the vote will set.
    await db.query(`UPDATE proposals SET status = 'ADOPTED' WHERE id = $1`, [fromGlobalId(f.adopted, 'Proposal')]);
    f.hidden = await createPublishedProposal(api, author, { title: 'A proposal a host hid' });
    await hideProposal(api, host, f.hidden);
    f.invited = await createProposal(api, author, { title: 'A plan other is invited to' });
    await inviteCoSponsor(api, author, f.invited, other);
    f.comment = await postComment(api, author, f.published);
    f.othersComment = await postComment(api, other, f.published, { stance: 'AGAINST' });
    f.hiddenComment = await postComment(api, other, f.published, { body: 'A comment a host hid' });
    await hideComment(api, host, f.hiddenComment);
    f.textAnswer = (await seedAnsweredQuestionnaire(api, host.id, { districtCode: DISTRICT })).textAnswerId;
    f.hiddenTextAnswer = (await seedAnsweredQuestionnaire(api, host.id, { districtCode: DISTRICT })).textAnswerId;
    await api.ok(`mutation($id: ID!) { hideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: "Names a neighbour" }) { answer { id } } }`, { id: f.hiddenTextAnswer }, host.token);
    f.elsewhereComment = await postComment(api, other, await createPublishedProposal(api, author, { title: 'Another discussion' }));
    const notes = await api.ok(`{ notifications(first: 1, unreadOnly: true) { edges { node { id } } } }`, {}, other.token);
    f.notification = notes.notifications.edges[0].node.id;
    f.plainUser = await register(api, { displayName: 'Applicant' });
    f.residency = await requestResidency(api, f.plainUser, DISTRICT);

    // Hearings, one in each state a hearing mutation needs.
    f.ours = await createPublishedProposal(api, author, { title: 'A footbridge over the canal' });
    f.theirs = await createPublishedProposal(api, author, { districtCode: '1001', title: 'A plan of another district' });
    const planned = await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'The footbridge', proposalId: f.ours }], { onlineUrl: null, ...HOUR_TURNS }));
    f.planned = planned.id;
    f.plannedItem = planned.agenda[0].id;
    f.plannedCode = (await registerFor(api, author, f.planned)).checkInCode!;
    await registerFor(api, callers.admin!, f.planned);
    f.open = (await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'Doors open' }], HOUR_TURNS))).id;
    await moveHearing(api, host, f.open, 'openHearing');
    f.registration = (await registerFor(api, other, f.open)).id;
    const session = await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'The footbridge' }, { title: 'Open floor' }], HOUR_TURNS));
    f.session = session.id;
    f.items = session.agenda.map((item) => item.id);
    await moveHearing(api, host, f.session, 'openHearing', 'startHearingSession');
    await attend(api, host, f.session, author);
    await attend(api, host, f.session, other);
    await giveFloor(api, host, f.session, await askToSpeak(api, author, f.session));
    await endSpeech(api, host, f.session);
    [f.statement] = await statementIds(api, f.session);
    f.request = await askToSpeak(api, other, f.session, 'AGAINST');
    f.question = await askQuestion(api, author, f.session);
    f.speaking = (await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'On the floor' }], HOUR_TURNS))).id;
    await moveHearing(api, host, f.speaking, 'openHearing', 'startHearingSession');
    await attend(api, host, f.speaking, author);
    f.speakingRequest = await giveFloor(api, host, f.speaking, await askToSpeak(api, author, f.speaking));
    f.adjourned = (await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'A break' }], HOUR_TURNS))).id;
    await moveHearing(api, host, f.adjourned, 'openHearing', 'startHearingSession', 'adjournHearing');
    f.distant = (await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'The budget' }], { startsAt: hoursFromNow(72), endsAt: hoursFromNow(74) }))).id;

    // Voting rounds, one in each state a voting mutation needs, and one open round per method.
    callers.voter = await makeResident(api, callers.admin, DISTRICT);
    f.votable = await qualifiedProposal(api, host, DISTRICT, 'A floating market pier', author, other);
    f.onBallot = await qualifiedProposal(api, host, DISTRICT, 'A pier already on a ballot', author, other);
    f.draftRound = (await createRound(api, host, roundInput(DISTRICT, 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], LATER()))).id;
    f.scheduledRound = (await createRound(api, host, roundInput(DISTRICT, 'SINGLE_CHOICE', [{ proposalId: f.onBallot }, { label: 'Neither' }], LATER()))).id;
    await moveRound(api, host, f.scheduledRound, 'scheduleVotingRound');
    const open = async (method: string, options: Record<string, unknown>[], overrides: Record<string, unknown> = {}): Promise<RoundFixture> => {
      const round = await openRound(api, host, roundInput(DISTRICT, method, options, overrides));
      return { id: round.id, options: round.options.map((o) => o.id) };
    };
    f.single = await open('SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]);
    f.approval = await open('APPROVAL', [{ label: 'A' }, { label: 'B' }, { label: 'C' }], { maxSelections: 2 });
    f.ranked = await open('RANKED_CHOICE', [{ label: 'A' }, { label: 'B' }, { label: 'C' }]);
    f.budget = await open('BUDGET', [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: 300_000 }, { label: 'Playground', cost: 250_000 }, { label: 'Benches', cost: 100_000 }], { budget: 700_000 });
    const closed = await open('SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]);
    expect((await cast(api, callers.voter, closed.id, [closed.options[0]])).errors).toBeUndefined();
    await closeRound(api, host, closed.id);
    f.closedRound = closed.id;

    // Residents' reports of DISTRICT: one RECEIVED, another to merge it into, and one of author's RESOLVED.
    f.report = await submitReport(api, author, { districtCode: DISTRICT });
    f.otherReport = await submitReport(api, other, { districtCode: DISTRICT, categoryCode: 'WASTE' });
    f.resolvedReport = await submitReport(api, author, { districtCode: DISTRICT, categoryCode: 'ROADS' });
    f.draftQuestionnaire = await createQuestionnaire(api, host, DISTRICT);
    f.openQuestionnaire = await createQuestionnaire(api, host, DISTRICT, { open: true });
    await moveReport(api, host, f.resolvedReport, 'acceptReport', 'resolveReport');
    f.announcement = (
      await api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i: { districtCode: DISTRICT, kind: 'NEWS', titleTh: 'ข่าวของเขต', bodyTh: 'เนื้อหา' } }, host.token)
    ).publishAnnouncement.announcement.id;
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  /** Row counts and a digest of every row of every table. */
  function fingerprint(): Promise<Record<string, string>> {
    return tableFingerprint(db, TABLES);
  }

  /** Like api.gql, but numbers JSON cannot write (RawNumber) go into the body as literals. */
  async function send(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResponse> {
    const literals: string[] = [];
    const json = JSON.stringify({ query, variables }, (_key, value) => {
      if (value instanceof RawNumber) {
        literals.push(value.literal);
        return `@@raw${literals.length - 1}@@`;
      }
      return value;
    });
    if (literals.length === 0) return api.gql(query, variables, token);
    const body = json.replace(/"@@raw(\d+)@@"/g, (_m, i) => literals[Number(i)]);
    let req = request(api.http).post('/graphql').set('content-type', 'application/json');
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = await req.send(body);
    return { status: res.status, data: res.body?.data ?? undefined, errors: res.body?.errors, body: res.body };
  }

  /** The answer to bad input: BAD_USER_INPUT (naming the field when the service found it), no data, no internals. */
  function expectBadInput(res: GraphQLResponse, mutation: string, field?: string): void {
    const text = JSON.stringify(res.body);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.status).toBeLessThan(500);
    expect(res.data?.[mutation] ?? null).toBeNull();
    expect(text).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|QueryFailedError|node_modules|\bat \S+ \(|\.[jt]s:\d+:\d+/i);
    if (field) expect(res.errors![0].extensions?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }

  /** The answer to a well-formed id of nothing: NOT_FOUND, no data, no internals. */
  function expectNotFound(res: GraphQLResponse, mutation: string): void {
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(res.status).toBeLessThan(500);
    expect(res.data?.[mutation] ?? null).toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|QueryFailedError|node_modules|\bat \S+ \(|\.[jt]s:\d+:\d+/i);
  }

  // ---- the cases -----------------------------------------------------------------------------------

  const cases: BadCase[] = [];
  const add = (c: BadCase) => cases.push(c);
  /** Variables with one path replaced (or removed, for `undefined`). */
  function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const copy = structuredClone(base) as Record<string, any>;
    const keys = path.split('.');
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] ??= {};
    if (value === undefined) delete target[keys[keys.length - 1]];
    else target[keys[keys.length - 1]] = value;
    return copy;
  }

  /**
   * Bad ids for an ID argument: SQL, empty, forged global ids, an id of another kind, control characters,
   * and wrong types. `service` is the field name the service reports; wrong JSON types fail in GraphQL.
   */
  function badIds(type: string, otherKind: () => string, options: { nullable?: boolean } = {}): { label: string; value: () => unknown; service: boolean }[] {
    const list: { label: string; value: () => unknown; service: boolean }[] = [
      { label: 'SQL in the id', value: () => SQL_OR, service: true },
      { label: 'a DROP TABLE as the id', value: () => SQL_DROP, service: true },
      // An empty optional id (a reply's parentId) is taken as "none": see the defect test at the end.
      ...(options.nullable ? [] : [{ label: 'an empty id', value: () => '', service: true }]),
      { label: `a forged ${type} id carrying SQL`, value: () => toGlobalId(type, SQL_OR), service: true },
      { label: `a forged ${type} id: a uuid followed by SQL`, value: () => toGlobalId(type, `${NIL_UUID}' OR '1'='1`), service: true },
      { label: 'an id of another kind', value: otherKind, service: true },
      { label: 'a raw "Type:uuid" string', value: () => `${type}:${NIL_UUID}`, service: true },
      { label: 'a NUL byte', value: () => '\u0000', service: true },
      { label: 'a 10,000-character id', value: () => 'A'.repeat(10_000), service: true },
      { label: 'a number (ID takes integers)', value: () => 12345, service: true },
      { label: 'a boolean', value: () => true, service: false },
      { label: 'an object', value: () => ({ id: SQL_OR }), service: false },
      { label: 'a list', value: () => ['a', 'b'], service: false },
    ];
    if (!options.nullable) list.push({ label: 'null', value: () => null, service: false });
    return list;
  }

  /** Adds the bad-id cases of one ID argument of a mutation. */
  function idCases(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path: string, type: string, otherKind: () => string, field: string, nullable = false) {
    for (const bad of badIds(type, otherKind, { nullable })) {
      add({ mutation, label: `${path}: ${bad.label}`, query, as, vars: () => withValue(base(), path, bad.value()), field: bad.service ? field : undefined });
    }
    if (!nullable) add({ mutation, label: `${path}: missing`, query, as, vars: () => withValue(base(), path, undefined) });
  }

  /**
   * Adds the cases of a plain-text reason (hide, restore, flag): 3 to 1,000 characters, no markup, no control
   * characters. An `optional` reason may be left out (empty, null or missing), but not be any of the rest.
   */
  function reasonCases(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path: string, field: string, optional = false) {
    const bad: [string, unknown, boolean][] = [
      ['empty', '', true],
      ['only whitespace', ' \n\t ', true],
      ['too short', 'ab', true],
      ['1,001 characters', 'x'.repeat(1001), true],
      ['1,001 Thai characters', thai(1001), true],
      ['a script tag', SCRIPT, true],
      ['an img tag with onerror', IMG, true],
      ['a NUL byte', 'Spam\u0000spam', true],
      ['a BEL character', 'Spam\u0007spam', true],
      ['an unpaired surrogate', 'Spam \ud800 spam', true],
      ['a number', 42, false],
      ['a list', ['Spam'], false],
      ['null', null, false],
      ['missing', undefined, false],
    ];
    const leftOut = ['', null, undefined];
    for (const [label, value, service] of bad) {
      if (optional && (leftOut.includes(value as string | null | undefined) || label === 'only whitespace')) continue;
      add({ mutation, label: `${path}: ${label}`, query, as, vars: () => withValue(base(), path, value), field: service ? field : undefined });
    }
  }

  // createProposal -------------------------------------------------------------------------------
  {
    const m = 'createProposal';
    const q = `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id title } } }`;
    const base = () => ({ input: proposalInput({ districtCode: DISTRICT }) });
    const service: [string, string, unknown, string][] = [
      ['title empty', 'input.title', '', 'input.title'],
      ['title only whitespace', 'input.title', '   ', 'input.title'],
      ['title too short', 'input.title', 'ab', 'input.title'],
      ['title of 201 characters', 'input.title', 'x'.repeat(201), 'input.title'],
      ['title of 201 Thai characters', 'input.title', thai(201), 'input.title'],
      ['title of 29 emoji families (203 code points)', 'input.title', FAMILY.repeat(29), 'input.title'],
      ['title with a script tag', 'input.title', SCRIPT, 'input.title'],
      ['title with an img tag', 'input.title', `Trees ${IMG}`, 'input.title'],
      ['title with a NUL byte', 'input.title', 'Shade\u0000trees', 'input.title'],
      ['title with a newline (one line only)', 'input.title', 'Shade\ntrees', 'input.title'],
      ['title with a BEL character', 'input.title', 'Shade trees\u0007', 'input.title'],
      ['title with an unpaired high surrogate', 'input.title', 'Shade \ud800 trees', 'input.title'],
      ['title with an unpaired low surrogate', 'input.title', 'Shade \udc00 trees', 'input.title'],
      ['summary empty', 'input.summary', '', 'input.summary'],
      ['summary of 1,001 characters', 'input.summary', 's'.repeat(1001), 'input.summary'],
      ['summary with a script tag', 'input.summary', SCRIPT, 'input.summary'],
      ['summary with a BEL character', 'input.summary', 'Bell\u0007', 'input.summary'],
      ['body empty', 'input.body', '', 'input.body'],
      ['body of 50,001 characters', 'input.body', 'b'.repeat(50_001), 'input.body'],
      ['body with an img onerror', 'input.body', `Look:\n\n${IMG}`, 'input.body'],
      ['body with a javascript: link', 'input.body', `See ${JS_LINK}`, 'input.body'],
      ['body with a script tag', 'input.body', `Hello ${SCRIPT}`, 'input.body'],
      ['body with an iframe', 'input.body', '<iframe src="https://evil.example"></iframe>', 'input.body'],
      ['body with an svg onload', 'input.body', '<svg onload=alert(1)>', 'input.body'],
      ['body with a data:text/html link', 'input.body', '[x](data:text/html;base64,PHNjcmlwdD4=)', 'input.body'],
      ['body with a NUL byte', 'input.body', 'a\u0000b', 'input.body'],
      ['body with an unpaired surrogate', 'input.body', 'a\ud800b', 'input.body'],
      ['districtCode with SQL', 'input.districtCode', SQL_OR, 'input.districtCode'],
      ['districtCode with DROP TABLE', 'input.districtCode', SQL_DROP, 'input.districtCode'],
      ['districtCode of five digits', 'input.districtCode', '10071', 'input.districtCode'],
      ['districtCode in Thai digits', 'input.districtCode', '๑๐๐๗', 'input.districtCode'],
      ['districtCode with a NUL byte', 'input.districtCode', '1007\u0000', 'input.districtCode'],
      ['negative budget', 'input.estimatedBudget', -1, 'input.estimatedBudget'],
      ['budget of minus one satang', 'input.estimatedBudget', -0.01, 'input.estimatedBudget'],
      ['budget over a trillion baht', 'input.estimatedBudget', 1_000_000_000_001, 'input.estimatedBudget'],
      ['budget of 1e308', 'input.estimatedBudget', 1e308, 'input.estimatedBudget'],
      ['budget in thousandths of a baht', 'input.estimatedBudget', 12.345, 'input.estimatedBudget'],
      ['location in London', 'input.location', { latitude: 51.5074, longitude: -0.1278 }, 'input.location.latitude'],
      ['location in Chiang Mai', 'input.location', { latitude: 18.7883, longitude: 98.9853 }, 'input.location.latitude'],
      ['location with latitude and longitude swapped', 'input.location', { latitude: 100.5018, longitude: 13.7563 }, 'input.location.latitude'],
      ['location just north of Bangkok', 'input.location', { latitude: 14.0001, longitude: 100.5 }, 'input.location.latitude'],
      ['location with a longitude of 200', 'input.location', { latitude: 13.75, longitude: 200 }, 'input.location.longitude'],
      ['location with latitude only', 'input.location', { latitude: 13.75 }, 'input.location.latitude'],
      ['location with longitude only', 'input.location', { longitude: 100.5 }, 'input.location.latitude'],
      ['location address of 501 characters', 'input.location', { address: 'a'.repeat(501) }, 'input.location.address'],
      ['location address with a script tag', 'input.location', { address: SCRIPT }, 'input.location.address'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['no input at all', 'input', undefined],
      ['title missing', 'input.title', undefined],
      ['title null', 'input.title', null],
      ['summary missing', 'input.summary', undefined],
      ['body missing', 'input.body', undefined],
      ['category missing', 'input.category', undefined],
      ['districtCode missing', 'input.districtCode', undefined],
      ['title a number', 'input.title', 12345],
      ['title a list', 'input.title', ['Shade', 'trees']],
      ['body an object', 'input.body', { markdown: 'x' }],
      ['districtCode a number', 'input.districtCode', 1007],
      ['category unknown', 'input.category', 'PARKING'],
      ['category with SQL', 'input.category', SQL_OR],
      ['category with DROP TABLE', 'input.category', `ENVIRONMENT${SQL_DROP}`],
      ['category in lower case', 'input.category', 'environment'],
      ['category a number', 'input.category', 3],
      ['budget a string', 'input.estimatedBudget', '100'],
      ['budget "NaN"', 'input.estimatedBudget', 'NaN'],
      ['budget "Infinity"', 'input.estimatedBudget', 'Infinity'],
      ['budget 1e400 (Infinity once parsed)', 'input.estimatedBudget', new RawNumber('1e400')],
      ['budget -1e400', 'input.estimatedBudget', new RawNumber('-1e400')],
      ['budget a boolean', 'input.estimatedBudget', true],
      ['location a list', 'input.location', [13.75, 100.5]],
      ['location a string', 'input.location', '13.75,100.5'],
      ['latitude a string', 'input.location', { latitude: '13.75', longitude: 100.5 }],
      ['an unknown field (status)', 'input.status', 'PUBLISHED'],
      ['an unknown field (authorId)', 'input.authorId', SQL_OR],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value) });
    add({ mutation: m, label: 'input a list', query: q, as: 'author', vars: () => ({ input: [base().input] }) });
  }

  // updateProposal -------------------------------------------------------------------------------
  {
    const m = 'updateProposal';
    const q = `mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { proposal { id title } } }`;
    const base = () => ({ input: { proposalId: f.published, title: 'Brighter street lights for Soi Ari 4', note: 'Clearer title' } });
    const service: [string, string, unknown, string][] = [
      ['title empty', 'input.title', '', 'input.title'],
      ['title of 201 characters', 'input.title', 'x'.repeat(201), 'input.title'],
      ['title with a script tag', 'input.title', SCRIPT, 'input.title'],
      ['title with an unpaired surrogate', 'input.title', '\ud800', 'input.title'],
      ['summary of 1,001 characters', 'input.summary', 's'.repeat(1001), 'input.summary'],
      ['summary with a script tag', 'input.summary', SCRIPT, 'input.summary'],
      ['body of 50,001 characters', 'input.body', 'b'.repeat(50_001), 'input.body'],
      ['body with an img onerror', 'input.body', IMG, 'input.body'],
      ['body with a javascript: link', 'input.body', JS_LINK, 'input.body'],
      ['note of 1,001 characters', 'input.note', 'n'.repeat(1001), 'input.note'],
      ['note with a script tag', 'input.note', SCRIPT, 'input.note'],
      ['note with a NUL byte', 'input.note', 'a\u0000b', 'input.note'],
      ['negative budget', 'input.estimatedBudget', -5, 'input.estimatedBudget'],
      ['location in London', 'input.location', { latitude: 51.5074, longitude: -0.1278 }, 'input.location.latitude'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['category unknown', 'input.category', 'BOGUS'],
      ['category with SQL', 'input.category', SQL_OR],
      ['title a list', 'input.title', ['x']],
      ['budget a string', 'input.estimatedBudget', '5'],
      ['an unknown field (status)', 'input.status', 'ADOPTED'],
      ['an unknown field (revision)', 'input.revision', 0],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value) });
    idCases(m, q, 'author', base, 'input.proposalId', 'Proposal', () => f.comment, 'input.proposalId');
  }

  // publish, withdraw, endorse, withdraw endorsement: an id (and a note) ---------------------------------
  idCases('publishProposal', `mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, 'author', () => ({ id: f.draft }), 'id', 'Proposal', () => f.comment, 'input.proposalId');
  {
    const m = 'withdrawProposal';
    const q = `mutation($id: ID!, $note: String) { withdrawProposal(input: { proposalId: $id, note: $note }) { proposal { id status } } }`;
    const base = () => ({ id: f.draft, note: 'Merged into another plan' });
    const service: [string, unknown][] = [
      ['1,001 characters', 'n'.repeat(1001)],
      ['1,001 Thai characters', thai(1001)],
      ['a script tag', SCRIPT],
      ['a NUL byte', 'a\u0000b'],
      ['an unpaired surrogate', 'a\udc00b'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `note: ${label}`, query: q, as: 'author', vars: () => withValue(base(), 'note', value), field: 'input.note' });
    add({ mutation: m, label: 'note: a number', query: q, as: 'author', vars: () => withValue(base(), 'note', 42) });
    idCases(m, q, 'author', base, 'id', 'Proposal', () => f.comment, 'input.proposalId');
  }
  idCases('endorseProposal', `mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, 'other', () => ({ id: f.published }), 'id', 'Proposal', () => f.comment, 'input.proposalId');
  idCases('withdrawEndorsement', `mutation($id: ID!) { withdrawEndorsement(input: { proposalId: $id }) { proposal { id } } }`, 'other', () => ({ id: f.published }), 'id', 'Proposal', () => f.comment, 'input.proposalId');

  // hide and restore a proposal: an id and a reason ------------------------------------------------
  {
    const q = `mutation($id: ID!, $reason: String!) { hideProposal(input: { proposalId: $id, reason: $reason }) { proposal { id status } } }`;
    const base = () => ({ id: f.published, reason: 'Contains a private phone number' });
    reasonCases('hideProposal', q, 'host', base, 'reason', 'input.reason');
    idCases('hideProposal', q, 'host', base, 'id', 'Proposal', () => f.comment, 'input.proposalId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { restoreProposal(input: { proposalId: $id, reason: $reason }) { proposal { id status } } }`;
    const base = () => ({ id: f.hidden, reason: 'The number was removed' });
    reasonCases('restoreProposal', q, 'host', base, 'reason', 'input.reason');
    idCases('restoreProposal', q, 'host', base, 'id', 'Proposal', () => f.comment, 'input.proposalId');
  }

  // co-sponsors ------------------------------------------------------------------------------------
  {
    const m = 'inviteCoSponsor';
    const q = `mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`;
    const base = () => ({ p: f.draft, u: callers.other!.id });
    idCases(m, q, 'author', base, 'p', 'Proposal', () => callers.other!.id, 'input.proposalId');
    idCases(m, q, 'author', base, 'u', 'User', () => f.draft, 'input.userId');
    add({ mutation: m, label: 'u: the author themself', query: q, as: 'author', vars: () => ({ p: f.draft, u: callers.author!.id }), field: 'input.userId' });
  }
  {
    const m = 'respondToCoSponsorInvitation';
    const q = `mutation($p: ID!, $accept: Boolean!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: $accept }) { proposal { id } } }`;
    const base = () => ({ p: f.invited, accept: true });
    for (const [label, value] of [
      ['"yes"', 'yes'],
      ['"true"', 'true'],
      ['1', 1],
      ['null', null],
      ['missing', undefined],
      ['an object', { accept: true }],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `accept: ${label}`, query: q, as: 'other', vars: () => withValue(base(), 'accept', value) });
    }
    idCases(m, q, 'other', base, 'p', 'Proposal', () => f.othersComment, 'input.proposalId');
  }

  // progress and thresholds: numbers -------------------------------------------------------------------
  {
    const m = 'postProgressUpdate';
    const q = `mutation($input: PostProgressUpdateInput!) { postProgressUpdate(input: $input) { proposal { id status } } }`;
    const base = () => ({ input: { proposalId: f.adopted, text: 'Contractor chosen; work starts in June.', percent: 10 } });
    const service: [string, string, unknown, string][] = [
      ['percent 101', 'input.percent', 101, 'input.percent'],
      ['percent -1', 'input.percent', -1, 'input.percent'],
      ['percent 1,000,000', 'input.percent', 1_000_000, 'input.percent'],
      ['percent -2147483648', 'input.percent', -2147483648, 'input.percent'],
      ['text empty', 'input.text', '', 'input.text'],
      ['text of 5,001 characters', 'input.text', 't'.repeat(5001), 'input.text'],
      ['text with a script tag', 'input.text', SCRIPT, 'input.text'],
      ['text with a NUL byte', 'input.text', 'a\u0000b', 'input.text'],
      ['text with an unpaired surrogate', 'input.text', '\udfff', 'input.text'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['percent a string', 'input.percent', '50'],
      ['percent 50.5', 'input.percent', 50.5],
      ['percent 2^31 (beyond Int)', 'input.percent', 2 ** 31],
      ['percent 1e400', 'input.percent', new RawNumber('1e400')],
      ['percent null', 'input.percent', null],
      ['percent with SQL', 'input.percent', SQL_OR],
      ['text missing', 'input.text', undefined],
      ['text a number', 'input.text', 7],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value) });
    idCases(m, q, 'host', base, 'input.proposalId', 'Proposal', () => f.comment, 'input.proposalId');
  }
  {
    const m = 'setEndorsementThreshold';
    const q = `mutation($d: String!, $t: Int!) { setEndorsementThreshold(input: { districtCode: $d, threshold: $t }) { district { code endorsementThreshold } } }`;
    const base = () => ({ d: DISTRICT, t: 25 });
    const service: [string, string, unknown, string][] = [
      ['threshold 0', 't', 0, 'input.threshold'],
      ['threshold -1', 't', -1, 'input.threshold'],
      ['threshold 100,001', 't', 100_001, 'input.threshold'],
      ['districtCode with SQL', 'd', SQL_OR, 'input.districtCode'],
      ['districtCode with DROP TABLE', 'd', SQL_DROP, 'input.districtCode'],
      ['districtCode empty', 'd', '', 'input.districtCode'],
      ['districtCode in Thai digits', 'd', '๑๐๐๗', 'input.districtCode'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['threshold a string', 't', '10'],
      ['threshold 1.5', 't', 1.5],
      ['threshold 2^31', 't', 2 ** 31],
      ['threshold null', 't', null],
      ['threshold missing', 't', undefined],
      ['districtCode a number', 'd', 1007],
      ['districtCode null', 'd', null],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value) });
  }

  // comments ---------------------------------------------------------------------------------------
  {
    const m = 'postComment';
    const q = `mutation($input: PostCommentInput!) { postComment(input: $input) { comment { id body } } }`;
    const base = () => ({ input: { subjectId: f.published, body: 'Please light the footpath too.', stance: 'FOR' } });
    const service: [string, string, unknown, string][] = [
      ['body empty', 'input.body', '', 'input.body'],
      ['body only whitespace', 'input.body', '\n\n  \t', 'input.body'],
      ['body of 5,001 characters', 'input.body', 'c'.repeat(5001), 'input.body'],
      ['body of 5,001 Thai characters', 'input.body', thai(5001), 'input.body'],
      ['body of 715 emoji families (5,005 code points)', 'input.body', FAMILY.repeat(715), 'input.body'],
      ['body with a script tag', 'input.body', SCRIPT, 'input.body'],
      ['body with an img onerror', 'input.body', IMG, 'input.body'],
      ['body with a NUL byte', 'input.body', 'a\u0000b', 'input.body'],
      ['body with a BEL character', 'input.body', 'ding\u0007', 'input.body'],
      ['body with an unpaired surrogate', 'input.body', 'a\ud800', 'input.body'],
      ['parentId: a comment of another discussion', 'input.parentId', '@elsewhere', 'input.parentId'],
    ];
    for (const [label, path, value, field] of service) {
      add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value === '@elsewhere' ? f.elsewhereComment : value), field });
    }
    const coercion: [string, string, unknown][] = [
      ['body missing', 'input.body', undefined],
      ['body a number', 'input.body', 5],
      ['stance missing', 'input.stance', undefined],
      ['stance unknown', 'input.stance', 'MAYBE'],
      ['stance with SQL', 'input.stance', SQL_OR],
      ['stance a number', 'input.stance', 1],
      ['an unknown field (authorId)', 'input.authorId', SQL_OR],
      ['an unknown field (depth)', 'input.depth', -1],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value) });
    idCases(m, q, 'author', base, 'input.subjectId', 'Proposal', () => callers.other!.id, 'input.subjectId');
    idCases(m, q, 'author', base, 'input.parentId', 'Comment', () => f.published, 'input.parentId', true);
  }
  {
    const m = 'editComment';
    const q = `mutation($input: EditCommentInput!) { editComment(input: $input) { comment { id body } } }`;
    const base = () => ({ input: { commentId: f.comment, body: 'Edited: please light the footpath too.' } });
    const service: [string, unknown][] = [
      ['empty', ''],
      ['5,001 characters', 'e'.repeat(5001)],
      ['a script tag', SCRIPT],
      ['a NUL byte', '\u0000'],
      ['an unpaired surrogate', '\ud800'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `body: ${label}`, query: q, as: 'author', vars: () => withValue(base(), 'input.body', value), field: 'input.body' });
    add({ mutation: m, label: 'body: missing', query: q, as: 'author', vars: () => withValue(base(), 'input.body', undefined) });
    add({ mutation: m, label: 'stance: unknown', query: q, as: 'author', vars: () => withValue(base(), 'input.stance', 'SIDEWAYS') });
    add({ mutation: m, label: 'stance: SQL', query: q, as: 'author', vars: () => withValue(base(), 'input.stance', SQL_OR) });
    idCases(m, q, 'author', base, 'input.commentId', 'Comment', () => f.published, 'input.commentId');
  }
  idCases('deleteComment', `mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { id status } } }`, 'author', () => ({ id: f.comment }), 'id', 'Comment', () => f.published, 'input.commentId');
  {
    const m = 'reactToComment';
    const q = `mutation($id: ID!, $r: ReactionKind) { reactToComment(input: { commentId: $id, reaction: $r }) { comment { id reactionCount } } }`;
    const base = () => ({ id: f.comment, r: 'LIKE' });
    for (const [label, value] of [
      ['unknown', 'LOVE'],
      ['in lower case', 'like'],
      ['SQL', SQL_OR],
      ['a number', 1],
      ['a list', ['LIKE', 'THANKS']],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `reaction: ${label}`, query: q, as: 'other', vars: () => withValue(base(), 'r', value) });
    }
    idCases(m, q, 'other', base, 'id', 'Comment', () => f.published, 'input.commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { flagComment(input: { commentId: $id, reason: $reason }) { comment { id } } }`;
    const base = () => ({ id: f.comment, reason: 'Looks like spam' });
    reasonCases('flagComment', q, 'other', base, 'reason', 'input.reason');
    idCases('flagComment', q, 'other', base, 'id', 'Comment', () => f.published, 'input.commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { hideComment(input: { commentId: $id, reason: $reason }) { comment { id status } } }`;
    const base = () => ({ id: f.othersComment, reason: 'Personal attack' });
    reasonCases('hideComment', q, 'host', base, 'reason', 'input.reason');
    idCases('hideComment', q, 'host', base, 'id', 'Comment', () => f.published, 'input.commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { restoreComment(input: { commentId: $id, reason: $reason }) { comment { id status } } }`;
    const base = () => ({ id: f.hiddenComment, reason: 'Fair criticism on review' });
    reasonCases('restoreComment', q, 'host', base, 'reason', 'input.reason');
    idCases('restoreComment', q, 'host', base, 'id', 'Comment', () => f.published, 'input.commentId');
  }

  // questionnaire results --------------------------------------------------------------------------
  {
    const q = `mutation($id: ID!, $reason: String!) { hideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: $reason }) { answer { id hidden } } }`;
    const base = () => ({ id: f.textAnswer, reason: 'Names a neighbour' });
    reasonCases('hideQuestionnaireAnswer', q, 'host', base, 'reason', 'input.reason');
    idCases('hideQuestionnaireAnswer', q, 'host', base, 'id', 'QuestionnaireTextAnswer', () => f.published, 'input.questionnaireTextAnswerId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { unhideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: $reason }) { answer { id hidden } } }`;
    const base = () => ({ id: f.hiddenTextAnswer, reason: 'The name was taken out' });
    reasonCases('unhideQuestionnaireAnswer', q, 'host', base, 'reason', 'input.reason');
    idCases('unhideQuestionnaireAnswer', q, 'host', base, 'id', 'QuestionnaireTextAnswer', () => f.published, 'input.questionnaireTextAnswerId');
  }

  // notifications ----------------------------------------------------------------------------------
  {
    const m = 'markNotificationsRead';
    const q = `mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`;
    const service: [string, () => unknown, string][] = [
      ['SQL as an id', () => [SQL_OR], 'input.notificationIds[0]'],
      ['a good id, then SQL (nothing is marked)', () => [f.notification, SQL_DROP], 'input.notificationIds[1]'],
      ['a forged Notification id carrying SQL', () => [toGlobalId('Notification', SQL_OR)], 'input.notificationIds[0]'],
      ['an id of another kind', () => [f.published], 'input.notificationIds[0]'],
      ['a single string (GraphQL makes it a list of one)', () => SQL_OR, 'input.notificationIds[0]'],
    ];
    for (const [label, value, field] of service) add({ mutation: m, label, query: q, as: 'other', vars: () => ({ ids: value() }), field });
    for (const [label, value] of [
      ['a null in the list', [null]],
      ['an object', { ids: [] }],
      ['a boolean in the list', [true]],
    ] as [string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'other', vars: () => ({ ids: value }) });
    }
  }

  // privacy: terms and data exports ------------------------------------------------------------------
  {
    const q = `mutation($i: PublishTermsInput!) { publishTerms(input: $i) { terms { version } } }`;
    const docs = [
      { locale: 'th', text: 'ข้อกำหนดการใช้งาน' },
      { locale: 'en', url: 'https://district.example/terms' },
    ];
    const service: [string, Record<string, unknown>, string][] = [
      ['a version that is SQL', { version: SQL_OR, documents: docs }, 'input.version'],
      ['a version of 33 characters', { version: 'v'.repeat(33), documents: docs }, 'input.version'],
      ['no English document', { version: 'bad-1', documents: [docs[0]] }, 'input.documents'],
      ['a javascript: URL', { version: 'bad-2', documents: [{ locale: 'th', url: 'javascript:alert(1)' }, docs[1]] }, 'input.documents[0].url'],
      ['a text with a script', { version: 'bad-3', documents: [{ locale: 'th', text: SCRIPT }, docs[1]] }, 'input.documents[0].text'],
      ['a document with both a URL and a text', { version: 'bad-4', documents: [{ ...docs[0], url: 'https://district.example/th' }, docs[1]] }, 'input.documents[0]'],
    ];
    for (const [label, i, field] of service) add({ mutation: 'publishTerms', label, query: q, as: 'admin', vars: () => ({ i }), field });
    add({ mutation: 'publishTerms', label: 'a locale fr', query: q, as: 'admin', vars: () => ({ i: { version: 'bad-5', documents: [{ locale: 'fr', text: 't' }, docs[1]] } }) });
    const accept = `mutation($i: AcceptTermsInput!) { acceptTerms(input: $i) { acceptance { version } } }`;
    add({ mutation: 'acceptTerms', label: 'a version of 33 characters', query: accept, as: 'other', vars: () => ({ i: { version: 'v'.repeat(33) } }), field: 'input.version' });
    add({ mutation: 'acceptTerms', label: 'no version', query: accept, as: 'other', vars: () => ({ i: {} }) });
    const exportQ = `mutation($i: ExportMyDataInput!) { exportMyData(input: $i) { downloadPath } }`;
    add({ mutation: 'exportMyData', label: 'an unknown format', query: exportQ, as: 'other', vars: () => ({ i: { format: 'CSV' } }) });
  }

  // accounts, residency and hosts (beyond what auth.spec.ts and residency.spec.ts try) ------------------------
  {
    const m = 'register';
    const q = `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`;
    const base = () => ({ input: { email: 'new.member@example.org', password: 'long enough passphrase 9', displayName: 'New member', kind: 'PERSON', locale: 'th' } });
    const service: [string, string, unknown, string][] = [
      ['displayName with a script tag', 'input.displayName', SCRIPT, 'input.displayName'],
      ['displayName of 101 characters', 'input.displayName', 'd'.repeat(101), 'input.displayName'],
      ['displayName with a NUL byte', 'input.displayName', 'New\u0000member', 'input.displayName'],
      ['displayName with an unpaired surrogate', 'input.displayName', 'New \ud800 member', 'input.displayName'],
      ['email that is SQL', 'input.email', SQL_OR, 'input.email'],
      ['email of 255 characters', 'input.email', `${'e'.repeat(243)}@example.org`, 'input.email'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'anonymous', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['kind with SQL', 'input.kind', SQL_OR],
      ['kind ADMIN', 'input.kind', 'ADMIN'],
      ['locale fr', 'input.locale', 'fr'],
      ['email a number', 'input.email', 42],
      ['an unknown field (isAdmin)', 'input.isAdmin', true],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'anonymous', vars: () => withValue(base(), path, value) });
  }
  {
    const m = 'changePassword';
    const q = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { endedSessions } }`;
    const base = () => ({ input: { currentPassword: 'correct horse battery staple', newPassword: 'long enough passphrase 9' } });
    const service: [string, unknown][] = [
      ['newPassword too short', 'short'],
      ['newPassword a common password', '1234567890'],
      ['newPassword the current one', 'correct horse battery staple'],
      ['newPassword of 129 characters', 'p'.repeat(64) + 'q'.repeat(65)],
    ];
    for (const [label, value] of service) add({ mutation: m, label, query: q, as: 'other', vars: () => withValue(base(), 'input.newPassword', value), field: 'input.newPassword' });
    add({ mutation: m, label: 'newPassword a number', query: q, as: 'other', vars: () => withValue(base(), 'input.newPassword', 1234567890) });
    add({ mutation: m, label: 'currentPassword missing', query: q, as: 'other', vars: () => withValue(base(), 'input.currentPassword', undefined) });
  }
  {
    const m = 'updateProfile';
    const q = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id } } }`;
    const base = () => ({ input: { displayName: 'Other member' } });
    const service: [string, unknown][] = [
      ['displayName with a script tag', SCRIPT],
      ['displayName of 101 characters', 'd'.repeat(101)],
      ['displayName with a NUL byte', 'Other\u0000member'],
      ['displayName only whitespace', '  '],
    ];
    for (const [label, value] of service) add({ mutation: m, label, query: q, as: 'other', vars: () => withValue(base(), 'input.displayName', value), field: 'input.displayName' });
    const coercion: [string, string, unknown][] = [
      ['locale fr', 'input.locale', 'fr'],
      ['emailPreferences.hearingReminders "yes"', 'input.emailPreferences.hearingReminders', 'yes'],
      ['an unknown field (isAdmin)', 'input.isAdmin', true],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'other', vars: () => withValue(base(), path, value) });
  }
  {
    const m = 'endSession';
    const q = `mutation($input: EndSessionInput!) { endSession(input: $input) { session { id } } }`;
    const base = () => ({ input: { sessionId: toGlobalId('Session', NIL_UUID) } });
    idCases(m, q, 'other', base, 'input.sessionId', 'Session', () => f.residency, 'input.sessionId');
  }
  {
    const m = 'requestPasswordReset';
    const q = `mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { accepted } }`;
    const base = () => ({ input: { email: 'nobody.at.all@example.org' } });
    add({ mutation: m, label: 'email that is SQL', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.email', SQL_OR), field: 'input.email' });
    add({ mutation: m, label: 'email of 255 characters', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.email', `${'e'.repeat(243)}@example.org`), field: 'input.email' });
    add({ mutation: m, label: 'email empty', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.email', ''), field: 'input.email' });
    add({ mutation: m, label: 'email a number', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.email', 42) });
  }
  {
    const m = 'resetPassword';
    const q = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { passwordChanged } }`;
    const base = () => ({ input: { token: 'an-unknown-token-an-unknown-token-01234567', newPassword: 'long enough passphrase 9' } });
    // A token that is not one is refused as UNAUTHENTICATED (account.spec); here, what GraphQL itself refuses.
    add({ mutation: m, label: 'token a list', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.token', ['a']) });
    add({ mutation: m, label: 'newPassword missing', query: q, as: 'anonymous', vars: () => withValue(base(), 'input.newPassword', undefined) });
  }
  {
    const m = 'requestResidency';
    const q = `mutation($d: String!, $n: String) { requestResidency(input: { districtCode: $d, note: $n }) { residency { id } } }`;
    const base = () => ({ d: DISTRICT, n: 'I rent a room on Soi Chula 12' });
    const service: [string, string, unknown, string][] = [
      ['note with a script tag', 'n', SCRIPT, 'input.note'],
      ['note with a NUL byte', 'n', 'a\u0000b', 'input.note'],
      ['note with an unpaired surrogate', 'n', '\ud800', 'input.note'],
      ['districtCode with DROP TABLE', 'd', SQL_DROP, 'input.districtCode'],
      ['districtCode empty', 'd', '', 'input.districtCode'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'other', vars: () => withValue(base(), path, value), field });
    for (const [label, path, value] of [
      ['districtCode a number', 'd', 1007],
      ['note a number', 'n', 42],
    ] as [string, string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'other', vars: () => withValue(base(), path, value) });
    }
  }
  {
    const m = 'reviewResidency';
    const q = `mutation($input: ReviewResidencyInput!) { reviewResidency(input: $input) { residency { id status } } }`;
    const base = () => ({ input: { residencyId: f.residency, decision: 'REJECT', note: 'Please send a utility bill' } });
    add({ mutation: m, label: 'note with a script tag', query: q, as: 'host', vars: () => withValue(base(), 'input.note', SCRIPT), field: 'input.note' });
    add({ mutation: m, label: 'decision with SQL', query: q, as: 'host', vars: () => withValue(base(), 'input.decision', SQL_OR) });
    add({ mutation: m, label: 'decision unknown', query: q, as: 'host', vars: () => withValue(base(), 'input.decision', 'MAYBE') });
    idCases(m, q, 'host', base, 'input.residencyId', 'Residency', () => f.published, 'input.residencyId');
  }
  for (const m of ['appointHost', 'removeHost']) {
    const q = `mutation($u: ID!, $d: String!) { ${m}(input: { userId: $u, districtCode: $d }) { user { id } } }`;
    const base = () => ({ u: callers.host!.id, d: DISTRICT });
    add({ mutation: m, label: 'districtCode with SQL', query: q, as: 'admin', vars: () => withValue(base(), 'd', SQL_OR), field: 'input.districtCode' });
    add({ mutation: m, label: 'userId with SQL', query: q, as: 'admin', vars: () => withValue(base(), 'u', SQL_OR), field: 'input.userId' });
  }
  {
    // Good input here would erase the caller: every case below is refused before anything is touched.
    const m = 'deleteMyAccount';
    const q = `mutation($i: DeleteMyAccountInput!) { deleteMyAccount(input: $i) { deleted } }`;
    const base = () => ({ i: { password: 'correct horse battery staple', removeComments: false } });
    add({ mutation: m, label: 'password empty', query: q, as: 'other', vars: () => withValue(base(), 'i.password', ''), field: 'input.password' });
    add({ mutation: m, label: 'password missing', query: q, as: 'other', vars: () => withValue(base(), 'i.password', undefined) });
    add({ mutation: m, label: 'password a number', query: q, as: 'other', vars: () => withValue(base(), 'i.password', 12345678901) });
    add({ mutation: m, label: 'removeComments a string', query: q, as: 'other', vars: () => withValue(base(), 'i.removeComments', 'yes') });
  }

  // hearings -------------------------------------------------------------------------------------------------

  /**
   * Well-formed ids of the right kind that name nothing (and check-in codes of nobody): the service answers
   * NOT_FOUND, as it does for any id it cannot find. Tried apart from `cases`, with the same checks otherwise.
   */
  const notFound: BadCase[] = [];
  function nothingCase(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path: string, type: string) {
    notFound.push({ mutation, label: `${path}: a well-formed ${type} id of nothing`, query, as, vars: () => withValue(base(), path, toGlobalId(type, NIL_UUID)) });
  }
  /** The bad ids of a hearing id argument, and a well-formed id of no hearing. */
  function hearingIdCases(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path = 'i.hearingId', field = 'input.hearingId') {
    idCases(mutation, query, as, base, path, 'Hearing', () => f.published, field);
    nothingCase(mutation, query, as, base, path, 'Hearing');
  }
  /** An agenda of `n` items without proposals. */
  const agendaOf = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Item ${i + 1}`, plannedMinutes: 10 }));
  /** Bad agendas, for scheduleHearing and setHearingAgenda (`input.agenda`): [label, agenda, field under the agenda]. */
  const badAgendas: [string, () => unknown[], string][] = [
    ['an empty agenda', () => [], ''],
    ['51 agenda items', () => agendaOf(51), ''],
    ['an item planned for 0 minutes', () => [{ title: 'The footbridge', plannedMinutes: 0 }], '[0].plannedMinutes'],
    ['an item planned for 601 minutes', () => [{ title: 'The footbridge', plannedMinutes: 601 }], '[0].plannedMinutes'],
    ['an item planned for -30 minutes', () => [{ title: 'The footbridge', plannedMinutes: -30 }], '[0].plannedMinutes'],
    ['an item with an empty title', () => [{ title: ' ', plannedMinutes: 30 }], '[0].title'],
    ['an item titled with a script tag', () => [{ title: SCRIPT, plannedMinutes: 30 }], '[0].title'],
    ['an item title of 201 characters', () => [{ title: 't'.repeat(201), plannedMinutes: 30 }], '[0].title'],
    ["another district's proposal", () => [{ title: 'Theirs', proposalId: f.theirs, plannedMinutes: 30 }], '[0].proposalId'],
    ['a hidden proposal', () => [{ title: 'Hidden', proposalId: f.hidden, plannedMinutes: 30 }], '[0].proposalId'],
    ['a draft proposal', () => [{ title: 'Draft', proposalId: f.draft, plannedMinutes: 30 }], '[0].proposalId'],
    ['an adopted proposal', () => [{ title: 'Adopted', proposalId: f.adopted, plannedMinutes: 30 }], '[0].proposalId'],
    ['a well-formed Proposal id of nothing', () => [{ title: 'Nothing', proposalId: toGlobalId('Proposal', NIL_UUID), plannedMinutes: 30 }], '[0].proposalId'],
    [
      'the same proposal twice',
      () => [
        { title: 'Once', proposalId: f.ours, plannedMinutes: 30 },
        { title: 'Twice', proposalId: f.ours, plannedMinutes: 30 },
      ],
      '[1].proposalId',
    ],
    ['a good item, then a script tag', () => [{ title: 'The footbridge', plannedMinutes: 30 }, { title: `Open ${IMG}`, plannedMinutes: 30 }], '[1].title'],
  ];
  const badAgendaShapes: [string, unknown][] = [
    ['an item without plannedMinutes', [{ title: 'The footbridge' }]],
    ['an item without a title', [{ plannedMinutes: 30 }]],
    ['plannedMinutes "thirty"', [{ title: 'The footbridge', plannedMinutes: 'thirty' }]],
    ['plannedMinutes 1e400', [{ title: 'The footbridge', plannedMinutes: new RawNumber('1e400') }]],
    ['plannedMinutes 2^31', [{ title: 'The footbridge', plannedMinutes: 2 ** 31 }]],
    ['an item with an unknown field (position)', [{ title: 'The footbridge', plannedMinutes: 30, position: -1 }]],
    ['a list of strings', ['The footbridge']],
    ['a null item', [null]],
  ];

  // scheduling -----------------------------------------------------------------------------------------------
  {
    const m = 'scheduleHearing';
    const q = `mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { hearing { id status } } }`;
    const base = () => ({ i: hearingInput(DISTRICT, [{ title: 'The footbridge', proposalId: f.ours }, { title: 'Open floor' }], { capacity: 3 }) });
    /** The base input with some fields replaced (or removed, for `undefined`). */
    const change = (overrides: Record<string, unknown>) => ({ i: { ...base().i, ...overrides } });
    const service: [string, () => Record<string, unknown>, string][] = [
      ['ends before it starts', () => ({ startsAt: hoursFromNow(5), endsAt: hoursFromNow(4) }), 'input.endsAt'],
      ['ends as it starts', () => sameInstant('startsAt', 'endsAt', hoursFromNow(5)), 'input.endsAt'],
      ['lasts more than a day', () => ({ startsAt: hoursFromNow(2), endsAt: hoursFromNow(27) }), 'input.endsAt'],
      ['starts in the past', () => ({ startsAt: hoursFromNow(-2), endsAt: hoursFromNow(1) }), 'input.startsAt'],
      ['startsAt the number 0 (1970)', () => ({ startsAt: 0 }), 'input.startsAt'],
      ['startsAt "next tuesday"', () => ({ startsAt: 'next tuesday' }), 'input.startsAt'],
      ['startsAt "2026-13-45T25:00:00Z"', () => ({ startsAt: '2026-13-45T25:00:00Z' }), 'input.startsAt'],
      ['endsAt "2026-13-45T25:00:00Z"', () => ({ endsAt: '2026-13-45T25:00:00Z' }), 'input.endsAt'],
      ['endsAt "next tuesday"', () => ({ endsAt: 'next tuesday' }), 'input.endsAt'],
      ['startsAt empty', () => ({ startsAt: '' }), 'input.startsAt'],
      ['startsAt with SQL', () => ({ startsAt: SQL_OR }), 'input.startsAt'],
      ['endsAt with DROP TABLE', () => ({ endsAt: SQL_DROP }), 'input.endsAt'],
      ['capacity 0', () => ({ capacity: 0 }), 'input.capacity'],
      ['capacity -1', () => ({ capacity: -1 }), 'input.capacity'],
      ['capacity 1e9', () => ({ capacity: 1e9 }), 'input.capacity'],
      ['capacity 100,001', () => ({ capacity: 100_001 }), 'input.capacity'],
      ['speakerTimeLimitSeconds 5', () => ({ speakerTimeLimitSeconds: 5 }), 'input.speakerTimeLimitSeconds'],
      ['speakerTimeLimitSeconds 4000', () => ({ speakerTimeLimitSeconds: 4000 }), 'input.speakerTimeLimitSeconds'],
      ['speakerTimeLimitSeconds -180', () => ({ speakerTimeLimitSeconds: -180 }), 'input.speakerTimeLimitSeconds'],
      ['no venue and no online link', () => ({ venue: null, onlineUrl: null }), 'input.venue'],
      ['venue and online link blank', () => ({ venue: '   ', onlineUrl: '' }), 'input.venue'],
      ['an http:// online link', () => ({ onlineUrl: 'http://meet.example.org/pathumwan-hearing' }), 'input.onlineUrl'],
      ['a javascript: online link', () => ({ onlineUrl: 'javascript:alert(1)' }), 'input.onlineUrl'],
      ['a data: online link', () => ({ onlineUrl: 'data:text/html;base64,PHNjcmlwdD4=' }), 'input.onlineUrl'],
      ['an online link that is no link', () => ({ onlineUrl: 'the Line group of the soi' }), 'input.onlineUrl'],
      ['an online link of 501 characters', () => ({ onlineUrl: `https://meet.example.org/${'x'.repeat(476)}` }), 'input.onlineUrl'],
      ['an online link with a script tag', () => ({ onlineUrl: `https://meet.example.org/${SCRIPT}` }), 'input.onlineUrl'],
      ['title empty', () => ({ title: '' }), 'input.title'],
      ['title too short', () => ({ title: 'ab' }), 'input.title'],
      ['title of 201 characters', () => ({ title: 'x'.repeat(201) }), 'input.title'],
      ['title of 201 Thai characters', () => ({ title: thai(201) }), 'input.title'],
      ['title with a script tag', () => ({ title: SCRIPT }), 'input.title'],
      ['title with an img tag', () => ({ title: `Hearing ${IMG}` }), 'input.title'],
      ['title with a NUL byte', () => ({ title: 'Public\u0000hearing' }), 'input.title'],
      ['title with an unpaired surrogate', () => ({ title: 'Public \ud800 hearing' }), 'input.title'],
      ['venue with a script tag', () => ({ venue: SCRIPT }), 'input.venue'],
      ['venue with an img tag', () => ({ venue: `Hall 2 ${IMG}` }), 'input.venue'],
      ['venue of 501 characters', () => ({ venue: 'v'.repeat(501) }), 'input.venue'],
      ['venue with a newline (one line only)', () => ({ venue: 'Hall 2\nPathum Wan' }), 'input.venue'],
      ['description with a script tag', () => ({ description: `Agenda: ${SCRIPT}` }), 'input.description'],
      ['description with a javascript: link', () => ({ description: `See ${JS_LINK}` }), 'input.description'],
      ['description of 10,001 characters', () => ({ description: 'd'.repeat(10_001) }), 'input.description'],
      ['districtCode with SQL', () => ({ districtCode: SQL_OR }), 'input.districtCode'],
      ['districtCode with DROP TABLE', () => ({ districtCode: SQL_DROP }), 'input.districtCode'],
      ['districtCode empty', () => ({ districtCode: '' }), 'input.districtCode'],
      ...badAgendas.map(([label, agenda, field]): [string, () => Record<string, unknown>, string] => [`agenda: ${label}`, () => ({ agenda: agenda() }), `input.agenda${field}`]),
    ];
    for (const [label, overrides, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides()), field });
    const coercion: [string, Record<string, unknown>][] = [
      ['capacity "many"', { capacity: 'many' }],
      ['capacity 1.5', { capacity: 1.5 }],
      ['capacity 2^31 (beyond Int)', { capacity: 2 ** 31 }],
      ['capacity 1e400', { capacity: new RawNumber('1e400') }],
      ['capacity null', { capacity: null }],
      ['capacity missing', { capacity: undefined }],
      ['startsAt null', { startsAt: null }],
      ['startsAt missing', { startsAt: undefined }],
      ['endsAt missing', { endsAt: undefined }],
      ['title missing', { title: undefined }],
      ['title a number', { title: 42 }],
      ['districtCode missing', { districtCode: undefined }],
      ['districtCode a number', { districtCode: 1007 }],
      ['agenda missing', { agenda: undefined }],
      ['agenda null', { agenda: null }],
      ['agenda a string', { agenda: 'The footbridge' }],
      ['speakerTimeLimitSeconds "5"', { speakerTimeLimitSeconds: '5' }],
      ['firstTimeSpeakersFirst "yes"', { firstTimeSpeakersFirst: 'yes' }],
      ['an unknown field (status)', { status: 'IN_SESSION' }],
      ['an unknown field (createdBy)', { createdBy: SQL_OR }],
      ...badAgendaShapes.map(([label, agenda]): [string, Record<string, unknown>] => [`agenda: ${label}`, { agenda }]),
    ];
    for (const [label, overrides] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides) });
    add({ mutation: m, label: 'no input at all', query: q, as: 'host', vars: () => ({}) });
    add({ mutation: m, label: 'input a list', query: q, as: 'host', vars: () => ({ i: [base().i] }) });
    idCases(m, q, 'host', base, 'i.agenda.0.proposalId', 'Proposal', () => f.comment, 'input.agenda[0].proposalId', true);
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'host', vars: () => change({ districtCode: '9999' }) });
  }
  {
    const m = 'rescheduleHearing';
    const q = `mutation($i: RescheduleHearingInput!) { rescheduleHearing(input: $i) { hearing { id startsAt } } }`;
    const base = () => ({ i: { hearingId: f.planned, startsAt: hoursFromNow(30), endsAt: hoursFromNow(32), capacity: 3 } });
    const change = (overrides: Record<string, unknown>) => ({ i: { ...base().i, ...overrides } });
    const service: [string, () => Record<string, unknown>, string][] = [
      ['ends before it starts', () => ({ startsAt: hoursFromNow(30), endsAt: hoursFromNow(29) }), 'input.endsAt'],
      ['only a new end, before the start it keeps', () => ({ startsAt: undefined, endsAt: hoursFromNow(-1) }), 'input.endsAt'],
      ['only a new start, after the end it keeps', () => ({ startsAt: hoursFromNow(30), endsAt: undefined }), 'input.endsAt'],
      ['lasts more than a day', () => ({ startsAt: hoursFromNow(30), endsAt: hoursFromNow(60) }), 'input.endsAt'],
      ['starts in the past', () => ({ startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) }), 'input.startsAt'],
      ['startsAt "next tuesday"', () => ({ startsAt: 'next tuesday' }), 'input.startsAt'],
      ['startsAt "2026-13-45T25:00:00Z"', () => ({ startsAt: '2026-13-45T25:00:00Z' }), 'input.startsAt'],
      ['endsAt "2026-13-45T25:00:00Z"', () => ({ endsAt: '2026-13-45T25:00:00Z' }), 'input.endsAt'],
      ['capacity 0', () => ({ capacity: 0 }), 'input.capacity'],
      ['capacity -1', () => ({ capacity: -1 }), 'input.capacity'],
      ['capacity 1e9', () => ({ capacity: 1e9 }), 'input.capacity'],
      ['capacity below the 2 seats already confirmed', () => ({ capacity: 1 }), 'input.capacity'],
      ['speakerTimeLimitSeconds 5', () => ({ speakerTimeLimitSeconds: 5 }), 'input.speakerTimeLimitSeconds'],
      ['speakerTimeLimitSeconds 4000', () => ({ speakerTimeLimitSeconds: 4000 }), 'input.speakerTimeLimitSeconds'],
      ['no venue and no online link', () => ({ venue: null, onlineUrl: null }), 'input.venue'],
      ['the venue removed, with no online link to fall back on', () => ({ venue: null }), 'input.venue'],
      ['an http:// online link', () => ({ onlineUrl: 'http://meet.example.org/pathumwan-hearing' }), 'input.onlineUrl'],
      ['a javascript: online link', () => ({ onlineUrl: 'javascript:alert(1)' }), 'input.onlineUrl'],
      ['title empty', () => ({ title: '' }), 'input.title'],
      ['title with a script tag', () => ({ title: SCRIPT }), 'input.title'],
      ['title of 201 characters', () => ({ title: 'x'.repeat(201) }), 'input.title'],
      ['venue with a script tag', () => ({ venue: SCRIPT }), 'input.venue'],
      ['description with a script tag', () => ({ description: SCRIPT }), 'input.description'],
    ];
    for (const [label, overrides, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides()), field });
    const coercion: [string, Record<string, unknown>][] = [
      ['capacity "many"', { capacity: 'many' }],
      ['capacity 1.5', { capacity: 1.5 }],
      ['speakerTimeLimitSeconds "60"', { speakerTimeLimitSeconds: '60' }],
      ['firstTimeSpeakersFirst "no"', { firstTimeSpeakersFirst: 'no' }],
      ['title a number', { title: 42 }],
      ['an unknown field (districtCode)', { districtCode: '1001' }],
      ['an unknown field (status)', { status: 'CLOSED' }],
      ['an unknown field (agenda)', { agenda: [] }],
    ];
    for (const [label, overrides] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides) });
    hearingIdCases(m, q, 'host', base);
  }
  {
    const m = 'setHearingAgenda';
    const q = `mutation($i: SetHearingAgendaInput!) { setHearingAgenda(input: $i) { hearing { id } } }`;
    const base = () => ({
      i: {
        hearingId: f.planned,
        agenda: [
          { title: 'The footbridge, revised', proposalId: f.ours, plannedMinutes: 45 },
          { title: 'Open floor', plannedMinutes: 30 },
        ],
      },
    });
    for (const [label, agenda, field] of badAgendas) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), 'i.agenda', agenda()), field: `input.agenda${field}` });
    for (const [label, agenda] of [...badAgendaShapes, ['agenda null', null], ['agenda missing', undefined]] as [string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), 'i.agenda', agenda) });
    }
    add({ mutation: m, label: 'an unknown field (status)', query: q, as: 'host', vars: () => withValue(base(), 'i.status', 'CLOSED') });
    idCases(m, q, 'host', base, 'i.agenda.0.proposalId', 'Proposal', () => f.comment, 'input.agenda[0].proposalId', true);
    hearingIdCases(m, q, 'host', base);
  }

  // the lifecycle --------------------------------------------------------------------------------------------
  hearingIdCases('openHearing', `mutation($i: OpenHearingInput!) { openHearing(input: $i) { hearing { id status } } }`, 'host', () => ({ i: { hearingId: f.planned } }));
  {
    const m = 'openHearing';
    const q = `mutation($i: OpenHearingInput!) { openHearing(input: $i) { hearing { id status } } }`;
    // f.planned starts within the hour: a reason is optional, but one given must be a proper one.
    reasonCases(m, q, 'host', () => ({ i: { hearingId: f.planned, reason: 'Check-in starts early for the elderly' } }), 'i.reason', 'input.reason', true);
    // f.distant starts in three days: opening it now needs a reason.
    const early = () => ({ i: { hearingId: f.distant, reason: 'The hall is a flood shelter from tomorrow' } });
    for (const [label, value] of [
      ['missing, three days before the start', undefined],
      ['null, three days before the start', null],
      ['empty, three days before the start', ''],
      ['only whitespace, three days before the start', ' \n\t '],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `reason: ${label}`, query: q, as: 'host', vars: () => withValue(early(), 'i.reason', value), field: 'input.reason' });
    }
  }
  hearingIdCases('startHearingSession', `mutation($i: StartHearingSessionInput!) { startHearingSession(input: $i) { hearing { id status } } }`, 'host', () => ({ i: { hearingId: f.open } }));
  hearingIdCases('adjournHearing', `mutation($i: AdjournHearingInput!) { adjournHearing(input: $i) { hearing { id status } } }`, 'host', () => ({ i: { hearingId: f.session } }));
  hearingIdCases('resumeHearing', `mutation($i: ResumeHearingInput!) { resumeHearing(input: $i) { hearing { id status } } }`, 'host', () => ({ i: { hearingId: f.adjourned } }));
  {
    const m = 'closeHearing';
    const q = `mutation($i: CloseHearingInput!) { closeHearing(input: $i) { hearing { id status } } }`;
    const base = () => ({ i: { hearingId: f.session, summary: 'Residents support the footbridge, with a ramp on both banks.' } });
    const service: [string, unknown][] = [
      ['empty', ''],
      ['only whitespace', '\n \t '],
      ['too short', 'ok'],
      ['20,001 characters', 's'.repeat(20_001)],
      ['20,001 Thai characters', thai(20_001)],
      ['a script tag', `Agreed. ${SCRIPT}`],
      ['an img onerror', IMG],
      ['a javascript: link', `See ${JS_LINK}`],
      ['a NUL byte', 'Agreed\u0000.'],
      ['a BEL character', 'Agreed\u0007.'],
      ['an unpaired surrogate', 'Agreed \ud800.'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `summary: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.summary', value), field: 'input.summary' });
    for (const [label, value] of [
      ['a number', 42],
      ['null', null],
      ['missing', undefined],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `summary: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.summary', value) });
    }
    hearingIdCases(m, q, 'host', base);
  }
  {
    const q = `mutation($i: CancelHearingInput!) { cancelHearing(input: $i) { hearing { id status } } }`;
    const base = () => ({ i: { hearingId: f.planned, reason: 'Flooding around the district office' } });
    reasonCases('cancelHearing', q, 'host', base, 'i.reason', 'input.reason');
    hearingIdCases('cancelHearing', q, 'host', base);
  }

  // attendance -----------------------------------------------------------------------------------------------
  {
    const m = 'registerForHearing';
    const q = `mutation($i: RegisterForHearingInput!) { registerForHearing(input: $i) { registration { id status } } }`;
    const base = () => ({ i: { hearingId: f.planned, mode: 'IN_PERSON' } });
    add({ mutation: m, label: 'mode: ONLINE, for a hearing without an online link', query: q, as: 'other', vars: () => withValue(base(), 'i.mode', 'ONLINE'), field: 'input.mode' });
    for (const [label, value] of [
      ['unknown', 'HYBRID'],
      ['in lower case', 'online'],
      ['SQL', SQL_OR],
      ['a number', 1],
      ['a list', ['ONLINE', 'IN_PERSON']],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `mode: ${label}`, query: q, as: 'other', vars: () => withValue(base(), 'i.mode', value) });
    }
    hearingIdCases(m, q, 'other', base);
  }
  hearingIdCases('cancelRegistration', `mutation($i: CancelRegistrationInput!) { cancelRegistration(input: $i) { registration { id status } } }`, 'author', () => ({ i: { hearingId: f.planned } }));
  {
    const m = 'checkIn';
    const q = `mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id checkedInAt } } }`;
    const base = () => ({ i: { hearingId: f.open, registrationId: f.registration } });
    const service: [string, () => Record<string, unknown>][] = [
      ['both a registrationId and a code', () => ({ i: { ...base().i, code: 'ABCDEFGH' } })],
      ['neither a registrationId nor a code', () => ({ i: { hearingId: f.open } })],
      ['an empty code, and no registrationId', () => ({ i: { hearingId: f.open, code: '' } })],
      ['an empty registrationId, and no code', () => ({ i: { hearingId: f.open, registrationId: '' } })],
      ['null for both', () => ({ i: { hearingId: f.open, registrationId: null, code: null } })],
    ];
    for (const [label, vars] of service) add({ mutation: m, label, query: q, as: 'host', vars, field: 'input.code' });
    for (const [label, value] of [
      ['a number', 12345678],
      ['a list', ['ABCDEFGH']],
      ['an object', { code: 'ABCDEFGH' }],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `code: ${label}`, query: q, as: 'host', vars: () => ({ i: { hearingId: f.open, code: value } }) });
    }
    add({ mutation: m, label: 'an unknown field (checkedInAt)', query: q, as: 'host', vars: () => withValue(base(), 'i.checkedInAt', '2020-01-01T00:00:00Z') });
    idCases(m, q, 'host', base, 'i.registrationId', 'Registration', () => f.published, 'input.registrationId', true);
    nothingCase(m, q, 'host', base, 'i.registrationId', 'Registration');
    hearingIdCases(m, q, 'host', base);
    // A code of the right shape that matches none of the hearing's confirmed registrations is NOT_FOUND.
    const code = (label: string, value: () => string) => notFound.push({ mutation: m, label: `code: ${label}`, query: q, as: 'host', vars: () => ({ i: { hearingId: f.open, code: value() } }) });
    code('the right shape, of nobody', () => 'ZZZZZZZZ');
    code("the code of a registration for another hearing", () => f.plannedCode);
    // One of the wrong shape is a typo at the door: BAD_USER_INPUT, without looking anyone up.
    for (const [label, value] of [
      ['three characters', 'AB3'],
      ['nine characters', 'ABCDEFGHJ'],
      ['10,000 characters', 'A'.repeat(10_000)],
      ['a look-alike letter O', 'ABCDEFGO'],
      ['Thai digits', '๑๒๓๔๕๖๗๘'],
      ['SQL', SQL_OR],
      ['DROP TABLE', SQL_DROP],
      ['a script tag', SCRIPT],
      ['a NUL byte', 'ABCD\u0000EFG'],
    ]) {
      add({ mutation: m, label: `code: the wrong shape: ${label}`, query: q, as: 'host', vars: () => ({ i: { hearingId: f.open, code: value } }), field: 'input.code' });
    }
    notFound.push({ mutation: m, label: 'i.registrationId: a registration of another hearing', query: q, as: 'host', vars: () => withValue(base(), 'i.hearingId', f.session) });
  }

  // the floor ------------------------------------------------------------------------------------------------
  {
    const m = 'setCurrentAgendaItem';
    const q = `mutation($i: SetCurrentAgendaItemInput!) { setCurrentAgendaItem(input: $i) { hearing { id } } }`;
    const base = () => ({ i: { hearingId: f.session, agendaItemId: f.items[1] } });
    add({ mutation: m, label: 'agendaItemId: an item of another hearing', query: q, as: 'host', vars: () => withValue(base(), 'i.agendaItemId', f.plannedItem), field: 'input.agendaItemId' });
    // The service answers BAD_USER_INPUT here (not NOT_FOUND): the item is looked for on this hearing's agenda only.
    add({ mutation: m, label: 'agendaItemId: a well-formed AgendaItem id of nothing', query: q, as: 'host', vars: () => withValue(base(), 'i.agendaItemId', toGlobalId('AgendaItem', NIL_UUID)), field: 'input.agendaItemId' });
    add({ mutation: m, label: 'an unknown field (itemId, its old name)', query: q, as: 'host', vars: () => withValue(base(), 'i.itemId', f.items[1]) });
    idCases(m, q, 'host', base, 'i.agendaItemId', 'AgendaItem', () => f.session, 'input.agendaItemId', true);
    hearingIdCases(m, q, 'host', base);
  }
  {
    const m = 'requestToSpeak';
    const q = `mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id status } } }`;
    const base = () => ({ i: { hearingId: f.session, stance: 'FOR' } });
    for (const [label, value] of [
      ['unknown', 'MAYBE'],
      ['in lower case', 'for'],
      ['SQL', SQL_OR],
      ['a number', 1],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `stance: ${label}`, query: q, as: 'author', vars: () => withValue(base(), 'i.stance', value) });
    }
    add({ mutation: m, label: 'an unknown field (userId)', query: q, as: 'author', vars: () => withValue(base(), 'i.userId', callers.other!.id) });
    hearingIdCases(m, q, 'author', base);
  }
  {
    const m = 'withdrawSpeakerRequest';
    const q = `mutation($i: WithdrawSpeakerRequestInput!) { withdrawSpeakerRequest(input: $i) { speakerRequest { id status } } }`;
    const base = () => ({ i: { speakerRequestId: f.request } });
    idCases(m, q, 'other', base, 'i.speakerRequestId', 'SpeakerRequest', () => f.question, 'input.speakerRequestId');
    nothingCase(m, q, 'other', base, 'i.speakerRequestId', 'SpeakerRequest');
  }
  {
    const m = 'grantFloor';
    const q = `mutation($i: GrantFloorInput!) { grantFloor(input: $i) { speakerRequest { id status } } }`;
    const base = () => ({ i: { hearingId: f.session, speakerRequestId: f.request } });
    add({ mutation: m, label: 'speakerRequestId: a request of another hearing', query: q, as: 'host', vars: () => withValue(base(), 'i.speakerRequestId', f.speakingRequest), field: 'input.speakerRequestId' });
    // The service answers BAD_USER_INPUT here (not NOT_FOUND): the request is looked for in the current queue only.
    add({ mutation: m, label: 'speakerRequestId: a well-formed SpeakerRequest id of nothing', query: q, as: 'host', vars: () => withValue(base(), 'i.speakerRequestId', toGlobalId('SpeakerRequest', NIL_UUID)), field: 'input.speakerRequestId' });
    add({ mutation: m, label: 'an unknown field (requestId, its old name)', query: q, as: 'host', vars: () => withValue(base(), 'i.requestId', f.request) });
    idCases(m, q, 'host', base, 'i.speakerRequestId', 'SpeakerRequest', () => f.question, 'input.speakerRequestId', true);
    hearingIdCases(m, q, 'host', base);
  }
  hearingIdCases('endSpeech', `mutation($i: EndSpeechInput!) { endSpeech(input: $i) { speakerRequest { id status } } }`, 'author', () => ({ i: { hearingId: f.speaking } }));
  {
    const m = 'recordStatement';
    const q = `mutation($i: RecordStatementInput!) { recordStatement(input: $i) { statement { id text } } }`;
    const base = () => ({ i: { statementId: f.statement, text: 'Supports the footbridge; asks for a ramp on both banks.' } });
    const service: [string, unknown][] = [
      ['empty', ''],
      ['only whitespace', '  \n '],
      ['10,001 characters', 't'.repeat(10_001)],
      ['10,001 Thai characters', thai(10_001)],
      ['a script tag', `Said: ${SCRIPT}`],
      ['an img onerror', IMG],
      ['a NUL byte', 'Said\u0000so'],
      ['a BEL character', 'Said\u0007so'],
      ['an unpaired surrogate', 'Said \udc00 so'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `text: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.text', value), field: 'input.text' });
    for (const [label, value] of [
      ['a number', 42],
      ['null', null],
      ['missing', undefined],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `text: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.text', value) });
    }
    idCases(m, q, 'host', base, 'i.statementId', 'Statement', () => f.question, 'input.statementId');
    nothingCase(m, q, 'host', base, 'i.statementId', 'Statement');
  }
  {
    const m = 'askQuestion';
    const q = `mutation($i: AskQuestionInput!) { askQuestion(input: $i) { question { id text } } }`;
    const base = () => ({ i: { hearingId: f.session, text: 'Will the footbridge have a ramp?' } });
    const service: [string, unknown][] = [
      ['empty', ''],
      ['only whitespace', ' \t '],
      ['too short', 'Eh'],
      ['1,001 characters', 'q'.repeat(1001)],
      ['1,001 Thai characters', thai(1001)],
      ['a script tag', SCRIPT],
      ['an img onerror', `Why? ${IMG}`],
      ['a NUL byte', 'Why\u0000?'],
      ['a BEL character', 'Why\u0007?'],
      ['an unpaired surrogate', 'Why \ud800?'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `text: ${label}`, query: q, as: 'other', vars: () => withValue(base(), 'i.text', value), field: 'input.text' });
    for (const [label, value] of [
      ['a number', 42],
      ['a list', ['Why?']],
      ['missing', undefined],
    ] as [string, unknown][]) {
      add({ mutation: m, label: `text: ${label}`, query: q, as: 'other', vars: () => withValue(base(), 'i.text', value) });
    }
    hearingIdCases(m, q, 'other', base);
  }
  {
    const m = 'upvoteQuestion';
    const q = `mutation($i: UpvoteQuestionInput!) { upvoteQuestion(input: $i) { question { id upvotes } } }`;
    idCases(m, q, 'other', () => ({ i: { questionId: f.question } }), 'i.questionId', 'Question', () => f.request, 'input.questionId');
    nothingCase(m, q, 'other', () => ({ i: { questionId: f.question } }), 'i.questionId', 'Question');
  }
  for (const [m, arg] of [
    ['answerQuestion', 'answer'],
    ['dismissQuestion', 'reason'],
  ] as const) {
    const q = `mutation($i: ${m === 'answerQuestion' ? 'AnswerQuestionInput' : 'DismissQuestionInput'}!) { ${m}(input: $i) { question { id status } } }`;
    const base = () => ({ i: { questionId: f.question, [arg]: m === 'answerQuestion' ? 'Yes, on both banks.' : 'Covered under item 1' } });
    const service: [string, unknown][] = [
      ['5,001 characters', 'a'.repeat(5001)],
      ['a script tag', SCRIPT],
      ['an img onerror', IMG],
      ['a NUL byte', 'Yes\u0000.'],
      ['an unpaired surrogate', 'Yes \ud800.'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `${arg}: ${label}`, query: q, as: 'host', vars: () => withValue(base(), `i.${arg}`, value), field: `input.${arg}` });
    add({ mutation: m, label: `${arg}: a number`, query: q, as: 'host', vars: () => withValue(base(), `i.${arg}`, 42) });
    idCases(m, q, 'host', base, 'i.questionId', 'Question', () => f.statement, 'input.questionId');
    nothingCase(m, q, 'host', base, 'i.questionId', 'Question');
  }

  // voting -----------------------------------------------------------------------------------------------------

  /** The bad ids of a round id argument, and a well-formed id of no round. */
  function roundIdCases(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path = 'i.roundId', field = 'input.roundId') {
    idCases(mutation, query, as, base, path, 'VotingRound', () => f.published, field);
    nothingCase(mutation, query, as, base, path, 'VotingRound');
  }
  /** `n` options without proposals. */
  const optionsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `Option ${i + 1}` }));
  {
    const m = 'createVotingRound';
    const q = `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id status } } }`;
    const base = () => ({ i: roundInput(DISTRICT, 'SINGLE_CHOICE', [{ proposalId: f.votable }, { label: 'Keep the canal bank as it is' }], LATER()) });
    /** The base input with some fields replaced (or removed, for `undefined`). */
    const change = (overrides: Record<string, unknown>) => ({ i: { ...base().i, ...overrides } });
    const approval = { method: 'APPROVAL', options: optionsOf(3), maxSelections: 2 };
    const budget = { method: 'BUDGET', options: [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: 300_000 }], budget: 700_000 };
    /** The second option of the base replaced. */
    const second = (option: Record<string, unknown>) => ({ options: [{ proposalId: f.votable }, option] });
    /** A single option of the base, on the proposal given. */
    const onProposal = (proposalId: () => string) => () => ({ options: [{ proposalId: proposalId() }, { label: 'Neither' }] });
    const service: [string, () => Record<string, unknown>, string][] = [
      ['no options', () => ({ options: [] }), 'input.options'],
      ['a single option', () => ({ options: [{ proposalId: f.votable }] }), 'input.options'],
      ['51 options', () => ({ options: optionsOf(51) }), 'input.options'],
      ['an option without a label or a proposal', () => second({}), 'input.options[1].label'],
      ['an option with a null label and a null proposal', () => second({ label: null, proposalId: null }), 'input.options[1].label'],
      ['an option with an empty label', () => second({ label: '' }), 'input.options[1].label'],
      ['an option labelled only with whitespace', () => second({ label: '  \t ' }), 'input.options[1].label'],
      ['an option labelled with a script tag', () => second({ label: SCRIPT }), 'input.options[1].label'],
      ['an option labelled with an img tag', () => second({ label: `No ${IMG}` }), 'input.options[1].label'],
      ['an option label of 201 characters', () => second({ label: 'l'.repeat(201) }), 'input.options[1].label'],
      ['an option label of 201 Thai characters', () => second({ label: thai(201) }), 'input.options[1].label'],
      ['an option label with a NUL byte', () => second({ label: 'No\u0000pe' }), 'input.options[1].label'],
      ['an option label with a newline (one line only)', () => second({ label: 'No\nthanks' }), 'input.options[1].label'],
      ['an option label with an unpaired surrogate', () => second({ label: 'No \ud800' }), 'input.options[1].label'],
      ["another district's proposal", onProposal(() => f.theirs), 'input.options[0].proposalId'],
      ['a draft proposal', onProposal(() => f.draft), 'input.options[0].proposalId'],
      ['a published proposal, not yet qualified', onProposal(() => f.published), 'input.options[0].proposalId'],
      ['a hidden proposal', onProposal(() => f.hidden), 'input.options[0].proposalId'],
      ['an adopted proposal', onProposal(() => f.adopted), 'input.options[0].proposalId'],
      ['a proposal already on another ballot (IN_VOTE)', onProposal(() => f.onBallot), 'input.options[0].proposalId'],
      ['a proposal on the agenda of a hearing not yet held (IN_HEARING)', onProposal(() => f.ours), 'input.options[0].proposalId'],
      ['a well-formed Proposal id of nothing', onProposal(() => toGlobalId('Proposal', NIL_UUID)), 'input.options[0].proposalId'],
      ['the same proposal twice', () => second({ proposalId: f.votable }), 'input.options[1].proposalId'],
      ['the same proposal twice, once under a label of its own', () => second({ proposalId: f.votable, label: 'The pier again' }), 'input.options[1].proposalId'],
      ['title empty', () => ({ title: '' }), 'input.title'],
      ['title too short', () => ({ title: 'ab' }), 'input.title'],
      ['title of 201 characters', () => ({ title: 'x'.repeat(201) }), 'input.title'],
      ['title of 201 Thai characters', () => ({ title: thai(201) }), 'input.title'],
      ['title with a script tag', () => ({ title: SCRIPT }), 'input.title'],
      ['title with an img tag', () => ({ title: `Vote ${IMG}` }), 'input.title'],
      ['title with a NUL byte', () => ({ title: 'The\u0000vote' }), 'input.title'],
      ['title with a newline (one line only)', () => ({ title: 'The\nvote' }), 'input.title'],
      ['title with an unpaired surrogate', () => ({ title: 'The \udc00 vote' }), 'input.title'],
      ['description with a script tag', () => ({ description: `Vote: ${SCRIPT}` }), 'input.description'],
      ['description with an img onerror', () => ({ description: IMG }), 'input.description'],
      ['description with a javascript: link', () => ({ description: `See ${JS_LINK}` }), 'input.description'],
      ['description of 10,001 characters', () => ({ description: 'd'.repeat(10_001) }), 'input.description'],
      ['description with a NUL byte', () => ({ description: 'a\u0000b' }), 'input.description'],
      ['closes before it opens', () => ({ opensAt: hoursFromNow(3), closesAt: hoursFromNow(2) }), 'input.closesAt'],
      ['closes as it opens', () => sameInstant('opensAt', 'closesAt', hoursFromNow(3)), 'input.closesAt'],
      ['closes in the past', () => ({ opensAt: hoursFromNow(-3), closesAt: hoursFromNow(-1) }), 'input.closesAt'],
      ['closesAt the number 0 (1970)', () => ({ closesAt: 0 }), 'input.closesAt'],
      ['opensAt the number 0 (1970)', () => ({ opensAt: 0 }), 'input.opensAt'],
      ['opensAt two days ago', () => ({ opensAt: hoursFromNow(-48) }), 'input.opensAt'],
      ['opensAt in the year 10,000 BC (beyond what the database stores)', () => ({ opensAt: '-010000-01-01T00:00:00Z' }), 'input.opensAt'],
      ['opensAt "next tuesday"', () => ({ opensAt: 'next tuesday' }), 'input.opensAt'],
      ['opensAt "2026-13-45T25:00:00Z"', () => ({ opensAt: '2026-13-45T25:00:00Z' }), 'input.opensAt'],
      ['closesAt "2026-13-45T25:00:00Z"', () => ({ closesAt: '2026-13-45T25:00:00Z' }), 'input.closesAt'],
      ['closesAt "tomorrow"', () => ({ closesAt: 'tomorrow' }), 'input.closesAt'],
      ['closesAt on 30 February (not read as 2 March)', () => ({ closesAt: `${new Date().getUTCFullYear() + 1}-02-30T10:00:00+07:00` }), 'input.closesAt'],
      ['closesAt without an offset (whose clock?)', () => ({ closesAt: hoursFromNow(3).slice(0, 19) }), 'input.closesAt'],
      ['closesAt as a date only', () => ({ closesAt: hoursFromNow(48).slice(0, 10) }), 'input.closesAt'],
      ['closesAt in the year 275760', () => ({ closesAt: '+275760-09-13T00:00:00Z' }), 'input.closesAt'],
      ['closesAt at 24:30', () => ({ closesAt: `${hoursFromNow(48).slice(0, 10)}T24:30:00Z` }), 'input.closesAt'],
      ['opensAt empty', () => ({ opensAt: '' }), 'input.opensAt'],
      ['opensAt with SQL', () => ({ opensAt: SQL_OR }), 'input.opensAt'],
      ['closesAt with DROP TABLE', () => ({ closesAt: SQL_DROP }), 'input.closesAt'],
      ['quorum -1', () => ({ quorum: -1 }), 'input.quorum'],
      ['quorum 1e9', () => ({ quorum: 1e9 }), 'input.quorum'],
      ['quorum 10,000,001', () => ({ quorum: 10_000_001 }), 'input.quorum'],
      ['maxSelections on a single-choice round', () => ({ maxSelections: 1 }), 'input.maxSelections'],
      ['maxSelections on a ranked-choice round', () => ({ method: 'RANKED_CHOICE', maxSelections: 2 }), 'input.maxSelections'],
      ['maxSelections on a budget round', () => ({ ...budget, maxSelections: 1 }), 'input.maxSelections'],
      ['maxSelections 0', () => ({ ...approval, maxSelections: 0 }), 'input.maxSelections'],
      ['maxSelections -1', () => ({ ...approval, maxSelections: -1 }), 'input.maxSelections'],
      ['maxSelections 4, of 3 options', () => ({ ...approval, maxSelections: 4 }), 'input.maxSelections'],
      ['seats 0', () => ({ seats: 0 }), 'input.seats'],
      ['seats -1', () => ({ seats: -1 }), 'input.seats'],
      ['seats 2, of 2 options (every option would win)', () => ({ seats: 2 }), 'input.seats'],
      ['seats 2 on a ranked-choice round (instant runoff elects one)', () => ({ method: 'RANKED_CHOICE', seats: 2 }), 'input.seats'],
      ['seats on a budget round', () => ({ ...budget, seats: 1 }), 'input.seats'],
      ['liveBatchSize on a round that shows results after closing', () => ({ liveBatchSize: 20 }), 'input.liveBatchSize'],
      ['liveBatchSize on an open (not secret) live round', () => ({ secret: false, resultsVisibility: 'LIVE', liveBatchSize: 20 }), 'input.liveBatchSize'],
      ['liveBatchSize 9 (too small to hide a ballot among others)', () => ({ resultsVisibility: 'LIVE', liveBatchSize: 9 }), 'input.liveBatchSize'],
      ['liveBatchSize 10,001', () => ({ resultsVisibility: 'LIVE', liveBatchSize: 10_001 }), 'input.liveBatchSize'],
      ['a budget round without a budget', () => ({ ...budget, budget: undefined }), 'input.budget'],
      ['a budget round with a null budget', () => ({ ...budget, budget: null }), 'input.budget'],
      ['budget 0', () => ({ ...budget, budget: 0 }), 'input.budget'],
      ['budget -5', () => ({ ...budget, budget: -5 }), 'input.budget'],
      ['budget 1e13 (over a trillion baht)', () => ({ ...budget, budget: 1e13 }), 'input.budget'],
      ['budget 1e308', () => ({ ...budget, budget: 1e308 }), 'input.budget'],
      ['budget in thousandths of a baht', () => ({ ...budget, budget: 700_000.005 }), 'input.budget'],
      ['a budget on a single-choice round', () => ({ budget: 700_000 }), 'input.budget'],
      ['a budget on an approval round', () => ({ ...approval, budget: 700_000 }), 'input.budget'],
      ['an option without a cost, on a budget round', () => ({ ...budget, options: [{ label: 'Flood pumps' }, { label: 'Street lights', cost: 300_000 }] }), 'input.options[0].cost'],
      ['an option with a null cost, on a budget round', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: null }] }), 'input.options[1].cost'],
      ['an option costing -1 baht', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: -1 }] }), 'input.options[1].cost'],
      ['an option costing nothing', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 0 }, { label: 'Street lights', cost: 300_000 }] }), 'input.options[0].cost'],
      ['an option costing a thousandth of a baht', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 0.001 }, { label: 'Street lights', cost: 300_000 }] }), 'input.options[0].cost'],
      ['an option costing 12.345 baht', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: 12.345 }] }), 'input.options[1].cost'],
      ['an option costing 1e13 baht', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: 1e13 }, { label: 'Street lights', cost: 300_000 }] }), 'input.options[0].cost'],
      ['a cost on a single-choice round', () => second({ label: 'Neither', cost: 100 }), 'input.options[1].cost'],
      ['districtCode with SQL', () => ({ districtCode: SQL_OR }), 'input.districtCode'],
      ['districtCode with DROP TABLE', () => ({ districtCode: SQL_DROP }), 'input.districtCode'],
      ['districtCode empty', () => ({ districtCode: '' }), 'input.districtCode'],
    ];
    for (const [label, overrides, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides()), field });
    const coercion: [string, () => Record<string, unknown>][] = [
      ['title missing', () => ({ title: undefined })],
      ['title a number', () => ({ title: 42 })],
      ['method missing', () => ({ method: undefined })],
      ['method unknown', () => ({ method: 'PLURALITY' })],
      ['method in lower case', () => ({ method: 'approval' })],
      ['method with SQL', () => ({ method: SQL_OR })],
      ['options missing', () => ({ options: undefined })],
      ['options null', () => ({ options: null })],
      ['options a string', () => ({ options: 'Yes, No' })],
      ['options: a null option', () => ({ options: [{ proposalId: f.votable }, null] })],
      ['options: a string among the options', () => ({ options: [{ proposalId: f.votable }, 'Neither'] })],
      ['options: a label that is a number', () => second({ label: 42 })],
      ['options: a cost that is a string', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: '600000' }, { label: 'Street lights', cost: 300_000 }] })],
      ['options: a cost of 1e400', () => ({ ...budget, options: [{ label: 'Flood pumps', cost: new RawNumber('1e400') }, { label: 'Street lights', cost: 300_000 }] })],
      ['options: an unknown field (position)', () => second({ label: 'Neither', position: -1 })],
      ['opensAt missing', () => ({ opensAt: undefined })],
      ['opensAt null', () => ({ opensAt: null })],
      ['closesAt missing', () => ({ closesAt: undefined })],
      ['closesAt a boolean', () => ({ closesAt: true })],
      ['quorum "x"', () => ({ quorum: 'x' })],
      ['quorum 1.5', () => ({ quorum: 1.5 })],
      ['quorum 2^31 (beyond Int)', () => ({ quorum: 2 ** 31 })],
      ['quorum 1e400', () => ({ quorum: new RawNumber('1e400') })],
      ['maxSelections "two"', () => ({ ...approval, maxSelections: 'two' })],
      ['budget "lots"', () => ({ ...budget, budget: 'lots' })],
      ['budget "Infinity"', () => ({ ...budget, budget: 'Infinity' })],
      ['budget 1e400', () => ({ ...budget, budget: new RawNumber('1e400') })],
      ['secret "yes"', () => ({ secret: 'yes' })],
      ['allowRevote 1', () => ({ allowRevote: 1 })],
      ['resultsVisibility unknown', () => ({ resultsVisibility: 'ALWAYS' })],
      ['districtCode missing', () => ({ districtCode: undefined })],
      ['districtCode a number', () => ({ districtCode: 1007 })],
      ['an unknown field (status)', () => ({ status: 'OPEN' })],
      ['an unknown field (createdBy)', () => ({ createdBy: SQL_OR })],
    ];
    for (const [label, overrides] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => change(overrides()) });
    add({ mutation: m, label: 'no input at all', query: q, as: 'host', vars: () => ({}) });
    add({ mutation: m, label: 'input a list', query: q, as: 'host', vars: () => ({ i: [base().i] }) });
    idCases(m, q, 'host', base, 'i.options.0.proposalId', 'Proposal', () => f.comment, 'input.options[0].proposalId', true);
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'host', vars: () => change({ districtCode: '9999' }) });
  }

  // the round's life: a round id (and a reason) ---------------------------------------------------------------
  roundIdCases('scheduleVotingRound', `mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { id status } } }`, 'host', () => ({ i: { roundId: f.draftRound } }));
  roundIdCases('openVotingRound', `mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { id status } } }`, 'host', () => ({ i: { roundId: f.scheduledRound } }));
  roundIdCases('closeVotingRound', `mutation($i: CloseVotingRoundInput!) { closeVotingRound(input: $i) { votingRound { id status } } }`, 'host', () => ({ i: { roundId: f.single.id } }));
  roundIdCases('certifyVotingRound', `mutation($i: CertifyVotingRoundInput!) { certifyVotingRound(input: $i) { votingRound { id status } } }`, 'host', () => ({ i: { roundId: f.closedRound } }));
  {
    const q = `mutation($i: CancelVotingRoundInput!) { cancelVotingRound(input: $i) { votingRound { id status } } }`;
    const base = () => ({ i: { roundId: f.draftRound, reason: 'The budget was moved to flood relief' } });
    reasonCases('cancelVotingRound', q, 'host', base, 'i.reason', 'input.reason');
    roundIdCases('cancelVotingRound', q, 'host', base);
  }

  // ballots --------------------------------------------------------------------------------------------------
  {
    const m = 'castBallot';
    const q = `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt replaced } } }`;
    /** A good ballot of the voter in the round (the first option of the yes / no round unless told). */
    const ballot = (round: () => RoundFixture = () => f.single, choices: (r: RoundFixture) => unknown = (r) => [r.options[0]]) => () => ({
      i: { roundId: round().id, choices: choices(round()), idempotencyKey: 'ballot-key-0001' },
    });
    const base = ballot();
    const service: [string, () => Record<string, unknown>, string][] = [
      ['choices: empty', ballot(undefined, () => []), 'input.choices'],
      ['choices: the same option twice', ballot(undefined, (r) => [r.options[0], r.options[0]]), 'input.choices'],
      ['choices: two options in a single-choice round', ballot(undefined, (r) => [r.options[0], r.options[1]]), 'input.choices'],
      ['choices: an option of another round', ballot(undefined, () => [f.approval.options[0]]), 'input.choices[0]'],
      ['choices: a good option, then one of another round', ballot(undefined, (r) => [r.options[0], f.ranked.options[1]]), 'input.choices[1]'],
      ['choices: SQL', ballot(undefined, () => [SQL_OR]), 'input.choices[0]'],
      ['choices: a DROP TABLE', ballot(undefined, () => [SQL_DROP]), 'input.choices[0]'],
      ['choices: the label, not the id', ballot(undefined, () => ['Yes']), 'input.choices[0]'],
      ['choices: an empty id', ballot(undefined, () => ['']), 'input.choices[0]'],
      ['choices: a forged VotingOption id carrying SQL', ballot(undefined, () => [toGlobalId('VotingOption', SQL_OR)]), 'input.choices[0]'],
      // Looked for among the round's options only: BAD_USER_INPUT, not NOT_FOUND.
      ['choices: a well-formed VotingOption id of nothing', ballot(undefined, () => [toGlobalId('VotingOption', NIL_UUID)]), 'input.choices[0]'],
      ['choices: the round id', ballot(undefined, (r) => [r.id]), 'input.choices[0]'],
      ['choices: a proposal id', ballot(undefined, () => [f.votable]), 'input.choices[0]'],
      ['choices: a raw "VotingOption:uuid" string', ballot(undefined, () => [`VotingOption:${NIL_UUID}`]), 'input.choices[0]'],
      ['choices: a NUL byte', ballot(undefined, () => ['\u0000']), 'input.choices[0]'],
      ['choices: a 10,000-character id', ballot(undefined, () => ['A'.repeat(10_000)]), 'input.choices[0]'],
      ['choices: a position number (ID takes integers)', ballot(undefined, () => [0]), 'input.choices[0]'],
      ['choices: a single string (GraphQL makes it a list of one)', ballot(undefined, () => SQL_OR), 'input.choices[0]'],
      ['choices: three marks where at most two are allowed (approval)', ballot(() => f.approval, (r) => r.options), 'input.choices'],
      ['choices: the same mark twice (approval)', ballot(() => f.approval, (r) => [r.options[2], r.options[2]]), 'input.choices'],
      ['choices: a ranking that names an option twice (ranked choice)', ballot(() => f.ranked, (r) => [r.options[0], r.options[1], r.options[0]]), 'input.choices'],
      ['choices: an empty ranking (ranked choice)', ballot(() => f.ranked, () => []), 'input.choices'],
      ['choices: 900,000 baht of a 700,000-baht budget', ballot(() => f.budget, (r) => [r.options[0], r.options[1]]), 'input.choices'],
      ['choices: every item of a budget round', ballot(() => f.budget, (r) => r.options), 'input.choices'],
      ['idempotencyKey: empty', () => withValue(base(), 'i.idempotencyKey', ''), 'input.idempotencyKey'],
      ['idempotencyKey: only whitespace', () => withValue(base(), 'i.idempotencyKey', '          '), 'input.idempotencyKey'],
      ['idempotencyKey: 7 characters', () => withValue(base(), 'i.idempotencyKey', 'abcdefg'), 'input.idempotencyKey'],
      ['idempotencyKey: 101 characters', () => withValue(base(), 'i.idempotencyKey', 'k'.repeat(101)), 'input.idempotencyKey'],
      ['idempotencyKey: a NUL byte', () => withValue(base(), 'i.idempotencyKey', 'ballot\u0000key-0001'), 'input.idempotencyKey'],
      ['idempotencyKey: a BEL character', () => withValue(base(), 'i.idempotencyKey', 'ballot-key-0001\u0007'), 'input.idempotencyKey'],
      ['idempotencyKey: a newline', () => withValue(base(), 'i.idempotencyKey', 'ballot\nkey-0001'), 'input.idempotencyKey'],
      ['idempotencyKey: an escape sequence', () => withValue(base(), 'i.idempotencyKey', '\u001b[31mballot-key'), 'input.idempotencyKey'],
      ['idempotencyKey: an unpaired surrogate', () => withValue(base(), 'i.idempotencyKey', 'ballot-\ud800-key'), 'input.idempotencyKey'],
      ['idempotencyKey: a script tag', () => withValue(base(), 'i.idempotencyKey', SCRIPT), 'input.idempotencyKey'],
    ];
    for (const [label, vars, field] of service) add({ mutation: m, label, query: q, as: 'voter', vars, field });
    const coercion: [string, string, unknown][] = [
      ['choices: missing', 'i.choices', undefined],
      ['choices: null', 'i.choices', null],
      ['choices: a null in the list', 'i.choices', [null]],
      ['choices: a boolean in the list', 'i.choices', [true]],
      ['choices: an object in the list', 'i.choices', [{ id: SQL_OR }]],
      ['choices: a list of lists', 'i.choices', [['a']]],
      ['idempotencyKey: missing', 'i.idempotencyKey', undefined],
      ['idempotencyKey: null', 'i.idempotencyKey', null],
      ['idempotencyKey: a number', 'i.idempotencyKey', 12345678],
      ['idempotencyKey: a list', 'i.idempotencyKey', ['ballot-key-0001']],
      ['an unknown field (voterId)', 'i.voterId', SQL_OR],
      ['an unknown field (receipt)', 'i.receipt', 'AAAAA-BBBBB-CCCCC-DDDDD'],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'voter', vars: () => withValue(base(), path, value) });
    add({ mutation: m, label: 'no input at all', query: q, as: 'voter', vars: () => ({}) });
    add({ mutation: m, label: 'input a list', query: q, as: 'voter', vars: () => ({ i: [base().i] }) });
    roundIdCases(m, q, 'voter', base, 'i.roundId', 'input.roundId');
    // A draft is the hosts' work in progress: to a voter it does not exist.
    notFound.push({ mutation: m, label: 'i.roundId: a round still in DRAFT', query: q, as: 'voter', vars: () => withValue(base(), 'i.roundId', f.draftRound) });
  }

  // residents' reports -----------------------------------------------------------------------------------------
  {
    const m = 'submitReport';
    const q = `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }`;
    const base = () => ({ i: reportInput({ districtCode: DISTRICT }) });
    const service: [string, string, unknown, string][] = [
      ['description empty', 'i.description', '', 'input.description'],
      ['description too short', 'i.description', 'ไฟ', 'input.description'],
      ['description of 5,001 characters', 'i.description', 'd'.repeat(5001), 'input.description'],
      ['description of 5,001 Thai characters', 'i.description', thai(5001), 'input.description'],
      ['description with a script tag', 'i.description', `ไฟดับ ${SCRIPT}`, 'input.description'],
      ['description with an img tag', 'i.description', `ไฟดับ ${IMG}`, 'input.description'],
      ['description with a NUL byte', 'i.description', 'ไฟดับ\u0000หน้าบ้าน', 'input.description'],
      ['description with an unpaired surrogate', 'i.description', 'ไฟดับ \ud800 หน้าบ้าน', 'input.description'],
      ['place in Chiang Mai', 'i.place', { latitude: 18.7883, longitude: 98.9853 }, 'input.place.latitude'],
      ['place with latitude and longitude swapped', 'i.place', { latitude: 100.5018, longitude: 13.7563 }, 'input.place.latitude'],
      ['place with a longitude of 200', 'i.place', { latitude: 13.75, longitude: 200 }, 'input.place.longitude'],
      ['place address of 501 characters', 'i.place', { latitude: 13.75, longitude: 100.5, address: 'a'.repeat(501) }, 'input.place.address'],
      ['place address with a script tag', 'i.place', { latitude: 13.75, longitude: 100.5, address: SCRIPT }, 'input.place.address'],
      ['place landmark of 301 characters', 'i.place', { latitude: 13.75, longitude: 100.5, landmark: 'l'.repeat(301) }, 'input.place.landmark'],
      ['categoryCode of no category', 'i.categoryCode', 'NOT_A_CATEGORY', 'input.categoryCode'],
      ['categoryCode with SQL', 'i.categoryCode', SQL_OR, 'input.categoryCode'],
      ['categoryCode of 10,000 characters', 'i.categoryCode', 'C'.repeat(10_000), 'input.categoryCode'],
      ['districtCode with SQL', 'i.districtCode', SQL_OR, 'input.districtCode'],
      ['districtCode of five digits', 'i.districtCode', '10071', 'input.districtCode'],
      ['caller name with a script tag', 'i.caller', { name: SCRIPT, phone: '081-234-5678' }, 'input.caller.name'],
      ['caller name empty', 'i.caller', { name: ' ', phone: '081-234-5678' }, 'input.caller.name'],
      ['caller phone in words', 'i.caller', { name: 'นางสมศรี', phone: 'call me' }, 'input.caller.phone'],
      ['caller phone of 31 characters', 'i.caller', { name: 'นางสมศรี', phone: '0'.repeat(31) }, 'input.caller.phone'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value), field });
    const coercion: [string, string, unknown][] = [
      ['kind missing', 'i.kind', undefined],
      ['kind not a kind', 'i.kind', 'URGENT'],
      ['channel missing', 'i.channel', undefined],
      ['channel not a channel', 'i.channel', 'FAX'],
      ['place missing', 'i.place', undefined],
      ['place latitude a string', 'i.place', { latitude: 'north', longitude: 100.5 }],
      ['place latitude missing', 'i.place', { longitude: 100.5 }],
      ['place latitude 1e400', 'i.place', { latitude: new RawNumber('1e400'), longitude: 100.5 }],
      ['description missing', 'i.description', undefined],
      ['description a list', 'i.description', ['ไฟดับ']],
      ['an unknown field (photoIds, not yet)', 'i.photoIds', ['x']],
      ['an unknown field (reporterId)', 'i.reporterId', SQL_OR],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value) });
    add({ mutation: m, label: 'no input at all', query: q, as: 'author', vars: () => ({}) });
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'author', vars: () => withValue(base(), 'i.districtCode', '9999') });
  }
  /** The bad ids of a report id argument, and a well-formed id of no report. */
  const reportIdCases = (mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path = 'i.reportId', field = 'input.reportId') => {
    idCases(mutation, query, as, base, path, 'Report', () => f.comment, field);
    nothingCase(mutation, query, as, base, path, 'Report');
  };
  const badNotes: [string, unknown][] = [
    ['1,001 characters', 'n'.repeat(1001)],
    ['1,001 Thai characters', thai(1001)],
    ['a script tag', SCRIPT],
    ['a NUL byte', 'a\u0000b'],
    ['an unpaired surrogate', 'a\udc00b'],
  ];
  for (const m of ['acceptReport', 'startReportWork', 'resolveReport']) {
    const q = `mutation($i: ${m[0].toUpperCase()}${m.slice(1)}Input!) { ${m}(input: $i) { report { id status } } }`;
    const base = () => ({ i: { reportId: f.report, note: 'ส่งช่างตรวจสอบ' } });
    for (const [label, value] of badNotes) add({ mutation: m, label: `note: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.note', value), field: 'input.note' });
    add({ mutation: m, label: 'note: a number', query: q, as: 'host', vars: () => withValue(base(), 'i.note', 42) });
    // "After" photos: at most three, the caller's own unattached uploads (a photo of nobody's is refused as not theirs).
    const somePhoto = () => toGlobalId('Photo', NIL_UUID);
    add({ mutation: m, label: 'photoIds: four', query: q, as: 'host', vars: () => withValue(base(), 'i.photoIds', [1, 2, 3, 4].map(() => somePhoto())), field: 'input.photoIds' });
    add({ mutation: m, label: 'photoIds: not an id', query: q, as: 'host', vars: () => withValue(base(), 'i.photoIds', ['x']), field: 'input.photoIds[0]' });
    add({ mutation: m, label: 'photoIds: a report id', query: q, as: 'host', vars: () => withValue(base(), 'i.photoIds', [f.report]), field: 'input.photoIds[0]' });
    // Claimed with the step itself: only a step the report's status allows gets that far (f.report is RECEIVED).
    if (m === 'acceptReport') {
      add({ mutation: m, label: 'photoIds: a photo that is not the caller’s upload', query: q, as: 'host', vars: () => withValue(base(), 'i.photoIds', [somePhoto()]), field: 'input.photoIds[0]' });
    }
    reportIdCases(m, q, 'host', base);
  }
  {
    const q = `mutation($i: RejectReportInput!) { rejectReport(input: $i) { report { id status } } }`;
    const base = () => ({ i: { reportId: f.report, reason: 'เป็นเรื่องของตำรวจท้องที่' } });
    reasonCases('rejectReport', q, 'host', base, 'i.reason', 'input.reason');
    reportIdCases('rejectReport', q, 'host', base);
  }
  {
    const q = `mutation($i: ReopenReportInput!) { reopenReport(input: $i) { report { id status } } }`;
    const base = () => ({ i: { reportId: f.resolvedReport, reason: 'ยังเป็นหลุมอยู่' } });
    reasonCases('reopenReport', q, 'author', base, 'i.reason', 'input.reason');
    reportIdCases('reopenReport', q, 'author', base);
  }
  {
    const m = 'forwardReport';
    const q = `mutation($i: ForwardReportInput!) { forwardReport(input: $i) { report { id status } } }`;
    const base = () => ({ i: { reportId: f.report, toDistrictCode: '1001', note: 'อยู่ในเขตพระนคร' } });
    const toAgency = () => ({ i: { reportId: f.report, agency: 'การไฟฟ้านครหลวง', note: 'สายไฟพาดต้นไม้' } });
    const service: [string, () => Record<string, unknown>, string][] = [
      ['both a district and an agency', () => withValue(base(), 'i.agency', 'การไฟฟ้านครหลวง'), 'input.toDistrictCode'],
      ['neither a district nor an agency', () => withValue(base(), 'i.toDistrictCode', undefined), 'input.toDistrictCode'],
      ['toDistrictCode with SQL', () => withValue(base(), 'i.toDistrictCode', SQL_OR), 'input.toDistrictCode'],
      ['toDistrictCode of five digits', () => withValue(base(), 'i.toDistrictCode', '10011'), 'input.toDistrictCode'],
      ['toDistrictCode its own district', () => withValue(base(), 'i.toDistrictCode', DISTRICT), 'input.toDistrictCode'],
      ['agency empty', () => withValue(toAgency(), 'i.agency', ''), 'input.agency'],
      ['agency with a script tag', () => withValue(toAgency(), 'i.agency', SCRIPT), 'input.agency'],
      ['agency of 201 characters', () => withValue(toAgency(), 'i.agency', 'a'.repeat(201)), 'input.agency'],
      ['agency without a note', () => withValue(toAgency(), 'i.note', undefined), 'input.note'],
      ['agency with a note of only whitespace', () => withValue(toAgency(), 'i.note', '   '), 'input.note'],
      ...badNotes.map(([label, value]): [string, () => Record<string, unknown>, string] => [`note: ${label}`, () => withValue(base(), 'i.note', value), 'input.note']),
    ];
    for (const [label, vars, field] of service) add({ mutation: m, label, query: q, as: 'host', vars, field });
    add({ mutation: m, label: 'toDistrictCode a number', query: q, as: 'host', vars: () => withValue(base(), 'i.toDistrictCode', 1001) });
    reportIdCases(m, q, 'host', base);
    notFound.push({ mutation: m, label: 'toDistrictCode: a well-formed code of no district (9999)', query: q, as: 'host', vars: () => withValue(base(), 'i.toDistrictCode', '9999') });
  }
  {
    const m = 'mergeReport';
    const q = `mutation($i: MergeReportInput!) { mergeReport(input: $i) { report { id status } survivor { id } } }`;
    const base = () => ({ i: { reportId: f.report, survivorId: f.otherReport, note: 'ซ้ำ' } });
    add({ mutation: m, label: 'survivorId: the report itself', query: q, as: 'host', vars: () => withValue(base(), 'i.survivorId', f.report), field: 'input.survivorId' });
    for (const [label, value] of badNotes) add({ mutation: m, label: `note: ${label}`, query: q, as: 'host', vars: () => withValue(base(), 'i.note', value), field: 'input.note' });
    reportIdCases(m, q, 'host', base);
    reportIdCases(m, q, 'host', base, 'i.survivorId', 'input.survivorId');
  }
  reportIdCases('supportReport', `mutation($i: SupportReportInput!) { supportReport(input: $i) { report { id } } }`, 'other', () => ({ i: { reportId: f.report } }));
  {
    const m = 'rateReport';
    const q = `mutation($i: RateReportInput!) { rateReport(input: $i) { report { id } } }`;
    const base = () => ({ i: { reportId: f.resolvedReport, rating: 4, comment: 'เร็วดี' } });
    const service: [string, string, unknown, string][] = [
      ['rating 0', 'i.rating', 0, 'input.rating'],
      ['rating 6', 'i.rating', 6, 'input.rating'],
      ['rating -1', 'i.rating', -1, 'input.rating'],
      ['comment of 1,001 characters', 'i.comment', 'c'.repeat(1001), 'input.comment'],
      ['comment with a script tag', 'i.comment', SCRIPT, 'input.comment'],
      ['comment with a NUL byte', 'i.comment', 'a\u0000b', 'input.comment'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), path, value), field });
    for (const [label, value] of [['rating 4.5', 4.5], ['rating "five"', 'five'], ['rating 2^31', 2 ** 31], ['rating missing', undefined]] as [string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'author', vars: () => withValue(base(), 'i.rating', value) });
    }
    reportIdCases(m, q, 'author', base);
  }
  {
    const m = 'addReportCategory';
    const q = `mutation($i: AddReportCategoryInput!) { addReportCategory(input: $i) { category { code } } }`;
    const base = () => ({ i: { code: 'BOATS', nameTh: 'เรือโดยสาร', nameEn: 'Boats', position: 5 } });
    const service: [string, string, unknown, string][] = [
      ['code empty', 'i.code', '', 'input.code'],
      ['code in lower case', 'i.code', 'boats', 'input.code'],
      ['code with SQL', 'i.code', SQL_OR, 'input.code'],
      ['code of 41 characters', 'i.code', 'B'.repeat(41), 'input.code'],
      ['code in Thai', 'i.code', 'เรือ', 'input.code'],
      ['nameTh empty', 'i.nameTh', ' ', 'input.nameTh'],
      ['nameTh with a script tag', 'i.nameTh', SCRIPT, 'input.nameTh'],
      ['nameEn of 101 characters', 'i.nameEn', 'n'.repeat(101), 'input.nameEn'],
      ['nameEn with a NUL byte', 'i.nameEn', 'Bo\u0000ats', 'input.nameEn'],
      ['position -1', 'i.position', -1, 'input.position'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value), field });
    for (const [label, path, value] of [['code missing', 'i.code', undefined], ['nameEn missing', 'i.nameEn', undefined], ['position "first"', 'i.position', 'first']] as [string, string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value) });
    }
  }
  {
    const m = 'retireReportCategory';
    const q = `mutation($i: RetireReportCategoryInput!) { retireReportCategory(input: $i) { category { code active } } }`;
    add({ mutation: m, label: 'code empty', query: q, as: 'admin', vars: () => ({ i: { code: '' } }), field: 'input.code' });
    add({ mutation: m, label: 'code with a script tag', query: q, as: 'admin', vars: () => ({ i: { code: SCRIPT } }), field: 'input.code' });
    add({ mutation: m, label: 'code missing', query: q, as: 'admin', vars: () => ({ i: {} }) });
    notFound.push({ mutation: m, label: 'code: a category that does not exist', query: q, as: 'admin', vars: () => ({ i: { code: 'NOT_A_CATEGORY' } }) });
    notFound.push({ mutation: m, label: 'code: SQL', query: q, as: 'admin', vars: () => ({ i: { code: SQL_OR } }) });
  }

  {
    const m = 'issueOpen311Key';
    const q = `mutation($i: IssueOpen311KeyInput!) { issueOpen311Key(input: $i) { key { id } } }`;
    const base = () => ({ i: { name: 'แอปเขตพระนคร', contact: 'dev@app.example' } });
    const service: [string, string, unknown, string][] = [
      ['name empty', 'i.name', ' ', 'input.name'],
      ['name of 1 character', 'i.name', 'a', 'input.name'],
      ['name of 101 characters', 'i.name', 'n'.repeat(101), 'input.name'],
      ['name with a script tag', 'i.name', SCRIPT, 'input.name'],
      ['name with a NUL byte', 'i.name', 'a\u0000b', 'input.name'],
      ['contact empty', 'i.contact', '', 'input.contact'],
      ['contact of 201 characters', 'i.contact', 'c'.repeat(201), 'input.contact'],
      ['contact with an unpaired surrogate', 'i.contact', 'a\udc00bc', 'input.contact'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value), field });
    for (const [label, path, value] of [['name missing', 'i.name', undefined], ['contact 42', 'i.contact', 42]] as [string, string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value) });
    }
  }
  {
    const m = 'revokeOpen311Key';
    const q = `mutation($i: RevokeOpen311KeyInput!) { revokeOpen311Key(input: $i) { key { id revokedAt } } }`;
    const base = () => ({ i: { open311KeyId: toGlobalId('Open311Key', NIL_UUID) } });
    idCases(m, q, 'admin', base, 'i.open311KeyId', 'Open311Key', () => f.comment, 'input.open311KeyId');
    nothingCase(m, q, 'admin', base, 'i.open311KeyId', 'Open311Key');
  }
  // reports cited by a proposal ----------------------------------------------------------------------
  for (const m of ['citeReports', 'unciteReports']) {
    const q = `mutation($i: ${m[0].toUpperCase()}${m.slice(1)}Input!) { ${m}(input: $i) { proposal { id } } }`;
    const base = () => ({ i: { proposalId: f.draft, reportIds: [f.report] } });
    idCases(m, q, 'author', base, 'i.proposalId', 'Proposal', () => f.report, 'input.proposalId');
    nothingCase(m, q, 'author', base, 'i.proposalId', 'Proposal');
    idCases(m, q, 'author', base, 'i.reportIds.0', 'Report', () => f.draft, 'input.reportIds[0]');
    const many = (n: number) => Array.from({ length: n }, (_, i) => toGlobalId('Report', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
    add({ mutation: m, label: 'reportIds: none', query: q, as: 'author', vars: () => withValue(base(), 'i.reportIds', []), field: 'input.reportIds' });
    add({ mutation: m, label: 'reportIds: 21 at once', query: q, as: 'author', vars: () => withValue(base(), 'i.reportIds', many(21)), field: 'input.reportIds' });
    add({ mutation: m, label: 'reportIds: one twice', query: q, as: 'author', vars: () => withValue(base(), 'i.reportIds', [f.report, f.otherReport, f.report]), field: 'input.reportIds[2]' });
    add({ mutation: m, label: 'reportIds: null', query: q, as: 'author', vars: () => withValue(base(), 'i.reportIds', null) });
    add({ mutation: m, label: 'reportIds: missing', query: q, as: 'author', vars: () => withValue(base(), 'i.reportIds', undefined) });
  }
  // A report that does not exist beside one that does: nothing is cited.
  notFound.push({ mutation: 'citeReports', label: 'reportIds: a well-formed Report id of nothing', query: `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { id } } }`, as: 'author', vars: () => ({ i: { proposalId: f.draft, reportIds: [f.report, toGlobalId('Report', NIL_UUID)] } }) });
  {
    const m = 'setReportCategoryTargets';
    const q = `mutation($i: SetReportCategoryTargetsInput!) { setReportCategoryTargets(input: $i) { category { code } } }`;
    const base = () => ({ i: { code: 'ROADS', acceptWithinHours: 12, resolveWithinHours: 120 } });
    const service: [string, string, unknown, string][] = [
      ['acceptWithinHours 0', 'i.acceptWithinHours', 0, 'input.acceptWithinHours'],
      ['acceptWithinHours -5', 'i.acceptWithinHours', -5, 'input.acceptWithinHours'],
      ['resolveWithinHours 8,761 (over a year)', 'i.resolveWithinHours', 8761, 'input.resolveWithinHours'],
      ['resolveWithinHours below acceptWithinHours', 'i.resolveWithinHours', 6, 'input.resolveWithinHours'],
      ['code empty', 'i.code', '', 'input.code'],
      ['code with a script tag', 'i.code', SCRIPT, 'input.code'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value), field });
    for (const [label, path, value] of [['acceptWithinHours 1.5', 'i.acceptWithinHours', 1.5], ['resolveWithinHours missing', 'i.resolveWithinHours', undefined], ['acceptWithinHours "a day"', 'i.acceptWithinHours', 'a day']] as [string, string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'admin', vars: () => withValue(base(), path, value) });
    }
    notFound.push({ mutation: m, label: 'code: a category that does not exist', query: q, as: 'admin', vars: () => withValue(base(), 'i.code', 'NOT_A_CATEGORY') });
  }
  {
    const m = 'setDistrictReportTargets';
    const q = `mutation($i: SetDistrictReportTargetsInput!) { setDistrictReportTargets(input: $i) { target { acceptWithinHours } } }`;
    const base = () => ({ i: { districtCode: DISTRICT, categoryCode: 'WASTE', acceptWithinHours: 6, resolveWithinHours: 24 } });
    const service: [string, string, unknown, string][] = [
      ['acceptWithinHours 0', 'i.acceptWithinHours', 0, 'input.acceptWithinHours'],
      ['resolveWithinHours below acceptWithinHours', 'i.resolveWithinHours', 5, 'input.resolveWithinHours'],
      // WASTE: the city's targets are 12 and 48 hours; a district may only tighten them.
      ['acceptWithinHours looser than the city’s', 'i.acceptWithinHours', 13, 'input.acceptWithinHours'],
      ['resolveWithinHours looser than the city’s', 'i.resolveWithinHours', 49, 'input.resolveWithinHours'],
      ['categoryCode of no category', 'i.categoryCode', 'NOT_A_CATEGORY', 'input.categoryCode'],
      ['categoryCode with SQL', 'i.categoryCode', SQL_OR, 'input.categoryCode'],
      ['districtCode empty', 'i.districtCode', '', 'input.districtCode'],
    ];
    for (const [label, path, value, field] of service) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value), field });
    for (const [label, path, value] of [['acceptWithinHours missing', 'i.acceptWithinHours', undefined], ['districtCode a number', 'i.districtCode', 1001]] as [string, string, unknown][]) {
      add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value) });
    }
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'admin', vars: () => withValue(base(), 'i.districtCode', '9999') });
  }
  {
    const m = 'clearDistrictReportTargets';
    const q = `mutation($i: ClearDistrictReportTargetsInput!) { clearDistrictReportTargets(input: $i) { district { code } } }`;
    const base = () => ({ i: { districtCode: DISTRICT, categoryCode: 'WASTE' } });
    add({ mutation: m, label: 'categoryCode of no category', query: q, as: 'host', vars: () => withValue(base(), 'i.categoryCode', 'NOT_A_CATEGORY'), field: 'input.categoryCode' });
    add({ mutation: m, label: 'categoryCode of 41 characters', query: q, as: 'host', vars: () => withValue(base(), 'i.categoryCode', 'C'.repeat(41)), field: 'input.categoryCode' });
    add({ mutation: m, label: 'categoryCode missing', query: q, as: 'host', vars: () => withValue(base(), 'i.categoryCode', undefined) });
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'host', vars: () => withValue(base(), 'i.districtCode', '9999') });
  }

  // announcements ----------------------------------------------------------------------------------------------
  const announcementContent = () => ({ kind: 'NOTICE', titleTh: 'ปิดถนนชั่วคราว', bodyTh: 'ปิดถนน **หน้าเขต** เพื่อซ่อมท่อ' });
  /** The content's cases, for publishing and editing alike (`base` puts the content at `i`). */
  const announcementContentCases = (m: string, q: string, base: () => Record<string, unknown>) => {
    const service: [string, string, unknown, string][] = [
      ['titleTh empty', 'i.titleTh', '', 'input.titleTh'],
      ['titleTh of 201 Thai characters', 'i.titleTh', thai(201), 'input.titleTh'],
      ['titleTh with a script tag', 'i.titleTh', SCRIPT, 'input.titleTh'],
      ['titleTh with a newline', 'i.titleTh', 'ปิด\nถนน', 'input.titleTh'],
      ['titleTh with a NUL byte', 'i.titleTh', 'ปิด\u0000ถนน', 'input.titleTh'],
      ['bodyTh empty', 'i.bodyTh', ' ', 'input.bodyTh'],
      ['bodyTh of 10,001 characters', 'i.bodyTh', 'b'.repeat(10_001), 'input.bodyTh'],
      ['bodyTh with a script tag', 'i.bodyTh', `ประกาศ ${SCRIPT}`, 'input.bodyTh'],
      ['bodyTh with an img onerror', 'i.bodyTh', IMG, 'input.bodyTh'],
      ['bodyTh with a javascript: link', 'i.bodyTh', `ดู ${JS_LINK}`, 'input.bodyTh'],
      ['bodyTh with an unpaired surrogate', 'i.bodyTh', 'a\ud800b', 'input.bodyTh'],
      ['an English title without an English body', 'i.titleEn', 'Road closed', 'input.bodyEn'],
      ['validUntil before validFrom', 'i.validUntil', '2030-01-01T00:00:00Z', 'input.validUntil'],
    ];
    for (const [label, path, value, field] of service) {
      const vars = () => {
        const v = withValue(base(), path, value);
        return path === 'i.validUntil' ? withValue(v, 'i.validFrom', '2030-02-01T00:00:00Z') : v;
      };
      add({ mutation: m, label, query: q, as: 'host', vars, field });
    }
    const coercion: [string, string, unknown][] = [
      ['kind missing', 'i.kind', undefined],
      ['kind not a kind', 'i.kind', 'URGENT'],
      ['titleTh missing', 'i.titleTh', undefined],
      ['bodyTh a list', 'i.bodyTh', ['ประกาศ']],
      ['validFrom not a date', 'i.validFrom', 'next Tuesday'],
      ['an unknown field (authorId)', 'i.authorId', SQL_OR],
    ];
    for (const [label, path, value] of coercion) add({ mutation: m, label, query: q, as: 'host', vars: () => withValue(base(), path, value) });
  };
  {
    const m = 'publishAnnouncement';
    const q = `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`;
    const base = () => ({ i: { districtCode: DISTRICT, ...announcementContent() } });
    announcementContentCases(m, q, base);
    add({ mutation: m, label: 'validUntil already past', query: q, as: 'host', vars: () => withValue(base(), 'i.validUntil', '2020-01-01T00:00:00Z'), field: 'input.validUntil' });
    add({ mutation: m, label: 'districtCode with SQL', query: q, as: 'host', vars: () => withValue(base(), 'i.districtCode', SQL_OR), field: 'input.districtCode' });
    add({ mutation: m, label: 'publishAt not a date', query: q, as: 'host', vars: () => withValue(base(), 'i.publishAt', 'tomorrow') });
    idCases(m, q, 'host', base, 'i.proposalId', 'Proposal', () => f.report, 'input.proposalId', true);
    idCases(m, q, 'host', base, 'i.hearingId', 'Hearing', () => f.report, 'input.hearingId', true);
    idCases(m, q, 'host', base, 'i.votingRoundId', 'VotingRound', () => f.report, 'input.votingRoundId', true);
    idCases(m, q, 'host', base, 'i.reportId', 'Report', () => f.published, 'input.reportId', true);
    idCases(m, q, 'host', base, 'i.questionnaireId', 'Questionnaire', () => f.published, 'input.questionnaireId', true);
    // A link to nothing is the client's mistake in the input: BAD_USER_INPUT naming it, nothing stored.
    add({ mutation: m, label: 'reportId: a well-formed Report id of nothing', query: q, as: 'host', vars: () => withValue(base(), 'i.reportId', toGlobalId('Report', NIL_UUID)), field: 'input.reportId' });
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'host', vars: () => withValue(base(), 'i.districtCode', '9999') });
  }
  {
    const m = 'editAnnouncement';
    const q = `mutation($i: EditAnnouncementInput!) { editAnnouncement(input: $i) { announcement { id version } } }`;
    const base = () => ({ i: { announcementId: f.announcement, ...announcementContent() } });
    announcementContentCases(m, q, base);
    idCases(m, q, 'host', base, 'i.announcementId', 'Announcement', () => f.report, 'input.announcementId');
    nothingCase(m, q, 'host', base, 'i.announcementId', 'Announcement');
  }
  for (const m of ['pinAnnouncement', 'unpinAnnouncement']) {
    const q = `mutation($i: ${m[0].toUpperCase()}${m.slice(1)}Input!) { ${m}(input: $i) { announcement { id pinned } } }`;
    const base = () => ({ i: { announcementId: f.announcement } });
    idCases(m, q, 'host', base, 'i.announcementId', 'Announcement', () => f.report, 'input.announcementId');
    nothingCase(m, q, 'host', base, 'i.announcementId', 'Announcement');
  }
  {
    const m = 'withdrawAnnouncement';
    const q = `mutation($i: WithdrawAnnouncementInput!) { withdrawAnnouncement(input: $i) { announcement { id status } } }`;
    const base = () => ({ i: { announcementId: f.announcement, reason: 'ประกาศผิดพลาด' } });
    reasonCases(m, q, 'host', base, 'i.reason', 'input.reason');
    idCases(m, q, 'host', base, 'i.announcementId', 'Announcement', () => f.report, 'input.announcementId');
    nothingCase(m, q, 'host', base, 'i.announcementId', 'Announcement');
  }

  // ---- following districts ---------------------------------------------------------------------
  for (const [m, q, base] of [
    ['followDistrict', `mutation($i: FollowDistrictInput!) { followDistrict(input: $i) { followedDistrict { following } } }`, () => ({ i: { districtCode: DISTRICT, preferences: { news: false } } })],
    ['setFollowPreferences', `mutation($i: SetFollowPreferencesInput!) { setFollowPreferences(input: $i) { followedDistrict { following } } }`, () => ({ i: { districtCode: DISTRICT, preferences: { news: false } } })],
    ['unfollowDistrict', `mutation($i: UnfollowDistrictInput!) { unfollowDistrict(input: $i) { followedDistrict { following } } }`, () => ({ i: { districtCode: DISTRICT } })],
  ] as [string, string, () => Record<string, unknown>][]) {
    add({ mutation: m, label: 'districtCode empty', query: q, as: 'other', vars: () => withValue(base(), 'i.districtCode', ''), field: 'input.districtCode' });
    add({ mutation: m, label: 'districtCode with SQL', query: q, as: 'other', vars: () => withValue(base(), 'i.districtCode', SQL_OR), field: 'input.districtCode' });
    add({ mutation: m, label: 'districtCode a number', query: q, as: 'other', vars: () => withValue(base(), 'i.districtCode', 1007) });
    if (m !== 'unfollowDistrict') add({ mutation: m, label: 'a preference not a boolean', query: q, as: 'other', vars: () => withValue(base(), 'i.preferences.news', 'no') });
    notFound.push({ mutation: m, label: 'districtCode: a well-formed code of no district (9999)', query: q, as: 'other', vars: () => withValue(base(), 'i.districtCode', '9999') });
  }

  // questionnaires -------------------------------------------------------------------------------------------
  {
    const content = () => ({
      titleTh: 'ความเห็นเรื่องสวน',
      audience: 'VERIFIED_RESIDENTS',
      anonymity: 'NAMED',
      sections: [{ titleTh: 'ทั่วไป', questions: [{ type: 'SINGLE_CHOICE', promptTh: 'เคยใช้สวนหรือไม่', options: [{ labelTh: 'เคย' }, { labelTh: 'ไม่เคย' }] }] }],
    });
    const question = (q: Record<string, unknown>) => [{ titleTh: 'ทั่วไป', questions: [{ type: 'SINGLE_CHOICE', promptTh: 'ข้อแรก', options: [{ labelTh: 'ก' }, { labelTh: 'ข' }] }, q] }];
    const contentCases: [string, string, unknown, string][] = [
      ['titleTh empty', 'i.titleTh', ' ', 'input.titleTh'],
      ['titleTh of 201 characters', 'i.titleTh', thai(201), 'input.titleTh'],
      ['titleTh with a script tag', 'i.titleTh', SCRIPT, 'input.titleTh'],
      ['titleTh with a NUL byte', 'i.titleTh', 'a\u0000b', 'input.titleTh'],
      ['introductionTh of 5,001 characters', 'i.introductionTh', 'i'.repeat(5001), 'input.introductionTh'],
      ['no sections', 'i.sections', [], 'input.sections'],
      ['a section without questions', 'i.sections', [{ titleTh: 'ว่าง', questions: [] }], 'input.sections[0].questions'],
      ['a choice question with one option', 'i.sections', question({ type: 'SINGLE_CHOICE', promptTh: 'ข้อสอง', options: [{ labelTh: 'ก' }] }), 'input.sections[0].questions[1].options'],
      ['a number question with options', 'i.sections', question({ type: 'NUMBER', promptTh: 'ข้อสอง', options: [{ labelTh: 'ก' }, { labelTh: 'ข' }] }), 'input.sections[0].questions[1].options'],
      ['a scale whose ends are reversed', 'i.sections', question({ type: 'SCALE', promptTh: 'ข้อสอง', minValue: 5, maxValue: 1 }), 'input.sections[0].questions[1].maxValue'],
      ['a scale with a fractional end', 'i.sections', question({ type: 'SCALE', promptTh: 'ข้อสอง', minValue: 0.5, maxValue: 5 }), 'input.sections[0].questions[1].maxValue'],
      ['a number range upside down', 'i.sections', question({ type: 'NUMBER', promptTh: 'ข้อสอง', minValue: 10, maxValue: 1 }), 'input.sections[0].questions[1].minValue'],
      ['more choices than options', 'i.sections', question({ type: 'MULTIPLE_CHOICE', promptTh: 'ข้อสอง', maxChoices: 3, options: [{ labelTh: 'ก' }, { labelTh: 'ข' }] }), 'input.sections[0].questions[1].maxChoices'],
      ['a show-when on a later question', 'i.sections', question({ type: 'SHORT_TEXT', promptTh: 'ข้อสอง', showWhen: { questionNumber: 2, optionNumber: 1 } }), 'input.sections[0].questions[1].showWhen.questionNumber'],
      ['a show-when on an option that is not there', 'i.sections', question({ type: 'SHORT_TEXT', promptTh: 'ข้อสอง', showWhen: { questionNumber: 1, optionNumber: 3 } }), 'input.sections[0].questions[1].showWhen.optionNumber'],
      ['an option label with a script tag', 'i.sections', question({ type: 'RANKING', promptTh: 'ข้อสอง', options: [{ labelTh: SCRIPT }, { labelTh: 'ข' }] }), 'input.sections[0].questions[1].options[0].labelTh'],
      ['closesAt before opensAt', 'i.closesAt', '2026-01-01T00:00:00Z', 'input.closesAt'],
    ];
    const create = `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id } } }`;
    const update = `mutation($i: UpdateQuestionnaireInput!) { updateQuestionnaire(input: $i) { questionnaire { id } } }`;
    const createBase = () => ({ i: { districtCode: DISTRICT, ...content(), opensAt: '2026-06-01T00:00:00Z' } });
    const updateBase = () => ({ i: { questionnaireId: f.draftQuestionnaire.id, ...content(), opensAt: '2026-06-01T00:00:00Z' } });
    for (const [label, path, value, field] of contentCases) {
      add({ mutation: 'createQuestionnaire', label, query: create, as: 'host', vars: () => withValue(createBase(), path, value), field });
      add({ mutation: 'updateQuestionnaire', label, query: update, as: 'host', vars: () => withValue(updateBase(), path, value), field });
    }
    add({ mutation: 'createQuestionnaire', label: 'audience not an audience', query: create, as: 'host', vars: () => withValue(createBase(), 'i.audience', 'EVERYONE') });
    add({ mutation: 'createQuestionnaire', label: 'no input at all', query: create, as: 'host', vars: () => ({}) });
    idCases('createQuestionnaire', create, 'host', createBase, 'i.proposalId', 'Proposal', () => f.comment, 'input.proposalId', true);
    idCases('updateQuestionnaire', update, 'host', updateBase, 'i.questionnaireId', 'Questionnaire', () => f.comment, 'input.questionnaireId');
    nothingCase('updateQuestionnaire', update, 'host', updateBase, 'i.questionnaireId', 'Questionnaire');
    for (const m of ['openQuestionnaire', 'closeQuestionnaire']) {
      const q = `mutation($i: ${m[0].toUpperCase()}${m.slice(1)}Input!) { ${m}(input: $i) { questionnaire { id } } }`;
      const base = () => ({ i: { questionnaireId: m === 'openQuestionnaire' ? f.draftQuestionnaire.id : f.openQuestionnaire.id } });
      idCases(m, q, 'host', base, 'i.questionnaireId', 'Questionnaire', () => f.comment, 'input.questionnaireId');
      nothingCase(m, q, 'host', base, 'i.questionnaireId', 'Questionnaire');
    }
    const m = 'respondToQuestionnaire';
    const q = `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) { replaced } }`;
    const base = () => ({ i: { questionnaireId: f.openQuestionnaire.id, idempotencyKey: 'bad-input-key-1', answers: [{ questionId: f.openQuestionnaire.questionIds[0], optionIds: [f.openQuestionnaire.optionIds[0]] }] } });
    idCases(m, q, 'voter', base, 'i.questionnaireId', 'Questionnaire', () => f.comment, 'input.questionnaireId');
    nothingCase(m, q, 'voter', base, 'i.questionnaireId', 'Questionnaire');
    const open = () => f.openQuestionnaire;
    const choice = () => ({ questionId: open().questionIds[0], optionIds: [open().optionIds[0]] });
    const answerCases: [string, string, () => unknown, string][] = [
      ['idempotencyKey too short', 'i.idempotencyKey', () => 'short', 'input.idempotencyKey'],
      ['idempotencyKey of 101 characters', 'i.idempotencyKey', () => 'k'.repeat(101), 'input.idempotencyKey'],
      ['a questionId of another kind', 'i.answers', () => [{ questionId: f.comment, optionIds: [] }], 'input.answers[0].questionId'],
      ['a questionId with SQL', 'i.answers', () => [{ questionId: SQL_OR, optionIds: [] }], 'input.answers[0].questionId'],
      ['a questionId of a question of the draft', 'i.answers', () => [choice(), { questionId: f.draftQuestionnaire.questionIds[2], text: 'x' }], 'input.answers[1].questionId'],
      ['an optionId with SQL', 'i.answers', () => [{ questionId: open().questionIds[0], optionIds: [SQL_DROP] }], 'input.answers[0].optionIds[0]'],
      ['an optionId of another kind', 'i.answers', () => [{ questionId: open().questionIds[0], optionIds: [f.comment] }], 'input.answers[0].optionIds[0]'],
      ['a text answer of 5,001 characters', 'i.answers', () => [choice(), { questionId: open().questionIds[2], text: 't'.repeat(5001) }], 'input.answers[1].text'],
      ['one question answered twice', 'i.answers', () => [choice(), choice()], 'input.answers[1].questionId'],
    ];
    for (const [label, path, value, field] of answerCases) add({ mutation: m, label, query: q, as: 'voter', vars: () => withValue(base(), path, value()), field });
    add({ mutation: m, label: 'answers missing', query: q, as: 'voter', vars: () => withValue(base(), 'i.answers', undefined) });
    add({ mutation: m, label: 'a number answer of 1e400', query: q, as: 'voter', vars: () => withValue(base(), 'i.answers', [choice(), { questionId: open().questionIds[1], number: new RawNumber('1e400') }]) });
  }

  it.each(cases.map((c) => [`${c.mutation}: ${c.label}`, c] as const))('%s is refused with BAD_USER_INPUT, storing nothing', async (_name, c) => {
    const before = await fingerprint();
    const res = await send(c.query, c.vars(), callers[c.as]?.token);
    expectBadInput(res, c.mutation, c.field);
    expect(await fingerprint()).toEqual(before);
  });

  it.each(notFound.map((c) => [`${c.mutation}: ${c.label}`, c] as const))('%s is refused with NOT_FOUND (nothing by that id or code), storing nothing', async (_name, c) => {
    const before = await fingerprint();
    const res = await send(c.query, c.vars(), callers[c.as]?.token);
    expectNotFound(res, c.mutation);
    expect(await fingerprint()).toEqual(before);
  });

  it('tries every mutation of the schema (but login, refreshToken and logout, which take no input to check)', async () => {
    const data = await api.ok(`{ __schema { mutationType { fields { name } } } }`);
    const tried = new Set(cases.map((c) => c.mutation));
    const untried = data.__schema.mutationType.fields.map((field: { name: string }) => field.name).filter((name: string) => !tried.has(name));
    expect(untried.sort()).toEqual(['login', 'logout', 'refreshToken']);
  });

  // ---- hostile-looking text that is legitimate ---------------------------------------------------------------

  const PROPOSAL_TEXT = `{ title summary body estimatedBudget location { latitude longitude address } }`;

  async function proposalRow(globalId: string) {
    return (await db.query('SELECT title, summary, body, estimated_budget, location_address FROM proposals WHERE id = $1', [fromGlobalId(globalId, 'Proposal')])).rows[0];
  }
  async function commentBody(globalId: string): Promise<string> {
    return (await db.query('SELECT body FROM comments WHERE id = $1', [fromGlobalId(globalId, 'Comment')])).rows[0].body;
  }

  it('stores SQL in free text verbatim, as data: it round-trips unchanged and every table survives', async () => {
    const author = callers.author!;
    const text = {
      title: `Stop the ${SQL_DROP} crowd`,
      summary: `${SQL_OR} is not a budget line; neither is "; DELETE FROM users WHERE 1=1; --`,
      body: "Robert'); DROP TABLE comments;--\n\n```sql\nSELECT * FROM users WHERE email = '' OR 1=1;\n```\n\n$1 $$ \\x00 %s %d {0}",
    };
    const id = await createProposal(api, author, { ...text, location: { address: `Soi ${SQL_OR}`, latitude: 13.7563, longitude: 100.5018 } });
    const read = await api.ok(`query($id: ID!) { proposal(id: $id) ${PROPOSAL_TEXT} }`, { id }, author.token);
    expect(read.proposal).toMatchObject({ ...text, location: { address: `Soi ${SQL_OR}` } });
    expect(await proposalRow(id)).toMatchObject({ ...text, location_address: `Soi ${SQL_OR}` });

    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, author.token);
    await api.ok(`mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { proposal { id } } }`, { input: { proposalId: id, summary: 'Shorter', note: SQL_DROP } }, author.token);
    const revision = await api.ok(`query($id: ID!) { proposal(id: $id) { revisions { note previousSummary } } }`, { id });
    expect(revision.proposal.revisions).toEqual([{ note: SQL_DROP, previousSummary: text.summary }]);

    const comment = await postComment(api, callers.other!, id, { body: `'); DELETE FROM comments; -- and ${SQL_OR}` });
    expect(await commentBody(comment)).toBe(`'); DELETE FROM comments; -- and ${SQL_OR}`);
    await api.ok(`mutation($id: ID!, $r: String!) { flagComment(input: { commentId: $id, reason: $r }) { comment { id } } }`, { id: comment, r: SQL_DROP }, author.token);
    await api.ok(`mutation($id: ID!, $r: String!) { hideComment(input: { commentId: $id, reason: $r }) { comment { id } } }`, { id: comment, r: `Hidden: ${SQL_OR}` }, callers.host!.token);
    expect((await db.query('SELECT reason FROM comment_flags WHERE comment_id = $1', [fromGlobalId(comment, 'Comment')])).rows).toEqual([{ reason: SQL_DROP }]);
    const seen = await api.ok(`query($id: ID!) { node(id: $id) { ... on Comment { moderationReason } } }`, { id: comment }, callers.other!.token);
    expect(seen.node.moderationReason).toBe(`Hidden: ${SQL_OR}`);

    // Searching for the fragment finds the text, and only as text.
    const found = await api.ok(`query($s: String) { proposals(filter: { search: $s }) { edges { node { id } } } }`, { s: 'DROP TABLE proposals' });
    expect(found.proposals.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);

    const tables = await db.query(`SELECT to_regclass('public.proposals') AS p, to_regclass('public.comments') AS c, to_regclass('public.users') AS u`);
    expect(tables.rows[0]).toEqual({ p: 'proposals', c: 'comments', u: 'users' });
  });

  it('keeps text that only looks like markup exactly as typed (no escaping, no stripping)', async () => {
    const author = callers.author!;
    const text = {
      title: `Budget < 5M & > 1M: "shade" for all's sake`,
      summary: 'a < b, b > c & 1<2 — AT&T &amp; &lt;p&gt; are text here',
      body: '**Bold**, _italic_, <b>allowed inline HTML</b>, a [map](https://maps.example/?a=1&b=2).\n\n> quote\n\n\tindented code with a tab\n\n`<not a tag in code>` 5 > 3',
    };
    const id = await createProposal(api, author, text);
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) ${PROPOSAL_TEXT} }`, { id }, author.token)).proposal).toMatchObject(text);
    expect(await proposalRow(id)).toMatchObject(text);
    const comment = await postComment(api, author, f.published, { body: '5 < 6 && 7 > 3, so "x" -> y & z\nsecond line\twith a tab' });
    expect(await commentBody(comment)).toBe('5 < 6 && 7 > 3, so "x" -> y & z\nsecond line\twith a tab');
  });

  it('stores Unicode at the limits exactly: Thai, emoji ZWJ sequences, combining marks', async () => {
    const author = callers.author!;
    const texts = [
      { title: thai(200), summary: `${FAMILY}🏳️‍🌈🧑🏽‍🦯`.repeat(50), body: `${thai(1000)}\n\n${FAMILY.repeat(100)}` },
      { title: FAMILY.repeat(28), summary: 'e\u0301 (decomposed) and é (composed) stay as sent', body: '# หัวข้อ\n\nข้อความ 🇹🇭 กรุงเทพมหานคร' },
    ];
    expect(codePoints(texts[0].title)).toBe(200);
    expect(codePoints(texts[1].title)).toBe(196);
    for (const text of texts) {
      const id = await createProposal(api, author, text);
      expect((await api.ok(`query($id: ID!) { proposal(id: $id) ${PROPOSAL_TEXT} }`, { id }, author.token)).proposal).toMatchObject(text);
      expect(await proposalRow(id)).toMatchObject(text);
    }
    for (const body of [FAMILY.repeat(714), thai(5000)]) {
      const comment = await postComment(api, author, f.published, { body });
      expect(await commentBody(comment)).toBe(body);
      const read = await api.ok(`query($id: ID!) { node(id: $id) { ... on Comment { body } } }`, { id: comment });
      expect(read.node.body).toBe(body);
    }
  });

  it('accepts budgets and locations at the limits', async () => {
    const author = callers.author!;
    for (const [budget, stored] of [
      [0, '0.00'],
      [12.5, '12.50'],
      [1e12, '1000000000000.00'],
    ] as [number, string][]) {
      const id = await createProposal(api, author, { estimatedBudget: budget });
      expect((await proposalRow(id)).estimated_budget).toBe(stored);
      expect((await api.ok(`query($id: ID!) { proposal(id: $id) { estimatedBudget } }`, { id }, author.token)).proposal.estimatedBudget).toBe(budget);
    }
    for (const location of [
      { latitude: 13.45, longitude: 100.3 },
      { latitude: 14.0, longitude: 100.95 },
    ]) {
      const id = await createProposal(api, author, { location });
      expect((await api.ok(`query($id: ID!) { proposal(id: $id) { location { latitude longitude } } }`, { id }, author.token)).proposal.location).toEqual(location);
    }
  });

  // ---- edges found by this suite and fixed: body size, satang, broken emails, empty reply ids ---------------------

  it('(JSON body limit) accepts a 50,000-character Thai body, the documented maximum (150 KB of UTF-8)', async () => {
    const body = thai(50_000);
    const res = await api.gql(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`, { input: proposalInput({ body }) }, callers.author!.token);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect((await proposalRow(res.data!.createProposal.proposal.id)).body).toBe(body);
  });

  it.each([
    ['createProposal', '60,000 Thai characters in the body', `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`, () => ({ input: proposalInput({ body: thai(60_000) }) }), 'input.body'],
    // 7,144 families of four are 50,008 code points: 178 KB of UTF-8.
    ['createProposal', '7,144 emoji families in the body', `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`, () => ({ input: proposalInput({ body: FAMILY.repeat(7144) }) }), 'input.body'],
    ['postComment', '60,000 Thai characters in the body', `mutation($input: PostCommentInput!) { postComment(input: $input) { comment { id } } }`, () => ({ input: { subjectId: f.published, body: thai(60_000), stance: 'FOR' } }), 'input.body'],
    ['flagComment', '60,000 Thai characters in the reason', `mutation($id: ID!, $r: String!) { flagComment(input: { commentId: $id, reason: $r }) { comment { id } } }`, () => ({ id: f.comment, r: thai(60_000) }), 'input.reason'],
  ] as const)('(JSON body limit) %s: %s is refused with BAD_USER_INPUT, not a bare HTTP 413', async (mutation, _label, query, vars, field) => {
    const before = await fingerprint();
    expectBadInput(await api.gql(query, vars(), callers.author!.token), mutation, field);
    expect(await fingerprint()).toEqual(before);
  });

  it('(satang check) accepts two-decimal budgets such as 19.99, 1.10 and 1,234,567.89 baht, stored exactly', async () => {
    for (const [budget, stored] of [
      [19.99, '19.99'],
      [1.1, '1.10'],
      [0.07, '0.07'],
      [1234567.89, '1234567.89'],
    ] as [number, string][]) {
      const res = await api.gql(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id estimatedBudget } } }`, { input: proposalInput({ estimatedBudget: budget }) }, callers.author!.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.createProposal.proposal.estimatedBudget).toBe(budget);
      expect((await proposalRow(res.data!.createProposal.proposal.id)).estimated_budget).toBe(stored);
    }
  });

  it('(email check) register refuses a NUL byte in the email with BAD_USER_INPUT (not INTERNAL_SERVER_ERROR)', async () => {
    const before = await fingerprint();
    const res = await api.gql(`mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
      input: { email: 'nul\u0000byte@example.org', password: 'long enough passphrase 9', displayName: 'Nul', kind: 'PERSON' },
    });
    expectBadInput(res, 'register', 'input.email');
    expect(await fingerprint()).toEqual(before);
  });

  it('(email check) register refuses an unpaired surrogate in the email rather than storing U+FFFD in its place', async () => {
    const before = await fingerprint();
    const res = await api.gql(`mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
      input: { email: 'lone\ud800surrogate@example.org', password: 'long enough passphrase 9', displayName: 'Lone', kind: 'PERSON' },
    });
    expectBadInput(res, 'register', 'input.email');
    expect(await fingerprint()).toEqual(before);
  });

  it('(email check) login refuses a NUL byte in the email as BAD_USER_INPUT, like every argument (no account has one: it tells nothing), not INTERNAL_SERVER_ERROR', async () => {
    const res = await api.gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, { input: { email: 'admin\u0000@district.example', password: 'whatever it is' } }, undefined, { 'accept-language': 'en' });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.fields).toEqual([{ field: 'input.email', message: 'contains a NUL character' }]);
  });

  it('(empty parentId) postComment refuses an empty parentId with BAD_USER_INPUT instead of posting a top-level comment', async () => {
    const before = await fingerprint();
    const res = await api.gql(`mutation($input: PostCommentInput!) { postComment(input: $input) { comment { id parentId } } }`, {
      input: { subjectId: f.published, parentId: '', body: 'Meant as a reply', stance: 'NEUTRAL' },
    }, callers.author!.token);
    expectBadInput(res, 'postComment', 'input.parentId');
    expect(await fingerprint()).toEqual(before);
  });

  // ---- edges found by this suite on hearings, and fixed: empty optional ids --------------------------------

  it.each([
    [
      'grantFloor',
      'input.speakerRequestId',
      'giving the floor to the next in the queue',
      `mutation($i: GrantFloorInput!) { grantFloor(input: $i) { speakerRequest { id } } }`,
      () => ({ i: { hearingId: f.session, speakerRequestId: '' } }),
    ],
    [
      'setCurrentAgendaItem',
      'input.agendaItemId',
      'moving on to the next item',
      `mutation($i: SetCurrentAgendaItemInput!) { setCurrentAgendaItem(input: $i) { hearing { id } } }`,
      () => ({ i: { hearingId: f.session, agendaItemId: '' } }),
    ],
    [
      'scheduleHearing',
      'input.agenda[0].proposalId',
      'scheduling the item without its proposal',
      `mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { hearing { id } } }`,
      () => ({ i: hearingInput(DISTRICT, [{ title: 'The footbridge', proposalId: '' }]) }),
    ],
    [
      'setHearingAgenda',
      'input.agenda[0].proposalId',
      'putting the item on the agenda without its proposal',
      `mutation($i: SetHearingAgendaInput!) { setHearingAgenda(input: $i) { hearing { id } } }`,
      () => ({ i: { hearingId: f.planned, agenda: [{ title: 'The footbridge', proposalId: '', plannedMinutes: 30 }] } }),
    ],
    [
      'createVotingRound',
      'input.options[0].proposalId',
      'putting the option on the ballot without its proposal',
      `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id } } }`,
      () => ({ i: roundInput(DISTRICT, 'SINGLE_CHOICE', [{ label: 'A floating market pier', proposalId: '' }, { label: 'Neither' }], LATER()) }),
    ],
  ] as const)('(empty optional id) %s refuses an empty %s with BAD_USER_INPUT instead of %s', async (mutation, field, _instead, query, vars) => {
    const before = await fingerprint();
    expectBadInput(await api.gql(query, vars(), callers.host!.token), mutation, field);
    expect(await fingerprint()).toEqual(before);
  });

  // ---- and afterwards ----------------------------------------------------------------------------------------

  it('still answers normal queries and mutations after the whole barrage', async () => {
    const districts = await api.ok(`{ districts { code } }`);
    expect(districts.districts).toHaveLength(50);
    const published = await api.ok(`query($id: ID!) { proposal(id: $id) { title status commentCount } }`, { id: f.published });
    expect(published.proposal).toMatchObject({ title: 'Street lights for Soi Ari 4', status: 'PUBLISHED' });
    const id = await createProposal(api, callers.other!, { title: 'A normal plan after all that' });
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { title status } }`, { id }, callers.other!.token)).proposal).toEqual({ title: 'A normal plan after all that', status: 'DRAFT' });
    // The hearings the barrage aimed at are as they were, and still run.
    const session = await api.ok(`query($h: ID!) { hearing(id: $h) { status live { queue { speakerRequestId } floor { speakerRequestId } } questions { id status upvotes } } }`, { h: f.session });
    expect(session.hearing).toEqual({ status: 'IN_SESSION', live: { queue: [{ speakerRequestId: f.request }], floor: null }, questions: [{ id: f.question, status: 'OPEN', upvotes: 0 }] });
    expect((await registerFor(api, callers.other!, f.planned)).status).toBe('CONFIRMED');
    expect((await giveFloor(api, callers.host!, f.session))).toBe(f.request);
    // So are the rounds: nobody voted in the open ones, and the voter still can.
    const rounds = await api.ok(
      `query($d: ID!, $s: ID!, $o: ID!, $c: ID!) { d: votingRound(id: $d) { status } s: votingRound(id: $s) { status } o: votingRound(id: $o) { status turnout } c: votingRound(id: $c) { status turnout } }`,
      { d: f.draftRound, s: f.scheduledRound, o: f.single.id, c: f.closedRound },
      callers.host!.token,
    );
    expect(rounds).toEqual({ d: { status: 'DRAFT' }, s: { status: 'SCHEDULED' }, o: { status: 'OPEN', turnout: 0 }, c: { status: 'CLOSED', turnout: 1 } });
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { status } }`, { id: f.votable })).proposal.status).toBe('QUALIFIED');
    expect((await cast(api, callers.voter!, f.single.id, [f.single.options[1]])).errors).toBeUndefined();
    const tables = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`, [TABLES]);
    expect(tables.rows[0].n).toBe(TABLES.length);
  });
});
