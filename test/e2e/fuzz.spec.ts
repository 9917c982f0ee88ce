import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import request from 'supertest';
import { loginAdmin, postComment, register } from '../support/factories';
import { hearingInput, publishedProposal, scheduleHearing } from '../support/hearings';
import { openRound, roundInput } from '../support/voting';
import { EventBus } from '../../src/realtime/event-bus';
import { TestServer } from '../support/test-server';
import { Answer, Operation, send, TRANSPORTS, WsSession } from '../support/transports';

/** A small seeded generator, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const HOSTILE_STRINGS = ['', ' ', 'x'.repeat(20_000), '<script>alert(1)</script>', "' OR '1'='1", '"; DROP TABLE users; --', '\u0000', '\ud800', 'ก'.repeat(3000), '👨‍👩‍👧‍👦'.repeat(500), '${7*7}', '../../etc/passwd', 'null', '{"$gt":""}'];
const HOSTILE_NUMBERS = [-1, 0, 2 ** 31, -(2 ** 31) - 1, 1.5, 1e308, -1e308];

/** A value for an input type: sometimes well-typed but hostile, sometimes of the wrong type altogether. */
function valueFor(type: GraphQLInputType, random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (random() < 0.15) return pick<unknown>([null, 42, 'text', true, [], {}, [1, 2, 3], { nested: { deep: [null] } }]);
  if (isNonNullType(type)) return valueFor(type.ofType, random, depth);
  if (isListType(type)) return depth > 3 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => valueFor(type.ofType, random, depth + 1));
  if (isEnumType(type)) return random() < 0.7 ? pick(type.getValues()).value : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    return Object.fromEntries(Object.values(type.getFields()).filter(() => random() < 0.85).map((f) => [f.name, valueFor(f.type, random, depth + 1)]));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return pick(HOSTILE_NUMBERS);
      case 'Boolean':
        return random() < 0.5;
      case 'DateTime':
        return pick(['2026-13-45T25:00:00Z', 'next tuesday', new Date(Date.now() + 86_400_000).toISOString(), '1970-01-01T00:00:00Z', '']);
      case 'ID':
        return pick(['', 'garbage', Buffer.from('Proposal:not-a-uuid').toString('base64url'), Buffer.from('User:00000000-0000-0000-0000-000000000000').toString('base64url'), ...HOSTILE_STRINGS.slice(3, 6)]);
      default:
        return pick(HOSTILE_STRINGS);
    }
  }
  return null;
}

function typeName(type: GraphQLInputType): string {
  return String(type);
}

/** A selection for a return type: its scalar fields, two levels deep. */
function selection(type: GraphQLObjectType, depth = 0): string {
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  const parts: string[] = ['__typename'];
  for (const field of fields) {
    const named = getNamedType(field.type);
    if (isObjectType(named)) {
      if (depth < 1) parts.push(`${field.name} { ${selection(named, depth + 1)} }`);
    } else parts.push(field.name);
  }
  return parts.join(' ');
}

type Kind = 'query' | 'mutation' | 'subscription';

