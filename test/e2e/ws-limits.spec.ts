import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Clock } from '../../src/common/clock/clock';
import { register } from '../support/factories';
import { TestServer } from '../support/test-server';
import { Answer, outcome, send, Transport, TRANSPORTS, WsSession } from '../support/transports';

/**
 * graphql-ws obeys what HTTP obeys (issue 12, items 3, 7, 8, 10 and 15): each case sends what an attacker
 * sent, over the transport named, and most run over both from one list.
 */

const wsUrl = (api: TestServer) => api.url.replace(/^http/, 'ws') + '/graphql';

/** A raw socket speaking graphql-transport-ws that has not (yet) sent `connection_init`, and its close code when it closes. */
async function rawSocket(api: TestServer): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(wsUrl(api), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

describe('graphql-ws message size', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it.each([5, 30])('closes the socket with 1009 on a %i MB message, before reading it as GraphQL', async (megabytes) => {
    const session = await WsSession.open(api);
    const refused = await session.send({ query: '{ __typename }', variables: { pad: 'x'.repeat(megabytes * 1024 * 1024) } });
    expect({ data: refused.data, closed: refused.closed?.code }).toEqual({ data: undefined, closed: 1009 });
    // The server goes on serving, and a message under 1 MB is answered.
    const next = await WsSession.open(api);
    const answer = await next.send({ query: '{ __typename }', variables: { pad: 'x'.repeat(900 * 1024) } });
    expect({ data: answer.data, errors: answer.errors, closed: answer.closed }).toEqual({ data: { __typename: 'Query' }, errors: undefined, closed: undefined });
    next.close();
  });

  it('closes a socket whose first message, before connection_init, is over 1 MB', async () => {
    const { socket, closed } = await rawSocket(api);
    const acknowledged = new Promise<string>((resolve) => socket.once('message', () => resolve('acknowledged')));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await Promise.race([closed, acknowledged])).toBe(1009);
    socket.close();
  });
});

