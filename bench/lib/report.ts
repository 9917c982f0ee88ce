import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MachineDescription } from './machine';
import { Figure, ScenarioResult } from './types';

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  /** Every scenario was asked for (no names on the command line): only such runs become latest.*. */
  complete: boolean;
  machine: MachineDescription;
  scenarios: ScenarioResult[];
  /** Scenarios that failed to run, with their error: a failed scenario is reported, never hidden. */
  failures: { scenario: string; error: string }[];
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function row(f: Figure): string[] {
  const reference = f.reference ? `${formatNumber(f.reference.value)} ${f.unit} (${f.reference.name})` : '';
  const ratio = f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '';
  const target = f.target ? `${f.target}: ${f.met ? 'met' : `**missed**${f.miss ? ` (${f.miss})` : ''}`}` : '';
  return [f.metric, `${formatNumber(f.value)} ${f.unit}`, reference, ratio, target];
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\`${report.quick ? ' (quick sizes: not for quoting)' : ''}, commit ${m.commit}.`,
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}; load average at start ${m.loadAverageAtStart.join(' ')}.`,
    '',
    '| Scenario | Measure | Value | Reference (same run) | Ratio | Target |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of report.scenarios) for (const f of s.figures) lines.push(`| ${s.scenario} | ${row(f).join(' | ')} |`);
  for (const failure of report.failures) lines.push(`| ${failure.scenario} | failed to run: ${failure.error.split('\n')[0]} | | | | |`);
  const notes = report.scenarios.flatMap((s) => s.figures.filter((f) => f.note).map((f) => `- ${s.scenario}, ${f.metric}: ${f.note}`));
  if (notes.length) lines.push('', ...notes);
  lines.push('', 'Ratio: above 1 is ahead of the reference (throughput ÷ reference, or reference latency ÷ ours).');
  return lines.join('\n') + '\n';
}

/** bench/results/<time>.json and .md, and, for a complete full-size run, latest.md / latest.json beside them. */
export function writeReport(dir: string, report: BenchReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-').slice(0, 19);
  const base = `${stamp}${report.quick ? '-quick' : ''}${report.complete ? '' : '-partial'}`;
  const json = JSON.stringify(report, null, 2) + '\n';
  const md = markdown(report);
  writeFileSync(join(dir, `${base}.json`), json);
  writeFileSync(join(dir, `${base}.md`), md);
  if (!report.quick && report.complete) {
    writeFileSync(join(dir, 'latest.json'), json);
    writeFileSync(join(dir, 'latest.md'), md);
  }
  return { json: join(dir, `${base}.json`), md: join(dir, `${base}.md`) };
}