/** The operation calling one root field with the given arguments, passed as variables. */
function operationOn(kind: Kind, field: GraphQLField<unknown, unknown>, args: readonly GraphQLArgument[], variables: Record<string, unknown>): Operation {
  const declared = args.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const select = isObjectType(named) ? `{ ${selection(named)} }` : named && 'getTypes' in named ? '{ __typename }' : '';
  return { query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${select} }`, variables };
}

function randomOperation(kind: Kind, field: GraphQLField<unknown, unknown>, random: () => number): Operation {
  const args: GraphQLArgument[] = field.args.filter((a) => isNonNullType(a.type) || random() < 0.6);
  return operationOn(kind, field, args, Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, random)])));
}

/** Text no field can store or mean: PostgreSQL refuses NUL in text, and a lone surrogate is not Unicode. */
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const LONG = 'x'.repeat(20_000);

/** Every path, inside an argument's type, to a String or ID (through input objects and lists). */
function textPaths(type: GraphQLInputType, seen: ReadonlySet<string> = new Set()): string[][] {
  if (isNonNullType(type) || isListType(type)) return textPaths(type.ofType, seen);
  if (isScalarType(type)) return type.name === 'String' || type.name === 'ID' ? [[]] : [];
  if (isInputObjectType(type) && !seen.has(type.name)) {
    return Object.values(type.getFields()).flatMap((f) => textPaths(f.type, new Set([...seen, type.name])).map((path) => [f.name, ...path]));
  }
  return [];
}

/** Ids of real objects, so that an operation gets past its other arguments to the one being tried. */
interface Plausible {
  user: string;
  proposal: string;
  comment: string;
  hearing: string;
  round: string;
}

/** The id an argument named `name` most likely wants (`hearingId`, `roundId`, `subjectId`, ...). */
function plausibleId(name: string, plausible: Plausible): string {
  if (/hearingId$/i.test(name)) return plausible.hearing;
  if (/roundId$/i.test(name)) return plausible.round;
  if (/commentId$|parentId$/i.test(name)) return plausible.comment;
  if (/userId$|actorId$|authorId$/i.test(name)) return plausible.user;
  return plausible.proposal;
}

/** A well-typed value for `type`, with `text` at `path` and plausible values in every required place. */
function valueWith(type: GraphQLInputType, path: readonly string[] | null, text: string, plausible: Plausible, name = ''): unknown {
  if (isNonNullType(type)) return valueWith(type.ofType, path, text, plausible, name);
  if (isListType(type)) return [valueWith(type.ofType, path, text, plausible, name)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return Object.fromEntries(
      fields
        .filter((f) => f.name === path?.[0] || (isNonNullType(f.type) && f.defaultValue === undefined))
        .map((f) => [f.name, valueWith(f.type, f.name === path?.[0] ? path.slice(1) : null, text, plausible, f.name)]),
    );
  }
  if (path && path.length === 0) return text;
  switch (isScalarType(type) ? type.name : '') {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'ID':
      return plausibleId(name, plausible);
    default:
      return '1001';
  }
}

/**
 * Each String and ID argument of every root field (nested input fields too), given NUL, a lone
 * surrogate and 20,000 characters in turn, the other required arguments plausible.
 */
function hostileTextOperations(fields: readonly [Kind, GraphQLField<unknown, unknown>][], plausible: Plausible): Operation[] {
  const operations: Operation[] = [];
  for (const [kind, field] of fields) {
    for (const target of field.args) {
      const args = field.args.filter((a) => a === target || isNonNullType(a.type));
      for (const path of textPaths(target.type)) {
        for (const text of [NUL, LONE_SURROGATE, LONG]) {
          const variables = Object.fromEntries(args.map((a) => [a.name, valueWith(a.type, a === target ? path : null, text, plausible, a.name)]));
          operations.push(operationOn(kind, field, args, variables));
        }
      }
    }
  }
  return operations;
}

const MALFORMED = [
  '{',
  '}}}}',
  'query {',
  'mutation { register(input: { email: "a@b.c" ',
  '{ ' + '{'.repeat(5000),
  'query($x: String!) { district(code: $x) { code } }',
  '{ district(code: 1001) { code } }',
  '{ districts { code } } { districts { code } }',
  'subscription { residencyUpdated { id } }',
  '\u0000\u0001\u0002',
  'fragment f on District { ...f } { districts { ...f } }',
  '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }',
  '{ node(id: "x") { ... on Proposal { comments { id } } } }',
  'query A { districts { code } } query A { districts { code } }',
];

const RAW_BODIES = ['not json', '{"query":', '[]', '{"query": 5}', '{"query": "{ districts { code } }", "variables": "nope"}', '{"query": "{ districts { code } }", "operationName": 7}'];

/** Who sends a case: the fuzzing runs each as an anonymous client, a member and an administrator. */
type Sender = 'anonymous' | 'member' | 'admin';

/** What an answer must never be: a 5xx, a stack trace, an internal error, or a socket closed on a client. */
function problemsOf(answer: Answer, operation: Operation): string[] {
  const what = JSON.stringify(operation).slice(0, 300);
  const problems: string[] = [];
  if ((answer.status ?? 0) >= 500) problems.push(`${answer.transport} ${answer.status} for ${what}: ${answer.text.slice(0, 200)}`);
  if (answer.closed) problems.push(`${answer.transport} closed ${answer.closed.code} (${answer.closed.reason}) for ${what}`);
  if (/\n\s+at \S+ \(|stacktrace/.test(answer.text)) problems.push(`${answer.transport} stack trace for ${what}`);
  if (/INTERNAL_SERVER_ERROR/.test(answer.text)) problems.push(`${answer.transport} internal error for ${what}: ${answer.text.slice(0, 300)}`);
  return problems;
}

/**
 * Thousands of malformed and hostile GraphQL requests, generated from the schema so that a new
 * operation is fuzzed without anyone listing it, sent over HTTP and over graphql-ws from one list:
 * no 5xx, no stack trace, no internal error, no socket closed on the client, no hang, and the server
 * answers normally afterwards.
 */
describe('fuzzing every operation in the schema', () => {
  let api: TestServer;
  let cases: { sender: Sender; operation: Operation }[];
  let tokens: Record<Sender, string | undefined>;
  /** Signs the sender in again: a fuzzed `logout` ends its session. */
  let signIn: (sender: Sender) => Promise<void>;
  beforeAll(async () => {
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '10000' } });
    const schema = api.server.app.get(GraphQLSchemaHost).schema;
    const admin = await loginAdmin(api);
    const member = await register(api);
    tokens = { anonymous: undefined, member: member.token, admin: admin.token };
    signIn = async (sender) => {
      if (sender === 'admin') tokens.admin = (await loginAdmin(api)).token;
      if (sender === 'member') {
        const data = await api.ok(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, { input: { email: member.email, password: 'correct horse battery staple' } });
        tokens.member = data.login.accessToken;
      }
    };
    const random = prng(Number(process.env.FUZZ_SEED ?? 20261125));
    const rootFields = (kind: Kind, type: GraphQLObjectType | null | undefined) => Object.values(type?.getFields() ?? {}).map((f) => [kind, f] as [Kind, GraphQLField<unknown, unknown>]);
    const operations = [...rootFields('query', schema.getQueryType()), ...rootFields('mutation', schema.getMutationType())];
    const senders: Sender[] = ['anonymous', 'member', 'admin'];
    cases = [];
    const everyRootField = [...operations, ...rootFields('subscription', schema.getSubscriptionType())];
    // Something of each kind in district 1001, so that other arguments name things that exist.
    const proposal = await publishedProposal(api, '1001', 'ทางเดินริมคลอง');
    const comment = await postComment(api, member, proposal);
    const hearing = await scheduleHearing(api, admin, hearingInput('1001', [{ title: 'ทางเดินริมคลอง', proposalId: proposal }]));
    const round = await openRound(api, admin, roundInput('1001', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]));
    const plausible: Plausible = { user: member.id, proposal, comment, hearing: hearing.id, round: round.id };
    for (const operation of hostileTextOperations(everyRootField, plausible)) cases.push({ sender: 'admin', operation });
    for (let pass = 0; pass < 8; pass++) {
      for (const [kind, field] of operations) cases.push({ sender: senders[pass % 3], operation: randomOperation(kind, field, random) });
    }
    for (const document of MALFORMED) {
      cases.push({ sender: 'anonymous', operation: { query: document } });
      cases.push({ sender: 'admin', operation: { query: document, variables: { x: valueFor(schema.getType('String') as GraphQLInputType, random) } } });
    }
  });
  afterAll(() => api.stop());

  it('puts NUL, a lone surrogate and 20,000 characters in every String and ID argument of the schema', () => {
    const hostile = cases.filter((c) => Object.values(c.operation.variables ?? {}).some((v) => [NUL, LONE_SURROGATE, LONG].some((text) => JSON.stringify(v)?.includes(JSON.stringify(text).slice(1, -1)))));
    expect(hostile.some((c) => /auditLog\(filter: \$filter\)/.test(c.operation.query) && JSON.stringify(c.operation.variables).includes('\\u0000'))).toBe(true);
    expect(hostile.length).toBeGreaterThan(300);
  });

  it.each(TRANSPORTS)('refuses NUL in auditLog(filter: { action }) over %s as BAD_USER_INPUT naming the field, before it reaches PostgreSQL', async (transport) => {
    // In the reader's language, Thai here: "contains a NUL character", "contains broken Unicode (an unpaired surrogate)".
    for (const [action, message] of [['\u0000', t(Locale.th, 'errors.input.nulCharacter')], ['LOGIN\ud800', t(Locale.th, 'errors.input.brokenUnicode')]]) {
      const answer = await send(api, transport, { query: 'query($action: String) { auditLog(filter: { action: $action }) { totalCount } }', variables: { action }, token: tokens.admin });
      expect(answer.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter.action', message }] })]);
    }
    // The same check before a subscription starts (over graphql-ws; HTTP serves none).
    if (transport === 'ws') {
      const answer = await send(api, transport, { query: 'subscription($d: String!) { proposalsInDistrictUpdated(districtCode: $d) { kind } }', variables: { d: '1001\u0000' } });
      expect(answer.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', fields: [{ field: 'districtCode', message: t(Locale.th, 'errors.input.nulCharacter') }] })]);
    }
  });

  it.each(TRANSPORTS)('survives generated hostile input on every query, mutation and subscription, over %s', async (transport) => {
    const failures: string[] = [];
    const sessions = new Map<Sender, WsSession>();
    const ask = async (sender: Sender, operation: Operation): Promise<Answer> => {
      if (transport === 'http') return send(api, 'http', { ...operation, token: tokens[sender] });
      let session = sessions.get(sender);
      if (!session || session.closed) sessions.set(sender, (session = await WsSession.open(api, tokens[sender])));
      if (!/^\s*subscription\b/.test(operation.query)) return session.send(operation);
      // A subscription the server accepts never answers: it is done once the pub/sub confirms it, and
      // its socket is then let go (cases run one at a time, so the confirmation is this one's).
      let stop: () => unknown = () => undefined;
      const confirmed = new Promise<'confirmed'>((resolve) => (stop = api.server.app.get(EventBus).onSubscribed(() => resolve('confirmed'))));
      const answer = await Promise.race([session.send(operation), confirmed]);
      stop();
      if (answer !== 'confirmed') return answer;
      session.close();
      sessions.delete(sender);
      return { transport, text: '' };
    };
    for (const { sender, operation } of cases) {
      const answer = await ask(sender, operation);
      const logout = /^mutation[^{]*\{ logout\b/.test(operation.query);
      // Signing out ends the session, and graphql-ws closes its socket with 4401, maybe before the answer.
      if (logout && answer.closed?.code === 4401) delete answer.closed;
      failures.push(...problemsOf(answer, operation));
      if (logout) {
        sessions.get(sender)?.close();
        sessions.delete(sender);
        await signIn(sender);
      }
    }
    for (const session of sessions.values()) session.close();
    if (transport === 'http') {
      for (const raw of RAW_BODIES) {
        const res = await request(api.http).post('/graphql').set('content-type', 'application/json').send(raw);
        failures.push(...problemsOf({ transport, status: res.status, text: res.text ?? '' }, { query: raw }));
      }
    } else {
      // Messages that are not graphql-ws at all end their socket with the protocol's 4400, never 4500.
      for (const raw of [...RAW_BODIES, '{"id":"1","type":"subscribe","payload":{"query":"{ districts { code } }","variables":"nope"}}', '{"type":"subscribe"}']) {
        const session = await WsSession.open(api);
        session.sendRaw(raw);
        const closed = await session.whenClosed();
        if (closed.code !== 4400) failures.push(`ws closed ${closed.code} (${closed.reason}) for the message ${raw}`);
      }
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(1000);
    expect((await api.ok('{ district(code: "1001") { nameEn } }')).district.nameEn).toBe('Phra Nakhon');
    expect((await request(api.http).get('/health/ready')).status).toBe(200);
  });
});
