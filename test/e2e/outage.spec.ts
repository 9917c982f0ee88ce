import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../support/database';
import { register } from '../support/factories';
import { Hop } from '../support/hop';
import { describeWith } from '../support/services';
import { TestServer } from '../support/test-server';

describeWith({ postgres: true }, 'a database outage', () => {
  let database: TestDatabase;
  let hop: Hop;
  let api: TestServer;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    const proxied = await Hop.before(database.url, 5432);
    hop = proxied.hop;
    api = await TestServer.start({ databaseUrl: proxied.url, embedded: false });
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await hop?.down();
    await db?.end();
    await database?.drop();
  });

  it('fails requests with a retryable code while it lasts, reports not ready, reconnects by itself, and loses no acknowledged write', async () => {
    const author = await register(api);
    const create = (title: string) =>
      api.gql(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { id title } }`, { i: { districtCode: '1007', title, summary: 's', body: 'b', category: 'OTHER' } }, author.token);
    const acknowledged: string[] = [];
    const codes: string[] = [];
    const write = async (title: string) => {
      const res = await create(title);
      if (res.data?.createProposal) acknowledged.push(res.data.createProposal.title);
      else codes.push(String(res.errors?.[0].extensions?.code));
    };

    await Promise.all(Array.from({ length: 10 }, (_, i) => write(`before ${i}`)));
    await hop.down();
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(`during ${i}`)));
    const ready = await request(api.http).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toMatch(/^unavailable/);
    expect(new Set(codes)).toEqual(new Set(['SERVICE_UNAVAILABLE']));

    await hop.up();
    // The pool reconnects when a query needs it: readiness asks, at a pace, until it is back.
    while ((await request(api.http).get('/health/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(`after ${i}`)));

    const stored = await db.query(`SELECT title FROM proposals`);
    const titles = new Set(stored.rows.map((r) => r.title));
    for (const title of acknowledged) expect(titles.has(title)).toBe(true);
    expect(acknowledged.filter((t) => t.startsWith('after'))).toHaveLength(10);
  });
});
