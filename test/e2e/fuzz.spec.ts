import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import request from 'supertest';
import { loginAdmin, register } from '../support/factories';
import { TestServer } from '../support/test-server';

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

function operationFor(schema: GraphQLSchema, kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, random: () => number): { query: string; variables: Record<string, unknown> } {
  const args: GraphQLArgument[] = field.args.filter((a) => isNonNullType(a.type) || random() < 0.6);
  const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, random)]));
  const declared = args.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const select = isObjectType(named) ? `{ ${selection(named)} }` : named && 'getTypes' in named ? '{ __typename }' : '';
  void schema;
  return { query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${select} }`, variables };
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

/**
 * Thousands of malformed and hostile GraphQL requests, generated from the schema so that a new
 * operation is fuzzed without anyone listing it: no 5xx, no stack trace, no hang, and the server
 * answers normally afterwards.
 */
describe('fuzzing every operation in the schema', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '10000' } });
  });
  afterAll(() => api.stop());

  it('survives generated hostile input on every query and mutation', async () => {
    const schema = api.server.app.get(GraphQLSchemaHost).schema;
    const admin = await loginAdmin(api);
    const member = await register(api);
    const random = prng(Number(process.env.FUZZ_SEED ?? 20261125));
    const fields: ['query' | 'mutation', GraphQLField<unknown, unknown>][] = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ['query', f] as ['query', GraphQLField<unknown, unknown>]),
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => ['mutation', f] as ['mutation', GraphQLField<unknown, unknown>]),
    ];
    const failures: string[] = [];
    let sent = 0;
    const send = async (body: unknown, token?: string) => {
      let req = request(api.http).post('/graphql').set('content-type', 'application/json');
      if (token) req = req.set('authorization', `Bearer ${token}`);
      const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
      sent += 1;
      const text = res.text ?? '';
      if (res.status >= 500) failures.push(`${res.status} for ${JSON.stringify(body).slice(0, 200)}: ${text.slice(0, 200)}`);
      if (/\n\s+at \S+ \(|stacktrace/.test(text)) failures.push(`stack trace for ${JSON.stringify(body).slice(0, 200)}`);
      if (/INTERNAL_SERVER_ERROR/.test(text)) failures.push(`internal error for ${JSON.stringify(body).slice(0, 300)}: ${text.slice(0, 300)}`);
    };
    for (let round = 0; round < 30; round++) {
      for (const [kind, field] of fields) {
        const op = operationFor(schema, kind, field, random);
        await send(op, [undefined, member.token, admin.token][round % 3]);
      }
    }
    for (const document of MALFORMED) {
      await send({ query: document });
      await send({ query: document, variables: { x: valueFor(schema.getType('String') as GraphQLInputType, random) } }, admin.token);
    }
    for (const raw of ['not json', '{"query":', '[]', '{"query": 5}', '{"query": "{ districts { code } }", "variables": "nope"}', '{"query": "{ districts { code } }", "operationName": 7}']) {
      await send(raw);
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
    expect((await api.ok('{ district(code: "1001") { nameEn } }')).district.nameEn).toBe('Phra Nakhon');
    expect((await request(api.http).get('/health/ready')).status).toBe(200);
  });
});
