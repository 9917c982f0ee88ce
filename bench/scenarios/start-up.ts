import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabase } from '../lib/database';
import { freePort, serverEnv } from '../lib/server';
import { nowMs, round } from '../lib/stats';
import { Figure, Scenario } from '../lib/types';

const ROOT = resolve(__dirname, '..', '..', '..');

type Command = 'node' | 'npm';
type Store = 'embedded' | 'postgres';
type Start = 'first' | 'second';

/**
 * 5. Start-up: from spawning the server to its first 200 on /health/ready, on the embedded database
 * (no DATABASE_URL, a fresh DATA_DIR) and on PostgreSQL (a fresh database), each a first start
 * (migrations run) and a second start on the same data; each started as `node dist/src/main.js`
 * (the server's own start) and as `npm start` (whose scripts/start.js finds dist up to date after the warm
 * build, and compiles nothing). Issue 17's target: the second `npm start` on the embedded database
 * ready in under 3 s.
 */
const TARGET_S = 3;
export const startUp: Scenario = {
  name: 'start-up',
  async run(ctx) {
    const repeats = ctx.quick ? 1 : 3;
    const cleanup: (() => Promise<void>)[] = [];
    const samples: Record<string, number[]> = {};
    try {
      // A warm build: `npm start`'s prestart then only checks that dist is up to date.
      const buildStarted = nowMs();
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
      const warmingBuildMs = nowMs() - buildStarted;
      for (let r = 0; r < repeats; r++) {
        for (const command of ['node', 'npm'] as Command[]) {
          for (const store of ['embedded', 'postgres'] as Store[]) {
            let env: Record<string, string>;
            let drop: () => Promise<void>;
            if (store === 'embedded') {
              const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
              env = { DATA_DIR: dir };
              drop = async () => rmSync(dir, { recursive: true, force: true });
            } else {
              const db = await createDatabase(ctx.postgresUrl, 'start');
              env = { DATABASE_URL: db.url, REDIS_URL: ctx.redisUrl, DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-start-pg-')) };
              const dir = env.DATA_DIR;
              drop = async () => {
                await db.drop();
                rmSync(dir, { recursive: true, force: true });
              };
            }
            cleanup.push(drop);
            for (const start of ['first', 'second'] as Start[]) {
              const ms = await timeStart(command, env);
              (samples[`${command}/${store}/${start}`] ??= []).push(ms);
              ctx.log(`start-up: ${command} ${store} ${start} start ready after ${ms.toFixed(0)} ms`);
            }
            await drop();
            cleanup.splice(cleanup.indexOf(drop), 1);
          }
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const m = (command: Command, store: Store, start: Start) => median(samples[`${command}/${store}/${start}`]);
      const figures: Figure[] = [];
      for (const command of ['node', 'npm'] as Command[]) {
        for (const start of ['first', 'second'] as Start[]) {
          const embedded = m(command, 'embedded', start);
          const postgres = m(command, 'postgres', start);
          const what = command === 'node' ? '`node dist/src/main.js`' : '`npm start` (warm build)';
          const targeted = command === 'npm' && start === 'second';
          const seconds = round(embedded / 1000, 2);
          figures.push({
            metric: `${what}, ${start === 'first' ? 'first start (migrations)' : 'second start'}, embedded database`,
            value: seconds,
            unit: 's',
            reference: { name: 'the same on PostgreSQL', value: round(postgres / 1000, 2) },
            ratio: round(postgres / embedded, 3),
            ...(targeted
              ? { target: `< ${TARGET_S} s`, met: seconds < TARGET_S, ...(seconds < TARGET_S ? {} : { miss: `${seconds} s, ${round(seconds - TARGET_S, 2)} s over` }) }
              : {}),
            ...(command === 'node' && start === 'first'
              ? { note: `median of ${repeats}; spawn → first 200 on /health/ready, polled every 10 ms. PostgreSQL runs with REDIS_URL set, the embedded database without (its usual set-up: nothing else to run). npm start = npm, then node running scripts/start.js (it checks that dist/ is built from the sources as they are now, by the files' stats recorded at the last check, compiles nothing when they match, and runs the server in the same process)` }
              : {}),
          });
        }
      }
      return {
        scenario: '5. Start-up',
        figures,
        details: { repeats, warmingBuildMs: round(warmingBuildMs, 0), samplesMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((x) => round(x, 0))])) },
      };
    } finally {
      for (const step of cleanup.reverse()) await step().catch((error: unknown) => ctx.log(`start-up: cleanup failed: ${String(error)}`));
    }
  },
};

/** Spawns the server in its own process group, waits for ready, stops the whole group; returns the milliseconds to ready. */
async function timeStart(command: Command, extraEnv: Record<string, string>): Promise<number> {
  const port = await freePort();
  const env = serverEnv(port, extraEnv);
  const [file, args] = command === 'node' ? [process.execPath, ['dist/src/main.js']] : ['npm', ['start', '--silent']];
  const started = nowMs();
  const child: ChildProcess = spawn(file, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  try {
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      if (res?.status === 200) return nowMs() - started;
      if (exited !== null) throw new Error(`${command} start exited (${exited}) before ready:\n${output}`);
      if (nowMs() - started > 180_000) throw new Error(`${command} start: not ready after 180 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      // The whole group: npm and the node it started.
      process.kill(-child.pid!, 'SIGTERM');
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 15_000).unref();
    });
    // npm may exit before its child: wait until the port is free again.
    for (let i = 0; i < 300 && (await fetch(`http://127.0.0.1:${port}/health/live`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
  }
}
