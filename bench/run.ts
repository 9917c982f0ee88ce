import { resolve } from 'node:path';
import { describeMachine } from './lib/machine';
import { BenchReport, markdown, writeReport } from './lib/report';
import { BenchContext, Scenario } from './lib/types';
import { cast } from './scenarios/cast';
import { fanOut } from './scenarios/fan-out';
import { followers } from './scenarios/followers';
import { parsing } from './scenarios/parsing';
import { questionnaireResults } from './scenarios/questionnaire-results';
import { results } from './scenarios/results';
import { reading } from './scenarios/reading';
import { reports } from './scenarios/reports';
import { startUp } from './scenarios/start-up';

const SCENARIOS: Scenario[] = [cast, fanOut, results, reading, startUp, parsing, reports, followers, questionnaireResults];

/**
 * `npm run bench [-- <scenario>...] [-- --quick]`: every scenario (or the named ones) against the
 * PostgreSQL of BENCH_DATABASE_URL and the Redis of REDIS_URL, then the table, printed and written to
 * bench/results/.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const chosen = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
  const ctx: BenchContext = {
    postgresUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    quick,
    log: (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  };
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    quick,
    complete: names.length === 0,
    machine: await describeMachine(ctx.postgresUrl, ctx.redisUrl),
    scenarios: [],
    failures: [],
  };
  for (const scenario of chosen) {
    ctx.log(`${scenario.name}: starting`);
    try {
      report.scenarios.push(await scenario.run(ctx));
      ctx.log(`${scenario.name}: done`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.log(`${scenario.name}: FAILED ${message}`);
      report.failures.push({ scenario: scenario.name, error: message });
    }
  }
  report.finishedAt = new Date().toISOString();
  const written = writeReport(resolve(__dirname, '..', '..', 'bench', 'results'), report);
  process.stdout.write('\n' + markdown(report) + `\nWritten to ${written.md} and ${written.json}\n`);
  if (report.failures.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
