import { once } from 'node:events';
import { Client } from 'pg';
import request from 'supertest';
import { auditServer } from 'graphql-http';
import WebSocket from 'ws';
import { AccessTokens } from '../../src/accounts/tokens';
import { Clock } from '../../src/common/clock/clock';
import { createPublishedProposal, loginAdmin, makeResident, postComment, register } from '../support/factories';
import { roundInput } from '../support/voting';
import { Subscription, TEST_AUTH_SECRET, TestServer } from '../support/test-server';
import { HOSTILE_DOCUMENTS } from '../support/hostile-documents';
import { outcome, send, TRANSPORTS } from '../support/transports';

const deep = (levels: number) => `{ comments(subjectId: "x") { edges { node { ${'replies { '.repeat(levels)}id${' }'.repeat(levels)} } } } }`;

describe('limits on both transports', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it('refuses too deep, too costly and too aliased queries over HTTP before any resolver runs', async () => {
    const cases: [string, string][] = [
      [deep(20), 'QUERY_TOO_DEEP'],
      [
        `{ ${Array.from({ length: 20 }, (_, i) => `p${i}: proposals(first: 100) { edges { node { author { id } district { id } coSponsors { user { id } } statusHistory { actor { id } } revisions { editor { id } } progressUpdates { author { id } } hearings { district { id } } } } }`).join(' ')} }`,
        'QUERY_TOO_COMPLEX',
      ],
      [`{ ${Array.from({ length: 31 }, (_, i) => `d${i}: district(code: "1001") { code }`).join(' ')} }`, 'TOO_MANY_ALIASES'],
    ];
    for (const [query, code] of cases) {
      let res: Awaited<ReturnType<TestServer['gql']>> | undefined;
      const queries = await api.countQueries(async () => {
        res = await api.gql(query);
      });
      expect({ code: res!.errors?.[0].extensions?.code, status: res!.status }).toEqual({ code, status: 400 });
      expect(queries).toBe(0);
    }
    // Connections count first × children: the same page once is fine.
    expect((await api.gql(`{ proposals(first: 100) { edges { node { author { id } coSponsors { user { id } } hearings { district { id } } } } } }`)).errors).toBeUndefined();
  });

  it('applies the same limits to subscriptions over graphql-ws', async () => {
    const ws = api.wsClient();
    const deepSub = new Subscription(ws, `subscription { commentAdded(subjectId: "x") { ${'replies { '.repeat(20)}id${' }'.repeat(20)} } }`);
    const [deepError] = await deepSub.waitFor(1);
    expect(deepError.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    const aliased = new Subscription(ws, `subscription { ${Array.from({ length: 31 }, (_, i) => `a${i}: proposalsInDistrictUpdated(districtCode: "1001") { kind }`).join(' ')} }`);
    const [aliasError] = await aliased.waitFor(1);
    // Several root fields are also a validation error for subscriptions: either refusal is a clear code.
    expect(['TOO_MANY_ALIASES', 'GRAPHQL_VALIDATION_FAILED']).toContain(aliasError.errors?.[0].extensions?.code);
    const broken = new Subscription(ws, `subscription { proposalsInDistrictUpdated(districtCode: "1001") { kind `);
    expect((await broken.waitFor(1))[0].errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    await ws.dispose();
  });

  it("tells each operation's cost against the limit in extensions.cost, over HTTP and graphql-ws", async () => {
    // A page of 30 proposals with their author: 30 × (page, edge, node, author), as the limits count it.
    const page = `{ proposals(first: 30) { edges { node { author { id } } } } }`;
    const http = await request(api.http).post('/graphql').set('content-type', 'application/json').send({ query: page });
    expect(http.body.extensions).toEqual({ cost: { requested: 120, limit: 25_000 } });
    const backwards = await api.gql(`{ proposals(last: 5) { nodes { id } } }`);
    expect(backwards.body.extensions.cost).toEqual({ requested: 10, limit: 25_000 });
    // Refused for its cost: the same numbers, with the code.
    const tooMuch = await api.gql(`{ ${Array.from({ length: 30 }, (_, i) => `p${i}: proposals(first: 100) { nodes { author { id } coSponsors { user { id } } statusHistory { actor { id } } revisions { editor { id } } } }`).join(' ')} }`);
    expect(tooMuch.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(tooMuch.body.extensions.cost.requested).toBeGreaterThan(25_000);

    const ws = api.wsClient();
    const answer = new Subscription(ws, page);
    const [result] = await answer.waitFor(1);
    expect(result.extensions).toEqual({ cost: { requested: 120, limit: 25_000 } });
    await ws.dispose();
  });

  it('refuses a persisted-query hash without its document with a code: automatic persisted queries are off', async () => {
    const hash = 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38';
    const res = await request(api.http).post('/graphql').set('content-type', 'application/json').send({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect({ status: res.status, code: res.body.errors?.[0].extensions?.code }).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_SUPPORTED' });
    expect(res.body.errors[0].message).toMatch(/persisted/i);
    // Sending the document with the hash, as an APQ client does next, is refused the same way: nothing is stored.
    const withDocument = await request(api.http)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(withDocument.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('refuses a 10 MB body and a 100,000-element list, and batched requests, each with a code', async () => {
    const huge = await request(api.http).post('/graphql').set('content-type', 'application/json').send(JSON.stringify({ query: '{ districts { code } }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }));
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const list = await api.gql(`query($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`.replace('query', 'mutation'), { ids: Array.from({ length: 100_000 }, (_, i) => String(i)) });
    expect(list.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const batched = await request(api.http).post('/graphql').set('content-type', 'application/json').send([{ query: '{ districts { code } }' }, { query: '{ districts { code } }' }]);
    expect(batched.status).toBe(400);
    expect(JSON.stringify(batched.body)).not.toMatch(/\s+at \S+ \(/);
    expect((await api.gql('{ district(code: "1001") { code } }')).data?.district.code).toBe('1001');
  });

  it('ends the subscriptions of an access token when it expires (close code 4401)', async () => {
    const person = await register(api);
    const [, payload] = person.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const shortLived = new AccessTokens(TEST_AUTH_SECRET, 1).sign(claims.sub, claims.sid, new Date()).token;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = api.wsClient(shortLived);
      ws.on('closed', (event: any) => resolve({ code: event.code, reason: event.reason }));
      new Subscription(ws, `subscription { notifications { kind } }`);
    });
    // Expired while connected, or (on a slow machine, the token living one second) already at connect.
    const event = await closed;
    expect(event.code).toBe(4401);
    expect(event.reason).toMatch(/^Unauthorized: (the access token expired|The access token has expired)/);
  });

  it('serves Prometheus metrics: requests by root field, errors by code, open subscriptions, the pool', async () => {
    await api.gql('query DistrictList { districts { code } }');
    await api.gql('query Broken { nope }');
    const ws = api.wsClient();
    const sub = await api.listen(() => new Subscription(ws, `subscription { proposalsInDistrictUpdated(districtCode: "1001") { kind } }`));
    const metrics = await request(api.http).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/graphql_requests_total\{field="districts",type="query",outcome="ok"\} [1-9]/);
    expect(metrics.text).toMatch(/graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
    expect(metrics.text).toMatch(/graphql_subscriptions_open [1-9]/);
    expect(metrics.text).toMatch(/graphql_request_duration_seconds_bucket/);
    expect(metrics.text).toMatch(/db_pool_connections\{state="total"\}/);
    sub.close();
    await ws.dispose();
  });

  it('labels each error in the request log and /metrics by the code the client got, refusals as refusals', async () => {
    const lines: Record<string, any>[] = [];
    const logged = await TestServer.start({ log: (line) => lines.push(JSON.parse(line)) });
    const db = new Client({ connectionString: logged.databaseUrl });
    await db.connect();
    try {
      const admin = await loginAdmin(logged);
      const resident = await makeResident(logged, admin, '1007');
      const inAnHour = Date.now() + 3600_000;
      const round = await logged.ok(`mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id options { id } } } }`, {
        i: roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { opensAt: new Date(inAnHour).toISOString(), closesAt: new Date(inAnHour + 3600_000).toISOString() }),
      }, admin.token);
      const { id: roundId, options } = round.createVotingRound.votingRound;
      await logged.ok(`mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: roundId } }, admin.token);

      const refusals: [string, string, Record<string, unknown>, string | undefined, string][] = [
        ['SignedOut', `query SignedOut { auditLog(first: 1) { totalCount } }`, {}, undefined, 'UNAUTHENTICATED'],
        ['NotAHost', `query NotAHost { auditLog(first: 1) { totalCount } }`, {}, resident.token, 'FORBIDDEN'],
        ['BadEmail', `mutation BadEmail { register(input: { email: "not-an-email", password: "correct horse battery staple", displayName: "Somchai", kind: PERSON, locale: th }) { accessToken } }`, {}, undefined, 'BAD_USER_INPUT'],
        ['NoSuchDistrict', `mutation NoSuchDistrict { requestResidency(input: { districtCode: "9999" }) { residency { id } } }`, {}, resident.token, 'NOT_FOUND'],
        ['TooEarly', `mutation TooEarly($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt } } }`, { i: { roundId, choices: [options[0].id], idempotencyKey: 'too-early-1' } }, resident.token, 'VOTING_NOT_OPEN'],
      ];
      for (const [, query, variables, token, code] of refusals) expect((await logged.gql(query, variables, token)).errors?.[0].extensions?.code).toBe(code);

      // A real fault: the database refuses a write the server did not expect to fail.
      await db.query(`CREATE OR REPLACE FUNCTION fail_transition() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`);
      await db.query(`CREATE TRIGGER fail_transition BEFORE INSERT ON proposal_transitions FOR EACH ROW EXECUTE FUNCTION fail_transition()`);
      const fault = await logged.gql(`mutation Fault($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: 'ล้มเหลว', summary: 's', body: 'b', category: 'OTHER' } }, resident.token);
      expect(fault.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');

      const logOf = (name: string) => lines.find((line) => line.msg === 'graphql operation' && line.operationName === name);
      for (const [name, , , , code] of [...refusals, ['Fault', '', {}, undefined, 'INTERNAL_SERVER_ERROR'] as const]) {
        expect({ name, errors: logOf(name)?.errors }).toEqual({ name, errors: [code] });
      }
      const metrics = (await request(logged.http).get('/metrics')).text;
      for (const [, query, , , code] of refusals) {
        expect(metrics).toMatch(new RegExp(`^graphql_errors_total\\{code="${code}"\\} [1-9]`, 'm'));
        const field = /\{ (\w+)/.exec(query)![1];
        expect(metrics).toMatch(new RegExp(`^graphql_requests_total\\{field="${field}",type="${query.split(' ')[0]}",outcome="error"\\} [1-9]$`, 'm'));
      }
      // Only the fault is an internal error: an alert on these fires for it and for nothing else.
      expect(metrics).toMatch(/^graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\} 1$/m);
    } finally {
      await db.query(`DROP TRIGGER IF EXISTS fail_transition ON proposal_transitions`);
      await db.end();
      await logged.stop();
    }
  });

  it('passes every MUST of the GraphQL over HTTP audit suite', async () => {
    const results = await auditServer({ url: `${api.url}/graphql` });
    const failedMusts = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST')).map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failedMusts).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});

describe('documents and variables that would stall the server, on both transports', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  // Each refused with its code, or answered; never timed (bench/scenarios/parsing.ts times them).
  describe.each(TRANSPORTS)('over %s', (transport) => {
    it.each(HOSTILE_DOCUMENTS)('$name: $outcome', async ({ query, variablesJson, outcome: expected }) => {
      const answer = await send(api, transport, { query, variablesJson });
      if (expected === 'answered') {
        expect({ errors: answer.errors, closed: answer.closed, status: answer.status }).toEqual({ errors: undefined, closed: undefined, status: transport === 'http' ? 200 : undefined });
        expect(answer.data).toEqual(expect.any(Object));
      } else {
        expect({ code: outcome(answer), status: answer.status }).toEqual({ code: expected, status: transport === 'http' ? 400 : undefined });
        expect(answer.text).not.toMatch(/\s+at \S+ \(/);
      }
      expect((await request(api.http).get('/health')).status).toBe(200);
    });
  });
});

describe('rate limits', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { RATE_LIMIT_PER_IP: '40', RATE_LIMIT_PER_ACCOUNT: '10', WS_CONNECTIONS_PER_IP: '3', WS_SUBSCRIPTIONS_PER_CONNECTION: '2' } });
    // The windows are whole minutes: the server's clock stands still at the start of one, so that the
    // requests of a test do not straddle two, however long they take.
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    api.server.app.get(Clock).now = () => new Date(minute);
  });
  afterAll(() => api.stop());

  it('answers RATE_LIMITED with a retry-after, per account and per address, and tells the budget in RateLimit headers', async () => {
    const person = await register(api);
    const codes: string[] = [];
    const budgets: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await request(api.http).post('/graphql').set('authorization', `Bearer ${person.token}`).set('content-type', 'application/json').send({ query: '{ me { id } }' });
      codes.push(res.body.errors?.[0]?.extensions?.code ?? 'OK');
      // The account's budget (10 a minute) is tighter than the address's (40): it is the one told.
      budgets.push(`${res.headers['ratelimit-limit']}/${res.headers['ratelimit-remaining']}/${res.headers['ratelimit-reset']}`);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBe(60);
        // The 429 quotes its request id, as every other error does.
        expect(res.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 60, requestId: res.headers['x-request-id'] });
      }
    }
    expect(codes.filter((c) => c === 'OK')).toHaveLength(10);
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // The clock stands at the start of a minute: the window resets in 60 seconds.
    expect(budgets).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0].map((left) => `10/${left}/60`));
    // Someone else, anonymous, is not held back by that account's limit...
    expect((await api.gql('{ district(code: "1001") { code } }')).data?.district.code).toBe('1001');
    // ...until the address itself sends too much.
    let limited: request.Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await request(api.http).post('/graphql').set('content-type', 'application/json').send({ query: '{ districts { code } }' });
      if (res.status === 429) limited = res;
    }
    expect(limited?.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number), requestId: limited?.headers['x-request-id'] });
    expect(limited?.headers).toMatchObject({ 'ratelimit-limit': '40', 'ratelimit-remaining': '0' });
    // Health checks stay reachable for the load balancer.
    expect((await request(api.http).get('/health')).status).toBe(200);
  });

  it('limits WebSocket connections per address and subscriptions per connection', async () => {
    const clients = Array.from({ length: 3 }, () => api.wsClient());
    const sub = new Subscription(clients[0], `subscription { proposalsInDistrictUpdated(districtCode: "1001") { kind } }`);
    const sub2 = new Subscription(clients[0], `subscription { proposalsInDistrictUpdated(districtCode: "1002") { kind } }`);
    const third = new Subscription(clients[0], `subscription { proposalsInDistrictUpdated(districtCode: "1003") { kind } }`);
    const [refused] = await third.waitFor(1);
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    const closed = new Promise<number>((resolve) => {
      const fourth = api.wsClient();
      fourth.on('closed', (event: any) => resolve(event.code));
      clients.push(fourth);
    });
    expect(await closed).toBe(4429);
    sub.close();
    sub2.close();
    await Promise.all(clients.map((c) => c.dispose()));
  });
});

