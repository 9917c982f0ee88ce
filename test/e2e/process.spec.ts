import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { connect, createServer, Server as NetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase } from '../support/database';
import { Hop } from '../support/hop';

/**
 * The compiled server as an operator runs it (`node dist/src/main.js`, and `npm start` as a service
 * manager runs it): on the embedded database in a data directory of its own, stopped by signals,
 * refusing bad configuration. jest's globalSetup has already built dist/.
 *
 * No wait here has a time limit: each ends on an event (a log line, an exit, an answer), so a busy
 * machine only makes the tests slower. A hang is caught by jest's timeout, HANG.
 */

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const PASSWORD = 'correct horse battery staple';

/** Everything the server reads from the environment: the child gets only what a test gives it. */
const CONFIG_VARIABLES = [
  'NODE_ENV', 'PORT', 'DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'DB_POOL_SIZE', 'REDIS_URL', 'RUN_MIGRATIONS',
  'AUTH_SECRET', 'ACCESS_TOKEN_TTL', 'REFRESH_TOKEN_TTL', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD', 'LOG_LEVEL',
  'SHUTDOWN_GRACE_MS', 'REQUIRE_SERVICES', 'DB_STATEMENT_TIMEOUT_MS',
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
  // Under `npm test`, npm's own variables (npm_config_local_prefix, ...) would point a nested npm at this checkout.
  for (const name of Object.keys(base)) if (/^npm_/i.test(name) || name === 'INIT_CWD') delete base[name];
  return { ...base, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', ...env };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One spawned server: its output so far, and promises for its port and its exit. `npmStart` runs
 * `npm start` in that directory instead of node, in a process group of its own, so that cleaning up
 * ends whatever npm started too.
 */
class ServerProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  /** The process's own exit (npm's, for npmStart). */
  readonly exit: Promise<Exit>;
  /** Its exit once its output has been read to the end (a process it left running holds that open). */
  readonly exited: Promise<Exit>;
  private ended?: Exit;
  private readonly group: boolean;
  private readonly waiters = new Set<() => void>();

  constructor(env: Record<string, string>, launch: { npmStart?: string } = {}) {
    this.group = launch.npmStart !== undefined;
    this.child = launch.npmStart
      ? spawn('npm', ['start'], { cwd: launch.npmStart, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.ended = { code, signal };
        running.delete(this);
        this.wake();
        resolve(this.ended);
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
  async port(): Promise<number> {
    return (await this.logLine('listening')).port as number;
  }

  /** The first log line with this message, once it is written; fails if the process exits first. */
  logLine(msg: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.map(tryJson).find((log) => log?.msg === msg);
        if (line) resolve(line);
        else if (this.ended) reject(new Error(`server exited (${JSON.stringify(this.ended)}) before logging ${msg}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
        else return;
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Whether it began to serve or exited, whichever came first. */
  startedOrExited(): Promise<{ listening: number } | { exit: Exit }> {
    return Promise.race([
      this.port().then(
        (port) => ({ listening: port }),
        () => new Promise<never>(() => undefined), // exited before listening: the other branch answers
      ),
      this.exited.then((exit) => ({ exit })),
    ]);
  }

  async stop(): Promise<Exit> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Ends it at once, and for npmStart everything in its process group. */
  kill(): void {
    try {
      if (this.group) process.kill(-this.child.pid!, 'SIGKILL');
      else this.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * Time limit of the tests that start servers: it only catches a hang. A first start on a new embedded
 * database takes about 8 s on a quiet 2-core machine, a compile about 20 s, and several times that on a
 * busy one.
 */
const HANG = 600_000;

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

/** Whether something accepts connections on the port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether any process is left in the process group that a detached child led. */
function groupAlive(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
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
    server.kill();
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
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(live.headers['x-request-id']).toEqual(expect.any(String));

    const ready = await http(port, 'GET', '/health/ready').response;
    expect(ready.status).toBe(200);
    expect(ready.body.details.database).toMatchObject({ status: 'up' });

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
    const shuttingDown = await server.logLine('shutting down');
    for (const r of requests) r.release();

    const responses = await Promise.all(requests.map((r) => r.response));
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.register.accessToken).toEqual(expect.any(String));
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });

    expect(shuttingDown.inFlight).toBe(6);
    expect(server.stderr).toBe('');
  }, HANG);

  it('on SIGTERM closes open GraphQL WebSockets instead of waiting for them', async () => {
    // A grace period longer than the test's timeout: had the server waited for the socket, the test would hang.
    const server = new ServerProcess({ DATA_DIR: dataDir(), SHUTDOWN_GRACE_MS: String(HANG) });
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
        // graphql-ws acknowledges the connection, not the subscription: the server's count of open ones does.
        while (!/^graphql_subscriptions_open 1$/m.test((await http(port, 'GET', '/metrics').response).body)) await sleep(20);
        errorsBeforeSignal = [...errors];
        server.child.kill('SIGTERM');
      });
    });

    const event = await closed;
    expect(errorsBeforeSignal).toEqual([]); // the subscription was accepted before the signal
    expect(event.code).toBe(1001); // "going away": clients reconnect, to another instance if there is one
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect((await server.logLine('shutting down')).inFlight).toBe(0); // a WebSocket is not a request in flight
    expect(server.stderr).toBe('');
  }, HANG);
});

describe('SIGTERM with a request that does not finish', () => {
  it('answers it SERVICE_UNAVAILABLE (503) once SHUTDOWN_GRACE_MS has passed, and exits 0, though the database never answers', async () => {
    // The database behind a hop that black-holes it: connections stay open, nothing comes back.
    const database = await createTestDatabase();
    const { hop, url } = await Hop.before(database.url, 5432);
    try {
      // No statement timeout: the request would wait for the database forever, so only the grace can end it.
      const server = new ServerProcess({ DATA_DIR: dataDir(), DATABASE_URL: url, DB_POOL_SIZE: database.embedded ? '1' : '10', DB_STATEMENT_TIMEOUT_MS: '0', SHUTDOWN_GRACE_MS: '1000' });
      const port = await server.port();
      const token = await register(port);
      hop.blackHole();

      // Begun (its headers read) when the signal comes; its body, sent after, makes it read the session.
      const stuck = http(port, 'POST', '/graphql', { query: '{ me { id } }' }, { authorization: `Bearer ${token}`, 'accept-language': 'en' }, true);
      await stuck.begun;
      server.child.kill('SIGTERM');
      expect((await server.logLine('shutting down')).inFlight).toBe(1);
      stuck.release();

      const res = await stuck.response;
      expect(res.status).toBe(503);
      expect(res.headers.connection).toBe('close');
      expect(res.body.errors).toEqual([
        { message: 'The server is shutting down: please retry.', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: res.headers['x-request-id'] } },
      ]);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.logs.find((log) => String(log.msg).startsWith('shutdown grace ended'))).toMatchObject({ level: 'warn', answered: 1, graceMs: 1000 });
      expect(server.logs.map((log) => log.msg)).toContain('stopped');
      expect(server.stderr).toBe('');
    } finally {
      await hop.down();
      await database.drop();
    }
  }, HANG);
});

describe('one server per embedded data directory', () => {
  it('refuses a second server on the same DATA_DIR with one line, while the first serves on and keeps its data', async () => {
    const dir = dataDir();
    const first = new ServerProcess({ DATA_DIR: dir });
    const port = await first.port();
    const before = email();
    await register(port, before);

    // The second would have its own copy of the database in memory: what it confirmed, the first never sees.
    const second = new ServerProcess({ DATA_DIR: dir });
    expect(await second.startedOrExited()).toEqual({ exit: { code: 1, signal: null } });
    expect(second.stderr).toBe(`Configuration error: DATA_DIR ${dir} is in use by another process (pid ${first.child.pid}): stop it, or give this server a DATA_DIR of its own\n`);
    expect(second.stdout).not.toMatch(/^\s+at /m);

    const after = email();
    await register(port, after);
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const third = new ServerProcess({ DATA_DIR: dir });
    const thirdPort = await third.port();
    for (const address of [before, after]) {
      const login = await gql(thirdPort, LOGIN, { input: { email: address, password: PASSWORD } });
      expect(login.body.errors).toBeUndefined();
      expect(login.body.data.login.user.email).toBe(address);
    }
    expect(await third.stop()).toEqual({ code: 0, signal: null });
  }, HANG);

  it('starts on a DATA_DIR whose server was killed (kill -9), with its data', async () => {
    const dir = dataDir();
    const first = new ServerProcess({ DATA_DIR: dir });
    const address = email();
    await register(await first.port(), address);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = new ServerProcess({ DATA_DIR: dir });
    const port = await second.port();
    const login = await gql(port, LOGIN, { input: { email: address, password: PASSWORD } });
    expect(login.body.errors).toBeUndefined();
    expect(login.body.data.login.user.email).toBe(address);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  }, HANG);
});

describe('npm start, as a service manager runs it', () => {
  /**
   * A checkout as `git clone` leaves it (no dist/), with the project's installed node_modules, and every
   * node process started in it recorded (its script) in node-starts.log, so that a compile can be seen.
   */
  const clone = (() => {
    let dir: string | undefined;
    return () => {
      if (dir) return dir;
      dir = dataDir();
      const left = new Set(['node_modules', 'dist', 'data', 'coverage', 'bench', '.git']);
      for (const entry of readdirSync(ROOT)) if (!left.has(entry)) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'record-node-start.js'), `require('node:fs').appendFileSync(${JSON.stringify(join(dir, 'node-starts.log'))}, process.argv[1] + '\\n');\n`);
      return dir;
    };
  })();
  const npmEnv = (dir: string, dataDirectory: string) => ({ DATA_DIR: dataDirectory, NODE_OPTIONS: `--require ${join(dir, 'record-node-start.js')}` });
  /** How many times the TypeScript compiler has run in the clone (`nest build`, which runs it in its own process). */
  const compiles = (dir: string) => {
    const log = join(dir, 'node-starts.log');
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((script) => /[\\/](tsc|nest)(\.js)?$/.test(script)).length : 0;
  };

  it('builds a fresh clone, serves, and on SIGTERM to npm finishes the requests in flight and leaves nothing running', async () => {
    const dir = clone();
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    const server = new ServerProcess(npmEnv(dir, dataDir()), { npmStart: dir });
    const port = await server.port();
    expect(compiles(dir)).toBe(1);

    // A registration the server has begun when the service manager signals npm, the process it started.
    const held = http(port, 'POST', '/graphql', { query: REGISTER, variables: registerInput(email()) }, {}, true);
    await held.begun;
    server.child.kill('SIGTERM');
    // npm cannot exit before the server: the server waits for this request, which waits for this line.
    const next = await Promise.race([server.logLine('shutting down').then(() => 'server shutting down'), server.exit.then(() => 'npm exited')]);
    expect(next).toBe('server shutting down');
    held.release();
    const res = await held.response;
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.register.accessToken).toEqual(expect.any(String));

    expect(await server.exit).toEqual({ code: 0, signal: null });
    // Once npm has exited, nothing it started is left: no server answering on the port, no process in its group.
    expect(await portAnswers(port)).toBe(false);
    expect(groupAlive(server.child.pid!)).toBe(false);
    expect(server.lines.map(tryJson).map((log) => log?.msg)).toContain('stopped');
  }, HANG);

  it('does not compile again when nothing changed since the last build', async () => {
    const dir = clone();
    const data = dataDir();
    const first = new ServerProcess(npmEnv(dir, data), { npmStart: dir });
    await first.port();
    first.kill();
    await first.exited;
    const built = compiles(dir);
    expect(built).toBeGreaterThanOrEqual(1);

    const second = new ServerProcess(npmEnv(dir, data), { npmStart: dir });
    const port = await second.port();
    expect((await gql(port, '{ districts { code } }')).body.data.districts).toHaveLength(50);
    expect(compiles(dir)).toBe(built);
  }, HANG);
});

describe('Redis unreachable', () => {
  it('starts without it, says so once, and reports it in readiness while staying in service', async () => {
    // Where Redis should be, something that cuts every connection at once, and counts them: each is a
    // reconnect of the server's, so the test can wait for several instead of for a while.
    let attempts = 0;
    let attempted: () => void = () => undefined;
    const cutter = createServer((socket) => {
      attempts += 1;
      socket.resetAndDestroy();
      attempted();
    });
    await new Promise<void>((resolve) => cutter.listen(0, '127.0.0.1', resolve));
    const attemptsReach = (count: number) => new Promise<void>((resolve) => {
      attempted = () => attempts >= count && resolve();
      attempted();
    });
    try {
      const server = new ServerProcess({ DATA_DIR: dataDir(), REDIS_URL: `redis://127.0.0.1:${(cutter.address() as { port: number }).port}` });
      const port = await server.port();
      expect((await gql(port, '{ districts { code } }')).body.data.districts).toHaveLength(50);
      const ready = await http(port, 'GET', '/health/ready').response;
      expect(ready.status).toBe(200); // queries and mutations work: a load balancer must keep sending them
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.details.database).toMatchObject({ status: 'up' });
      expect(ready.body.details.redis).toEqual({ status: 'degraded', message: expect.stringMatching(/^connection /) });
      await server.logLine('redis unavailable: live updates are paused');
      await attemptsReach(attempts + 6); // both clients (publisher, subscriber) have reconnected, and failed, again
      const outages = server.logs.filter((log) => String(log.msg).startsWith('redis unavailable'));
      expect(outages.length).toBeGreaterThanOrEqual(1);
      expect(outages.length).toBeLessThanOrEqual(2); // once per client
      expect(server.stderr).toBe('');
      expect((await server.stop()).code).toBe(0);
    } finally {
      await new Promise<void>((resolve) => cutter.close(() => resolve()));
    }
  }, HANG);
});

describe('bad configuration', () => {
  /** Runs the server to its exit and checks the operator sees one line naming the variable, and no stack. */
  async function refusesToStart(env: Record<string, string>, variable: string): Promise<string> {
    const server = new ServerProcess({ DATA_DIR: dataDir(), ...env });
    const exit = await server.exited;
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
