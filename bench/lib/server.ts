import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withRaisedFileLimit } from './proc';

export const BENCH_AUTH_SECRET = 'bench-secret-bench-secret-bench-secret-01';
export const BENCH_ADMIN_EMAIL = 'admin@bench.example';
export const BENCH_ADMIN_PASSWORD = 'Bench-Curator-Passphrase-2026!';
/**
 * The Redis keys and channels of this run's servers start with it, so that what an earlier run left
 * (the admin's failed-login count, rate windows) does not carry over: four runs in ten minutes were
 * refused the admin's login (RATE_LIMITED).
 */
export const BENCH_REDIS_PREFIX = `bench-${process.pid}-${Date.now()}`;

const ROOT = resolve(__dirname, '..', '..', '..');

export interface SpawnedServer {
  url: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first 200 of /health/ready. */
  readyAfterMs: number;
  /** Resident set size of the server process, in bytes (from /proc). */
  rssBytes(): number;
  stop(): Promise<void>;
}

/** The environment every benchmarked server starts with (production mode, the bench's secrets and admin, limits raised), plus `extra`. */
export function serverEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'production',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    AUTH_SECRET: BENCH_AUTH_SECRET,
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    RATE_LIMIT_PER_IP: '10000000',
    RATE_LIMIT_PER_ACCOUNT: '10000000',
    WS_CONNECTIONS_PER_IP: '1000000',
    WS_MESSAGES_PER_SECOND: '100000',
    COMMENT_RATE_LIMIT: '10000',
    REDIS_PREFIX: BENCH_REDIS_PREFIX,
    ...extra,
  };
}

/**
 * The compiled server (`node dist/src/main.js`, what `npm start` runs after building) in its own
 * process, as production runs it: the load generator must not share its event loop. Rate limits are
 * raised because every benchmark client comes from one address.
 */
export async function spawnServer(options: {
  databaseUrl?: string;
  redisUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  command?: string[];
  /** Raise the soft limit on open files to the hard one (thousands of WebSockets). */
  raiseFileLimit?: boolean;
}): Promise<SpawnedServer> {
  const port = await freePort();
  const started = Date.now();
  const env = serverEnv(port, {
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  });
  // For profiling: BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- cast
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const commandLine = options.command ?? [process.execPath, ...nodeArgs, 'dist/src/main.js'];
  const [command, ...args] = options.raiseFileLimit ? withRaisedFileLimit(commandLine) : commandLine;
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const res = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (res?.status === 200) break;
    if (exited !== null) throw new Error(`the server exited (${exited}) before it was ready:\n${output}`);
    if (Date.now() - started > 120_000) throw new Error(`the server was not ready after 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyAfterMs = Date.now() - started;
  const pid = child.pid!;
  return {
    url,
    port,
    pid,
    readyAfterMs,
    rssBytes: () => rssOf(pid),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}
