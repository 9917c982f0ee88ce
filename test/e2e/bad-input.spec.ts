import request from 'supertest';
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
  postComment,
  proposalInput,
  register,
  requestResidency,
} from '../support/factories';
import { GraphQLResponse, TestServer } from '../support/test-server';

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
const TABLES = [
  'users',
  'refresh_tokens',
  'residencies',
  'host_appointments',
  'districts',
  'proposals',
  'proposal_transitions',
  'proposal_revisions',
  'proposal_sponsors',
  'proposal_endorsements',
  'proposal_progress_updates',
  'comments',
  'comment_edits',
  'comment_reactions',
  'comment_flags',
  'comment_moderations',
  'notifications',
];

type Caller = 'anonymous' | 'author' | 'other' | 'host' | 'admin';

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
    f.elsewhereComment = await postComment(api, other, await createPublishedProposal(api, author, { title: 'Another discussion' }));
    const notes = await api.ok(`{ notifications(first: 1, unreadOnly: true) { edges { node { id } } } }`, {}, other.token);
    f.notification = notes.notifications.edges[0].node.id;
    f.plainUser = await register(api, { displayName: 'Applicant' });
    f.residency = await requestResidency(api, f.plainUser, DISTRICT);
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  /** Row counts and a digest of every row of every table. */
  async function fingerprint(): Promise<Record<string, string>> {
    const columns = TABLES.map((t) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM ${t} r) AS ${t}`);
    return (await db.query(`SELECT ${columns.join(', ')}`)).rows[0];
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

  /** Adds the cases of a plain-text reason (hide, restore, flag): 3 to 1,000 characters, no markup, no control characters. */
  function reasonCases(mutation: string, query: string, as: Caller, base: () => Record<string, unknown>, path: string, field: string) {
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
    for (const [label, value, service] of bad) {
      add({ mutation, label: `${path}: ${label}`, query, as, vars: () => withValue(base(), path, value), field: service ? field : undefined });
    }
  }

  // createProposal -------------------------------------------------------------------------------
  {
    const m = 'createProposal';
    const q = `mutation($input: CreateProposalInput!) { createProposal(input: $input) { id title } }`;
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
    const q = `mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { id title } }`;
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
  idCases('publishProposal', `mutation($id: ID!) { publishProposal(id: $id) { id } }`, 'author', () => ({ id: f.draft }), 'id', 'Proposal', () => f.comment, 'id');
  {
    const m = 'withdrawProposal';
    const q = `mutation($id: ID!, $note: String) { withdrawProposal(id: $id, note: $note) { id status } }`;
    const base = () => ({ id: f.draft, note: 'Merged into another plan' });
    const service: [string, unknown][] = [
      ['1,001 characters', 'n'.repeat(1001)],
      ['1,001 Thai characters', thai(1001)],
      ['a script tag', SCRIPT],
      ['a NUL byte', 'a\u0000b'],
      ['an unpaired surrogate', 'a\udc00b'],
    ];
    for (const [label, value] of service) add({ mutation: m, label: `note: ${label}`, query: q, as: 'author', vars: () => withValue(base(), 'note', value), field: 'note' });
    add({ mutation: m, label: 'note: a number', query: q, as: 'author', vars: () => withValue(base(), 'note', 42) });
    idCases(m, q, 'author', base, 'id', 'Proposal', () => f.comment, 'id');
  }
  idCases('endorseProposal', `mutation($id: ID!) { endorseProposal(id: $id) { id } }`, 'other', () => ({ id: f.published }), 'id', 'Proposal', () => f.comment, 'id');
  idCases('withdrawEndorsement', `mutation($id: ID!) { withdrawEndorsement(id: $id) { id } }`, 'other', () => ({ id: f.published }), 'id', 'Proposal', () => f.comment, 'id');

  // hide and restore a proposal: an id and a reason ------------------------------------------------
  {
    const q = `mutation($id: ID!, $reason: String!) { hideProposal(id: $id, reason: $reason) { id status } }`;
    const base = () => ({ id: f.published, reason: 'Contains a private phone number' });
    reasonCases('hideProposal', q, 'host', base, 'reason', 'reason');
    idCases('hideProposal', q, 'host', base, 'id', 'Proposal', () => f.comment, 'id');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { restoreProposal(id: $id, reason: $reason) { id status } }`;
    const base = () => ({ id: f.hidden, reason: 'The number was removed' });
    reasonCases('restoreProposal', q, 'host', base, 'reason', 'reason');
    idCases('restoreProposal', q, 'host', base, 'id', 'Proposal', () => f.comment, 'id');
  }

  // co-sponsors ------------------------------------------------------------------------------------
  {
    const m = 'inviteCoSponsor';
    const q = `mutation($p: ID!, $u: ID!) { inviteCoSponsor(proposalId: $p, userId: $u) { id } }`;
    const base = () => ({ p: f.draft, u: callers.other!.id });
    idCases(m, q, 'author', base, 'p', 'Proposal', () => callers.other!.id, 'proposalId');
    idCases(m, q, 'author', base, 'u', 'User', () => f.draft, 'userId');
    add({ mutation: m, label: 'u: the author themself', query: q, as: 'author', vars: () => ({ p: f.draft, u: callers.author!.id }), field: 'userId' });
  }
  {
    const m = 'respondToCoSponsorInvitation';
    const q = `mutation($p: ID!, $accept: Boolean!) { respondToCoSponsorInvitation(proposalId: $p, accept: $accept) { id } }`;
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
    idCases(m, q, 'other', base, 'p', 'Proposal', () => f.othersComment, 'proposalId');
  }

  // progress and thresholds: numbers -------------------------------------------------------------------
  {
    const m = 'postProgressUpdate';
    const q = `mutation($input: ProgressUpdateInput!) { postProgressUpdate(input: $input) { id status } }`;
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
    const q = `mutation($d: String!, $t: Int!) { setEndorsementThreshold(districtCode: $d, threshold: $t) { code endorsementThreshold } }`;
    const base = () => ({ d: DISTRICT, t: 25 });
    const service: [string, string, unknown, string][] = [
      ['threshold 0', 't', 0, 'threshold'],
      ['threshold -1', 't', -1, 'threshold'],
      ['threshold 100,001', 't', 100_001, 'threshold'],
      ['districtCode with SQL', 'd', SQL_OR, 'districtCode'],
      ['districtCode with DROP TABLE', 'd', SQL_DROP, 'districtCode'],
      ['districtCode empty', 'd', '', 'districtCode'],
      ['districtCode in Thai digits', 'd', '๑๐๐๗', 'districtCode'],
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
    const q = `mutation($input: PostCommentInput!) { postComment(input: $input) { id body } }`;
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
    const q = `mutation($input: EditCommentInput!) { editComment(input: $input) { id body } }`;
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
  idCases('deleteComment', `mutation($id: ID!) { deleteComment(commentId: $id) { id status } }`, 'author', () => ({ id: f.comment }), 'id', 'Comment', () => f.published, 'commentId');
  {
    const m = 'reactToComment';
    const q = `mutation($id: ID!, $r: ReactionKind) { reactToComment(commentId: $id, reaction: $r) { id reactionCount } }`;
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
    idCases(m, q, 'other', base, 'id', 'Comment', () => f.published, 'commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { flagComment(commentId: $id, reason: $reason) { id } }`;
    const base = () => ({ id: f.comment, reason: 'Looks like spam' });
    reasonCases('flagComment', q, 'other', base, 'reason', 'reason');
    idCases('flagComment', q, 'other', base, 'id', 'Comment', () => f.published, 'commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { hideComment(commentId: $id, reason: $reason) { id status } }`;
    const base = () => ({ id: f.othersComment, reason: 'Personal attack' });
    reasonCases('hideComment', q, 'host', base, 'reason', 'reason');
    idCases('hideComment', q, 'host', base, 'id', 'Comment', () => f.published, 'commentId');
  }
  {
    const q = `mutation($id: ID!, $reason: String!) { restoreComment(commentId: $id, reason: $reason) { id status } }`;
    const base = () => ({ id: f.hiddenComment, reason: 'Fair criticism on review' });
    reasonCases('restoreComment', q, 'host', base, 'reason', 'reason');
    idCases('restoreComment', q, 'host', base, 'id', 'Comment', () => f.published, 'commentId');
  }

  // notifications ----------------------------------------------------------------------------------
  {
    const m = 'markNotificationsRead';
    const q = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;
    const service: [string, () => unknown, string][] = [
      ['SQL as an id', () => [SQL_OR], 'ids[0]'],
      ['a good id, then SQL (nothing is marked)', () => [f.notification, SQL_DROP], 'ids[1]'],
      ['a forged Notification id carrying SQL', () => [toGlobalId('Notification', SQL_OR)], 'ids[0]'],
      ['an id of another kind', () => [f.published], 'ids[0]'],
      ['a single string (GraphQL makes it a list of one)', () => SQL_OR, 'ids[0]'],
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
    const m = 'requestResidency';
    const q = `mutation($d: String!, $n: String) { requestResidency(districtCode: $d, note: $n) { id } }`;
    const base = () => ({ d: DISTRICT, n: 'I rent a room on Soi Chula 12' });
    const service: [string, string, unknown, string][] = [
      ['note with a script tag', 'n', SCRIPT, 'note'],
      ['note with a NUL byte', 'n', 'a\u0000b', 'note'],
      ['note with an unpaired surrogate', 'n', '\ud800', 'note'],
      ['districtCode with DROP TABLE', 'd', SQL_DROP, 'districtCode'],
      ['districtCode empty', 'd', '', 'districtCode'],
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
    const q = `mutation($input: ReviewResidencyInput!) { reviewResidency(input: $input) { id status } }`;
    const base = () => ({ input: { residencyId: f.residency, decision: 'REJECT', note: 'Please send a utility bill' } });
    add({ mutation: m, label: 'note with a script tag', query: q, as: 'host', vars: () => withValue(base(), 'input.note', SCRIPT), field: 'input.note' });
    add({ mutation: m, label: 'decision with SQL', query: q, as: 'host', vars: () => withValue(base(), 'input.decision', SQL_OR) });
    add({ mutation: m, label: 'decision unknown', query: q, as: 'host', vars: () => withValue(base(), 'input.decision', 'MAYBE') });
    idCases(m, q, 'host', base, 'input.residencyId', 'Residency', () => f.published, 'input.residencyId');
  }
  for (const m of ['appointHost', 'removeHost']) {
    const q = `mutation($u: ID!, $d: String!) { ${m}(userId: $u, districtCode: $d) { id } }`;
    const base = () => ({ u: callers.host!.id, d: DISTRICT });
    add({ mutation: m, label: 'districtCode with SQL', query: q, as: 'admin', vars: () => withValue(base(), 'd', SQL_OR), field: 'districtCode' });
    add({ mutation: m, label: 'userId with SQL', query: q, as: 'admin', vars: () => withValue(base(), 'u', SQL_OR), field: 'userId' });
  }

  it.each(cases.map((c) => [`${c.mutation}: ${c.label}`, c] as const))('%s is refused with BAD_USER_INPUT, storing nothing', async (_name, c) => {
    const before = await fingerprint();
    const res = await send(c.query, c.vars(), callers[c.as]?.token);
    expectBadInput(res, c.mutation, c.field);
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

    await api.ok(`mutation($id: ID!) { publishProposal(id: $id) { id } }`, { id }, author.token);
    await api.ok(`mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { id } }`, { input: { proposalId: id, summary: 'Shorter', note: SQL_DROP } }, author.token);
    const revision = await api.ok(`query($id: ID!) { proposal(id: $id) { revisions { note previousSummary } } }`, { id });
    expect(revision.proposal.revisions).toEqual([{ note: SQL_DROP, previousSummary: text.summary }]);

    const comment = await postComment(api, callers.other!, id, { body: `'); DELETE FROM comments; -- and ${SQL_OR}` });
    expect(await commentBody(comment)).toBe(`'); DELETE FROM comments; -- and ${SQL_OR}`);
    await api.ok(`mutation($id: ID!, $r: String!) { flagComment(commentId: $id, reason: $r) { id } }`, { id: comment, r: SQL_DROP }, author.token);
    await api.ok(`mutation($id: ID!, $r: String!) { hideComment(commentId: $id, reason: $r) { id } }`, { id: comment, r: `Hidden: ${SQL_OR}` }, callers.host!.token);
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
    const res = await api.gql(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { id } }`, { input: proposalInput({ body }) }, callers.author!.token);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect((await proposalRow(res.data!.createProposal.id)).body).toBe(body);
  });

  it.each([
    ['createProposal', '60,000 Thai characters in the body', `mutation($input: CreateProposalInput!) { createProposal(input: $input) { id } }`, () => ({ input: proposalInput({ body: thai(60_000) }) }), 'input.body'],
    // 7,144 families of four are 50,008 code points: 178 KB of UTF-8.
    ['createProposal', '7,144 emoji families in the body', `mutation($input: CreateProposalInput!) { createProposal(input: $input) { id } }`, () => ({ input: proposalInput({ body: FAMILY.repeat(7144) }) }), 'input.body'],
    ['postComment', '60,000 Thai characters in the body', `mutation($input: PostCommentInput!) { postComment(input: $input) { id } }`, () => ({ input: { subjectId: f.published, body: thai(60_000), stance: 'FOR' } }), 'input.body'],
    ['flagComment', '60,000 Thai characters in the reason', `mutation($id: ID!, $r: String!) { flagComment(commentId: $id, reason: $r) { id } }`, () => ({ id: f.comment, r: thai(60_000) }), 'reason'],
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
      const res = await api.gql(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { id estimatedBudget } }`, { input: proposalInput({ estimatedBudget: budget }) }, callers.author!.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.createProposal.estimatedBudget).toBe(budget);
      expect((await proposalRow(res.data!.createProposal.id)).estimated_budget).toBe(stored);
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

  it('(email check) login answers a NUL byte in the email like any wrong login (UNAUTHENTICATED), not INTERNAL_SERVER_ERROR', async () => {
    const res = await api.gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, { input: { email: 'admin\u0000@district.example', password: 'whatever it is' } });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('(empty parentId) postComment refuses an empty parentId with BAD_USER_INPUT instead of posting a top-level comment', async () => {
    const before = await fingerprint();
    const res = await api.gql(`mutation($input: PostCommentInput!) { postComment(input: $input) { id parentId } }`, {
      input: { subjectId: f.published, parentId: '', body: 'Meant as a reply', stance: 'NEUTRAL' },
    }, callers.author!.token);
    expectBadInput(res, 'postComment', 'input.parentId');
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
    const tables = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`, [TABLES]);
    expect(tables.rows[0].n).toBe(TABLES.length);
  });
});
