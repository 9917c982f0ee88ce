import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../support/database';
import { register } from '../support/factories';
import { Hop } from '../support/hop';
import { describeWith } from '../support/services';
import { TestServer } from '../support/test-server';
import { outcome, send, TRANSPORTS, WsSession } from '../support/transports';

/** A read that needs the database, asked anonymously and signed in (which reads the session first). */
const READ = '{ proposals(first: 1) { totalCount } }';

describeWith({ postgres: true }, 'a database outage', () => {
  let database: TestDatabase;
  let hop: Hop;
  let api: TestServer;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    const proxied = await Hop.before(database.url, 5432);
    hop = proxied.hop;
    // A small statement timeout, so that a database that never answers is given up on soon (see DB_STATEMENT_TIMEOUT_MS).
    api = await TestServer.start({ databaseUrl: proxied.url, embedded: false, env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
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
      api.gql(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id title } } }`, { i: { districtCode: '1007', title, summary: 's', body: 'b', category: 'OTHER' } }, author.token);
    const acknowledged: string[] = [];
    const codes: string[] = [];
    const write = async (title: string) => {
      const res = await create(title);
      if (res.data?.createProposal?.proposal) acknowledged.push(res.data.createProposal.proposal.title);
      else codes.push(String(res.errors?.[0].extensions?.code));
    };

    await Promise.all(Array.from({ length: 10 }, (_, i) => write(`before ${i}`)));
    await hop.down();
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(`during ${i}`)));
    const ready = await request(api.http).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { database: { status: 'down', message: expect.any(String) } } });
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

  /**
   * What a request gets while the database cannot answer: SERVICE_UNAVAILABLE (retryable) in the body,
   * over HTTP with status 200 signed in or not, as every error of an operation. Over graphql-ws a signed-in
   * socket cannot be authenticated: it is closed with 1013 (try again later), which clients reconnect after.
   */
  const UNAVAILABLE = { http: { anonymous: 'SERVICE_UNAVAILABLE', signedIn: 'SERVICE_UNAVAILABLE' }, ws: { anonymous: 'SERVICE_UNAVAILABLE', signedIn: 1013 } };

  it.each(TRANSPORTS)('answers signed-in and anonymous requests alike over %s while the database is down', async (transport) => {
    const member = await register(api);
    await hop.down();
    try {
      const anonymous = await send(api, transport, { query: READ });
      const signedIn = await send(api, transport, { query: READ, token: member.token });
      expect({ anonymous: outcome(anonymous), signedIn: outcome(signedIn) }).toEqual(UNAVAILABLE[transport]);
      expect([anonymous.status, signedIn.status]).toEqual(transport === 'http' ? [200, 200] : [undefined, undefined]);
      expect(anonymous.errors?.[0].extensions?.retryable).toBe(true);
    } finally {
      await hop.up();
    }
    while ((await request(api.http).get('/health/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  });

  it('closes a signed-in graphql-ws socket opened before the outage with 1013 (try again later) at its next operation', async () => {
    const member = await register(api);
    const session = await WsSession.open(api, member.token);
    try {
      expect((await session.send({ query: READ })).errors).toBeUndefined();
      await hop.down();
      const during = await session.send({ query: READ });
      expect(during.closed?.code).toBe(1013);
    } finally {
      session.close();
      await hop.up();
    }
    while ((await request(api.http).get('/health/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  });

  it('answers the open-data downloads 503 SERVICE_UNAVAILABLE while the database is down (outside GraphQL, the status is the answer)', async () => {
    const round = Buffer.from(`VotingRound:${randomUUID()}`).toString('base64url');
    await hop.down();
    try {
      const res = await request(api.http).get(`/voting-rounds/${round}/results.json`);
      expect({ status: res.status, codes: res.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    } finally {
      await hop.up();
    }
    while ((await request(api.http).get('/health/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  });

  it.each(TRANSPORTS)('answers over %s when the database accepts connections but never answers, and serves again when it does', async (transport) => {
    const member = await register(api);
    const create = (title: string) =>
      send(api, transport, {
        query: `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id title } } }`,
        variables: { i: { districtCode: '1007', title, summary: 's', body: 'b', category: 'OTHER' } },
        token: member.token,
      });
    hop.blackHole();
    try {
      // Each would wait forever for the database's answer without a statement timeout.
      const [anonymous, signedIn, write] = await Promise.all([send(api, transport, { query: READ }), send(api, transport, { query: READ, token: member.token }), create('black-holed')]);
      expect({ anonymous: outcome(anonymous), signedIn: outcome(signedIn), write: outcome(write) }).toEqual({ ...UNAVAILABLE[transport], write: UNAVAILABLE[transport].signedIn });
      if (transport === 'http') expect([anonymous.status, signedIn.status, write.status]).toEqual([200, 200, 200]);
      expect((await request(api.http).get('/health/ready')).status).toBe(503);
    } finally {
      hop.restore();
    }
    while ((await request(api.http).get('/health/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    const after = await create('after the black hole');
    expect(after.errors).toBeUndefined();
    expect(after.data?.createProposal?.proposal.title).toBe('after the black hole');
  });

  it.each(TRANSPORTS)('answers SERVICE_UNAVAILABLE over %s when PostgreSQL cancels a statement at the timeout (a lock held longer), and serves on', async (transport) => {
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE proposals IN ACCESS EXCLUSIVE MODE');
      const waited = await send(api, transport, { query: READ });
      expect(outcome(waited)).toBe('SERVICE_UNAVAILABLE');
      if (transport === 'http') expect(waited.status).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const after = await send(api, transport, { query: READ });
    expect(after.errors).toBeUndefined();
    expect(after.data?.proposals.totalCount).toEqual(expect.any(Number));
  });
});
