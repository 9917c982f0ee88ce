import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { createServer, Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The compiled server as an operator runs it (`node dist/src/main.js`, as `npm start` does): on the
 * embedded database in a data directory of its own, stopped by signals, refusing bad configuration.
 * jest's globalSetup has already built dist/.
 */

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const PASSWORD = 'correct horse battery staple';

/** Everything the server reads from the environment: the child gets only what a test gives it. */
const CONFIG_VARIABLES = [
  'NODE_ENV', 'PORT', 'DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'DB_POOL_SIZE', 'REDIS_URL', 'RUN_MIGRATIONS',
  'AUTH_SECRET', 'ACCESS_TOKEN_TTL', 'REFRESH_TOKEN_TTL', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD', 'LOG_LEVEL',
  'SHUTDOWN_GRACE_MS', 'REQUIRE_SERVICES',
];

const tempDirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dp-process-'));
  tempDirs.push(dir);
  return dir;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete base[name];
  return { ...base, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', ...env };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One spawned server: its output so far, and promises for its port and its exit. */
class ServerProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      });
    });
  }

  get lines(): string[] {
    return this.stdout.split('\n').filter((line) => line.trim() !== '');
  }

  /** Every stdout line parsed as JSON (fails on one that is not). */
  get logs(): Record<string, unknown>[] {
    return this.lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stdout line is not JSON: ${line}`);
      }
    });
  }

  /** The port from the `listening` log line; fails if the process exits first. */
  async port(timeoutMs = 120_000): Promise<number> {
    return (await this.logLine('listening', timeoutMs)).port as number;
  }

  /** The first log line with this message, once it is written; fails if the process exits first. */
  async logLine(msg: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.map(tryJson).find((log) => log?.msg === msg);
      if (line) return line;
      if (this.exit) throw new Error(`server exited (${JSON.stringify(this.exit)}) before logging ${msg}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`server did not log ${msg} within ${timeoutMs} ms.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await sleep(20);
    }
  }

  /** Resolves with the exit, or rejects when the process is still running after timeoutMs. */
  async exitWithin(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process still running ${timeoutMs} ms later.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<Exit> {
    this.child.kill('SIGTERM');
    return this.exitWithin(10_000);
  }
}

/**
 * Time limits of the tests that start servers: they only catch a hang. A first start on a new embedded
 * database takes about 8 s on a quiet 2-core machine, and several times that on a busy one.
 */
const HANG = 180_000;

const running = new Set<ServerProcess>();

function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * One HTTP request on a connection of its own (no keep-alive pool shared between servers). With
 * `hold`, it asks `Expect: 100-continue`: `begun` resolves on the server's 100 Continue (its handler
 * is running), and the body is sent only on `release()`.
 */
function http(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  hold = false,
): { begun: Promise<void>; release(): void; response: Promise<HttpResponse> } {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let markBegun!: () => void;
  const begun = new Promise<void>((resolve) => (markBegun = resolve));
  let release!: () => void;
  const held = hold && payload ? { 'content-length': String(Buffer.byteLength(payload)), expect: '100-continue' } : {};
  const response = new Promise<HttpResponse>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...held, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (tryJson(text) ?? text) : undefined }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('continue', markBegun);
    release = () => req.end(payload);
    if (hold) req.flushHeaders();
    else release();
  });
  return { begun, release, response };
}

function gql(port: number, query: string, variables?: Record<string, unknown>, token?: string): Promise<HttpResponse> {
  return http(port, 'POST', '/graphql', { query, variables }, token ? { authorization: `Bearer ${token}` } : {}).response;
}

const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id email } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { accessToken user { id email } } }';

let counter = 0;
function email(): string {
  counter += 1;
  return `process.${process.pid}.${counter}.${Date.now()}@example.org`;
}

function registerInput(address: string, displayName = 'Somchai Jaidee') {
  return { input: { email: address, password: PASSWORD, displayName, kind: 'PERSON', locale: 'th' } };
}

async function register(port: number, address = email()): Promise<string> {
  const res = await gql(port, REGISTER, registerInput(address));
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.register.accessToken as string;
}

afterEach(async () => {
  for (const server of [...running]) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the server as a process (npm start)', () => {
  it('serves GraphQL, health and readiness on nothing but the embedded database, logging JSON lines', async () => {
    const server = new ServerProcess({ DATA_DIR: dataDir() });
    const port = await server.port();

    const districts = await gql(port, '{ districts { code } }');
    expect(districts.status).toBe(200);
    expect(districts.body.errors).toBeUndefined();
    expect(districts.body.data.districts).toHaveLength(50);
    expect(districts.headers['x-request-id']).toEqual(expect.any(String));
    expect(districts.headers['x-request-id']).not.toBe('');

    const live = await http(port, 'GET', '/health').response;
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    expect(live.headers['x-request-id']).toEqual(expect.any(String));

    const ready = await http(port, 'GET', '/health/ready').response;
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');

    // A request id the client sends is the one it gets back (so logs and client reports can be matched).
    const traced = await http(port, 'GET', '/health', undefined, { 'x-request-id': 'trace-0123456789' }).response;
    expect(traced.headers['x-request-id']).toBe('trace-0123456789');

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(server.stderr).toBe('');
    const logs = server.logs; // every line is a JSON object
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      expect(log).toEqual(expect.objectContaining({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) }));
    }
    expect(logs.find((log) => log.msg === 'listening')).toMatchObject({ port, database: expect.stringContaining('embedded') });
    expect(logs.map((log) => log.msg)).toEqual(expect.arrayContaining(['received SIGTERM', 'stopped']));
  }, HANG);

  it('keeps its data across a restart on the same data directory', async () => {
    const dir = dataDir();
    const address = email();
    const first = new ServerProcess({ DATA_DIR: dir });
    const token = await register(await first.port(), address);
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = new ServerProcess({ DATA_DIR: dir });
    const port = await second.port();
    const login = await gql(port, LOGIN, { input: { email: address, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.errors).toBeUndefined();
    expect(login.body.data.login.user.email).toBe(address);
    expect(login.body.data.login.accessToken).toEqual(expect.any(String));

    // The signing secret is kept in the data directory too: a token issued before the restart still works.
    const me = await gql(port, '{ me { email } }', undefined, token);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data.me).toEqual({ email: address });

    expect(await second.stop()).toEqual({ code: 0, signal: null });
  }, HANG);

  it('on SIGTERM finishes the requests in flight, then exits 0', async () => {
    const server = new ServerProcess({ DATA_DIR: dataDir() });
    const port = await server.port();
    await register(port); // warms up the code paths, so the ones below are not slowed by first-use work

    // Six registrations the server has begun (it has read their headers) when the signal comes; their
    // bodies arrive after it. Each then hashes a password and writes through the one embedded connection.
    const requests = Array.from({ length: 6 }, () => http(port, 'POST', '/graphql', { query: REGISTER, variables: registerInput(email()) }, {}, true));
    await Promise.all(requests.map((r) => r.begun));
    server.child.kill('SIGTERM');
    const shuttingDown = await server.logLine('shutting down', 10_000);
    for (const r of requests) r.release();

    const responses = await Promise.all(requests.map((r) => r.response));
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.register.accessToken).toEqual(expect.any(String));
    }
    expect(await server.exitWithin(5_000)).toEqual({ code: 0, signal: null });

    expect(shuttingDown.inFlight).toBe(6);
    expect(server.stderr).toBe('');
  }, HANG);

  it('on SIGTERM closes open GraphQL WebSockets instead of waiting for them', async () => {
    const server = new ServerProcess({ DATA_DIR: dataDir() });
    const port = await server.port();
    const token = await register(port);

    const errors: unknown[] = [];
    let errorsBeforeSignal: unknown[] | undefined;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve(event as { code: number; reason: string }) },
      });
      const connected = new Promise<void>((ok) => client.on('connected', () => ok()));
      client.subscribe({ query: 'subscription { residencyUpdated { id } }' }, { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined });
      void connected.then(async () => {
        await sleep(150); // graphql-ws acknowledges the connection, not the subscription
        errorsBeforeSignal = [...errors];
        server.child.kill('SIGTERM');
      });
    });

    const started = Date.now();
    const event = await closed;
    expect(errorsBeforeSignal).toEqual([]); // the subscription was accepted before the signal
    expect(event.code).toBe(1001); // "going away": clients reconnect, to another instance if there is one
    expect(await server.exitWithin(5_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.stderr).toBe('');
  }, HANG);
});

describe('Redis unreachable', () => {
  it('starts without it, says so once, and reports it in readiness while staying in service', async () => {
    const server = new ServerProcess({ DATA_DIR: dataDir(), REDIS_URL: 'redis://127.0.0.1:1' });
    const port = await server.port();
    expect((await gql(port, '{ districts { code } }')).body.data.districts).toHaveLength(50);
    const ready = await http(port, 'GET', '/health/ready').response;
    expect(ready.status).toBe(200); // queries and mutations work: a load balancer must keep sending them
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.redis).toMatch(/^unavailable/);
    await sleep(1_500); // ioredis retries several times meanwhile
    const outages = server.logs.filter((log) => String(log.msg).startsWith('redis unavailable'));
    expect(outages.length).toBeGreaterThanOrEqual(1);
    expect(outages.length).toBeLessThanOrEqual(2); // once per client (publisher, subscriber)
    expect(server.stderr).toBe('');
    expect((await server.stop()).code).toBe(0);
  }, HANG);
});

describe('bad configuration', () => {
  /** Runs the server to its exit and checks the operator sees one line naming the variable, and no stack. */
  async function refusesToStart(env: Record<string, string>, variable: string): Promise<string> {
    const server = new ServerProcess({ DATA_DIR: dataDir(), ...env });
    const exit = await server.exitWithin(20_000);
    const stderrLines = server.stderr.split('\n').filter((line) => line.trim() !== '');
    expect({ exit, stderr: stderrLines }).toEqual({ exit: { code: 1, signal: null }, stderr: [expect.stringMatching(/^Configuration error: /)] });
    expect(stderrLines[0]).toContain(variable);
    expect(server.stderr).toBe(`${stderrLines[0]}\n`);
    expect(server.stdout).not.toMatch(/^\s+at /m);
    expect(server.stderr).not.toMatch(/^\s+at /m);
    return stderrLines[0];
  }

  it.each([
    ['PORT is not a number', { PORT: 'abc' }, 'PORT'],
    ['DATABASE_URL is not a URL', { DATABASE_URL: 'not-a-url' }, 'DATABASE_URL'],
    ['DATABASE_URL cannot be reached', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }, 'DATABASE_URL'],
    ['REDIS_URL is not a redis: URL', { REDIS_URL: 'http://x' }, 'REDIS_URL'],
    ['production has no AUTH_SECRET', { NODE_ENV: 'production' }, 'AUTH_SECRET'],
    ['BOOTSTRAP_ADMIN_EMAIL comes without its password', { BOOTSTRAP_ADMIN_EMAIL: 'admin@district.example' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    ['DATA_DIR cannot be created', { DATA_DIR: '/dev/null/data' }, 'DATA_DIR'],
  ])('stops with one line when %s', async (_case, env, variable) => {
    await refusesToStart(env, variable);
  }, HANG);

  it('stops with one line naming PORT when the port is already in use', async () => {
    const blocker: NetServer = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(0, resolve); // every interface, as the server listens
    });
    try {
      const taken = (blocker.address() as { port: number }).port;
      const line = await refusesToStart({ PORT: String(taken) }, 'PORT');
      expect(line).toBe(`Configuration error: PORT ${taken} is already in use`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, HANG);
});