describe('rate limits count graphql-ws operations in the same counters as HTTP', () => {
  let api: TestServer;
  const clock = { now: 0 };
  beforeAll(async () => {
    // The sign-in limits at their defaults (TestServer raises them for the other suites).
    api = await TestServer.start({ env: { RATE_LIMIT_PER_IP: '60', RATE_LIMIT_PER_ACCOUNT: '30', SIGN_IN_LIMIT_PER_EMAIL: '10', SIGN_IN_LIMIT_PER_IP: '30', SIGN_IN_LIMIT_WINDOW: '900' } });
    api.server.app.get(Clock).now = () => new Date(clock.now);
  });
  afterAll(() => api.stop());

  /**
   * Every limit's window starts afresh: the server's clock moves to the start of the next quarter hour
   * (a window of the sign-in limit and of the per-minute ones) and stands still there, so the requests of
   * a case neither straddle two windows nor inherit another case's counts.
   */
  const freshWindows = () => {
    clock.now = (Math.floor(Math.max(clock.now, Date.now()) / 900_000) + 1) * 900_000;
  };

  /** `count` operations sent over `transport`; over graphql-ws, spread over `sockets` connections, all at once. */
  async function sendMany(transport: Transport, count: number, operation: Parameters<typeof send>[2], sockets = 4): Promise<Answer[]> {
    if (transport === 'http') {
      const answers: Answer[] = [];
      for (let i = 0; i < count; i++) answers.push(await send(api, 'http', operation));
      return answers;
    }
    const sessions = await Promise.all(Array.from({ length: sockets }, () => WsSession.open(api, operation.token)));
    try {
      return await Promise.all(Array.from({ length: count }, (_, i) => sessions[i % sockets].send(operation)));
    } finally {
      sessions.forEach((s) => s.close());
    }
  }

  it.each(TRANSPORTS)('refuses password guessing with RATE_LIMITED: 80 wrong-password logins over %s', async (transport) => {
    freshWindows();
    const person = await register(api);
    const guess = { query: `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, variables: { i: { email: person.email, password: 'not-the-password-1' } } };
    const answers = await sendMany(transport, 80, guess);
    const codes = answers.map(outcome);
    // Sign-in has its own limit, stricter than RATE_LIMIT_PER_IP (60): 10 attempts per email per 15 minutes.
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(70);
    expect(answers.find((a) => outcome(a) === 'RATE_LIMITED')?.errors?.[0].extensions?.retryAfter).toBeGreaterThan(0);
    // The right password is refused too until the window ends: the limit counts attempts, not failures.
    const right = await send(api, transport, { ...guess, variables: { i: { email: person.email, password: 'correct horse battery staple' } } });
    expect(outcome(right)).toBe('RATE_LIMITED');
  });

  it.each(TRANSPORTS)('limits sign-in per address too (30 per 15 minutes), whatever the emails, over %s', async (transport) => {
    freshWindows();
    const answers = await sendMany(transport, 40, { query: `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, variables: { i: { email: 'nobody@district.example', password: 'x' } } });
    // Ten per email: the other attempts use other emails, so the address's own limit is what refuses.
    const spread = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send(api, transport, { query: `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, variables: { i: { email: `nobody${i}@district.example`, password: 'x' } } }),
      ),
    );
    expect(answers.map(outcome).filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(10);
    expect(spread.map(outcome).filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(0);
    expect(spread.map(outcome).filter((c) => c === 'RATE_LIMITED')).toHaveLength(30);
  });

  const pairs: [Transport, Transport][] = [
    ['http', 'ws'],
    ['ws', 'http'],
  ];

  it.each(pairs)('an account refused over %s is refused over %s too', async (first, then) => {
    freshWindows();
    const person = await register(api);
    const me = { query: '{ me { id } }', token: person.token };
    const exhausting = await sendMany(first, 31, me);
    expect(exhausting.map(outcome).filter((c) => c === 'RATE_LIMITED')).toHaveLength(1);
    const after = await sendMany(then, 45, me);
    expect(after.map(outcome)).toEqual(Array(45).fill('RATE_LIMITED'));
  });

  it.each(pairs)('an address refused over %s is refused over %s too', async (first, then) => {
    freshWindows();
    const anonymous = { query: '{ __typename }' };
    const exhausting = await sendMany(first, 80, anonymous);
    expect(exhausting.map(outcome).filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
    // Over HTTP the 429 quotes its request id, as every HTTP error does.
    expect((await send(api, then, anonymous)).errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number), ...(then === 'http' && { requestId: expect.any(String) }) });
  });
});

describe('graphql-ws connections and messages', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { WS_CONNECTIONS_PER_IP: '50', WS_MESSAGES_PER_SECOND: '20' } });
    // The messages of a second are counted on the server's clock, which stands still here.
    const now = new Date();
    api.server.app.get(Clock).now = () => now;
  });
  afterAll(() => api.stop());

  it('counts sockets that never send connection_init: of 80 from one address, 30 are closed with 4429', async () => {
    const opened = await Promise.all(Array.from({ length: 80 }, () => rawSocket(api)));
    const closes: number[] = [];
    await new Promise<void>((resolve) => {
      for (const { closed } of opened)
        void closed.then((code) => {
          closes.push(code);
          if (closes.length === 30) resolve();
        });
    });
    expect(closes).toEqual(Array(30).fill(4429));
    // The other 50 are served: each is acknowledged.
    const sockets = opened.map(({ socket }) => socket);
    const open = sockets.filter((s) => s.readyState === s.OPEN);
    expect(open).toHaveLength(50);
    await Promise.all(
      open.map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.once('message', (data) => (JSON.parse(data.toString()).type === 'connection_ack' ? resolve() : reject(new Error(data.toString()))));
            socket.send(JSON.stringify({ type: 'connection_init' }));
          }),
      ),
    );
    sockets.forEach((socket) => socket.close());
    await Promise.all(opened.map(({ closed }) => closed));
  });

  it('rate-limits invalid subscribe messages before parsing them: of 400 sent at once, 20 are read', async () => {
    const session = await WsSession.open(api);
    const answers = await Promise.all(Array.from({ length: 400 }, (_, i) => session.send({ query: i % 2 ? '{ nope }' : '{ districts { code ' })));
    const codes = answers.map(outcome);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(380);
    expect(codes.filter((c) => c === 'GRAPHQL_VALIDATION_FAILED' || c === 'GRAPHQL_PARSE_FAILED')).toHaveLength(20);
    session.close();
  });
});

describe('no "did you mean" suggestions in production', () => {
  let production: TestServer;
  let development: TestServer;
  beforeAll(async () => {
    [production, development] = await Promise.all([TestServer.start({ env: { NODE_ENV: 'production' } }), TestServer.start()]);
  });
  afterAll(() => Promise.all([production.stop(), development.stop()]));

  const typos: [string, { query: string; variables?: Record<string, unknown> }][] = [
    ['a field', { query: '{ districs { code } }' }],
    ['an argument', { query: '{ district(cod: "1001") { code } }' }],
    ['an enum value', { query: '{ proposals(orderBy: NEWES) { totalCount } }' }],
    ['a type', { query: 'query($c: Strin!) { district(code: $c) { code } }', variables: { c: '1001' } }],
    ['an input field', { query: '{ proposals(filter: { districtCod: "1001" }) { totalCount } }' }],
    ['a variable value', { query: 'query($o: ProposalOrder) { proposals(orderBy: $o) { totalCount } }', variables: { o: 'NEWES' } }],
  ];
  const cases = TRANSPORTS.flatMap((transport) => typos.map(([what, operation]) => [transport, what, operation] as const));

  it.each(cases)('over %s, for %s', async (transport, _what, operation) => {
    // The typo is one graphql-js would suggest a correction for (outside production, over HTTP it does).
    expect((await send(development, 'http', operation)).text).toContain('Did you mean');
    const answer = await send(production, transport, operation);
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(answer.text).not.toMatch(/did you mean/i);
  });
});

describe('every line on stdout is one JSON object', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('under what made graphql-ws print: oversized, invalid and deeply nested messages (the compiled server, in production)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dp-ws-limits-'));
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', AUTH_SECRET: 'a-production-secret-of-at-least-32-chars' };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD']) delete env[name];
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const listening = stdout.split('\n').slice(0, -1).find((line) => line.includes('"msg":"listening"'));
        if (listening) resolve(JSON.parse(listening).port as number);
      });
      child.once('close', () => reject(new Error(`the server exited: ${stdout}${stderr}`)));
    });
    const api = { url: `http://127.0.0.1:${port}` } as TestServer;

    const oversized = await WsSession.open(api);
    await oversized.send({ query: '{ __typename }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    oversized.close();

    // A text message that is not UTF-8.
    const invalid = await WsSession.open(api);
    invalid.socket.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    await invalid.whenClosed();

    // Variables nested 5,000 levels deep (40 KB).
    const nested = await WsSession.open(api);
    const answered = new Promise<void>((resolve) => {
      nested.socket.on('message', (data) => JSON.parse(data.toString()).id === 'deep' && resolve());
      nested.socket.once('close', () => resolve());
    });
    nested.sendRaw(`{"id":"deep","type":"subscribe","payload":{"query":"{ __typename }","variables":{"zz":${'['.repeat(5000)}${']'.repeat(5000)}}}}`);
    await answered;
    nested.close();

    child.kill('SIGTERM');
    await exited;
    const lines = stdout.split('\n').filter((line) => line !== '');
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    // What graphql-ws printed to stderr is now a log line like any other.
    expect(lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'websocket protocol error').map((entry) => entry.code)).toEqual(
      expect.arrayContaining(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'WS_ERR_INVALID_UTF8']),
    );
    expect(stderr).not.toMatch(/Internal error|RangeError/);
  });
});