describe('production mode', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => api.stop());

  it('turns off introspection and field suggestions, on HTTP and WebSocket', async () => {
    const introspection = await api.gql('{ __schema { types { name } } }');
    expect(introspection.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await api.gql('{ distrcts { code } }');
    expect(typo.errors?.[0].message).not.toContain('Did you mean');
    const ws = api.wsClient();
    const sub = new Subscription(ws, `subscription { __schema { types { name } } }`);
    const [refused] = await sub.waitFor(1);
    expect(refused.errors?.length).toBeGreaterThan(0);
    await ws.dispose();
  });
});

describe('a WebSocket client that stops reading', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { WS_MAX_QUEUED_EVENTS: '10', COMMENT_RATE_LIMIT: '10000' } });
  });
  afterAll(() => api?.stop());

  const slowConsumersClosed = async () => Number(/graphql_ws_slow_consumers_closed_total (\d+)/.exec((await request(api.http).get('/metrics')).text)?.[1]);

  it('is closed with 4408 rather than buffered without bound, while a reader that keeps up gets every event', async () => {
    const author = await register(api);
    const proposalId = await createPublishedProposal(api, author);
    // Twenty aliases of the body make each event about 300 KB, so a few dozen fill the buffers quickly.
    const bodies = Array.from({ length: 20 }, (_, i) => `b${i}: body`).join(' ');
    const watch = { query: `subscription($s: ID!) { commentAdded(subjectId: $s) { body ${bodies} } }`, variables: { s: proposalId } };
    const readerClient = api.wsClient();
    const reader = await api.listen(() => new Subscription(readerClient, watch.query, watch.variables));

    // The slow client speaks graphql-transport-ws by hand, then stops reading its socket.
    const slow = new WebSocket(api.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    await once(slow, 'open');
    slow.send(JSON.stringify({ type: 'connection_init' }));
    await once(slow, 'message');
    await api.listen(() => slow.send(JSON.stringify({ id: 'slow', type: 'subscribe', payload: watch })), 1);
    const closed = new Promise<number>((resolve) => slow.once('close', (code: number) => resolve(code)));
    slow.pause();

    const body = 'ต้นไม้ให้ร่มเงาตลอดซอย '.repeat(200).slice(0, 5000).trim(); // about 15 KB a message
    let posted = 0;
    while ((await slowConsumersClosed()) === 0) {
      if (posted === 200) throw new Error('the slow client was never closed');
      await postComment(api, author, proposalId, { body });
      posted += 1;
    }
    slow.resume();
    expect(await closed).toBe(4408);
    // The server counts the closed socket's subscription out when it sees the close: read at a pace until it has.
    const open = async () => Number(/graphql_subscriptions_open (\d+)/.exec((await request(api.http).get('/metrics')).text)?.[1]);
    while ((await open()) !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await reader.waitFor(posted);
    expect(reader.events.filter((e) => e.data?.commentAdded.body !== body)).toEqual([]);
    reader.close();
    await readerClient.dispose();
  });
});
