import { Client } from 'pg';
import { Account, loginAdmin, makeHost, makeResident, register, requestResidency, appointHost } from '../support/factories';
import { TestServer } from '../support/test-server';

type Actor = 'anonymous' | 'member' | 'resident' | 'otherHost' | 'rightHost' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'member', 'resident', 'otherHost', 'rightHost', 'admin'];
const DISTRICT = '1007';
const OTHER_DISTRICT = '1001';

/**
 * Every role-guarded operation, tried by each kind of caller. The expected outcome is either OK or the
 * error code; a refused mutation must leave the database as it was.
 */
describe('permission matrix', () => {
  let api: TestServer;
  let db: Client;
  const actors = {} as Record<Actor, Account | undefined>;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    const admin = await loginAdmin(api);
    actors.anonymous = undefined;
    actors.member = await register(api, { displayName: 'Plain member' });
    actors.resident = await makeResident(api, admin, OTHER_DISTRICT);
    actors.otherHost = await makeHost(api, admin, OTHER_DISTRICT);
    actors.rightHost = await makeHost(api, admin, DISTRICT);
    actors.admin = admin;
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  async function snapshot(): Promise<string> {
    const rows = await db.query(`SELECT
      (SELECT count(*) FROM host_appointments) AS hosts,
      (SELECT count(*) FROM residencies) AS residencies,
      (SELECT string_agg(status, ',' ORDER BY id) FROM residencies) AS statuses`);
    return JSON.stringify(rows.rows[0]);
  }

  async function attempt(actor: Actor, query: string, variables: Record<string, unknown>): Promise<string> {
    const res = await api.gql(query, variables, actors[actor]?.token);
    return res.errors ? String(res.errors[0].extensions?.code) : 'OK';
  }

  interface Case {
    name: string;
    expected: Record<Actor, string>;
    /** Builds the variables afresh for each actor (a new target, so one success does not affect the next). */
    setup: () => Promise<Record<string, unknown>>;
    query: string;
    mutates: boolean;
  }

  const cases: Case[] = [
    {
      name: 'appointHost',
      query: `mutation($u: ID!, $d: String!) { appointHost(userId: $u, districtCode: $d) { id } }`,
      setup: async () => ({ u: (await register(api)).id, d: DISTRICT }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'removeHost',
      query: `mutation($u: ID!, $d: String!) { removeHost(userId: $u, districtCode: $d) { id } }`,
      setup: async () => {
        const target = await register(api);
        await appointHost(api, actors.admin!, target, DISTRICT);
        return { u: target.id, d: DISTRICT };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'reviewResidency',
      query: `mutation($id: ID!) { reviewResidency(input: { residencyId: $id, decision: APPROVE, note: "ok" }) { id } }`,
      setup: async () => ({ id: await requestResidency(api, await register(api), DISTRICT) }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'requestResidency',
      query: `mutation($d: String!) { requestResidency(districtCode: $d) { id } }`,
      setup: async () => ({ d: DISTRICT }),
      // Any signed-in person may ask (the resident of another district is moving); organisations are tested apart.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'OK', resident: 'OK', otherHost: 'OK', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'residencyRequests (query)',
      query: `query($d: String!) { residencyRequests(districtCode: $d) { totalCount } }`,
      setup: async () => ({ d: DISTRICT }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: false,
    },
    {
      name: 'users (query)',
      query: `{ users(first: 5) { totalCount } }`,
      setup: async () => ({}),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: false,
    },
  ];

  it.each(cases.map((c) => [c.name, c]))('%s: only the right callers succeed, and refusals change nothing', async (_name, c) => {
    const outcomes = {} as Record<Actor, string>;
    for (const actor of ACTORS) {
      const variables = await c.setup();
      const before = await snapshot();
      outcomes[actor] = await attempt(actor, c.query, variables);
      if (outcomes[actor] !== 'OK' && c.mutates) expect(await snapshot()).toBe(before);
    }
    expect(outcomes).toEqual(c.expected);
  });

  it('covers every role-guarded mutation in the schema', async () => {
    const data = await api.ok(`{ __schema { mutationType { fields { name } } } }`);
    const open = ['register', 'login', 'refreshToken', 'logout'];
    const covered = cases.map((c) => c.name);
    const mutations: string[] = data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.filter((m) => !open.includes(m) && !covered.includes(m))).toEqual([]);
  });
});
