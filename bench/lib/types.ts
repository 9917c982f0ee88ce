/** One number of the benchmark table, beside the reference measured in the same run. */
export interface Figure {
  /** What was measured, e.g. "castBallot throughput". */
  metric: string;
  value: number;
  unit: string;
  /** The reference measured in the same run (raw pg, bare ws, PostGraphile...). */
  reference?: { name: string; value: number };
  /** value / reference.value when higher is better; reference.value / value when lower is better, so >1 means ahead of the reference. */
  ratio?: number;
  /** The target this figure is designed for, in words ("≥ 0.60 × raw pg", "p99 < 250 ms"). */
  target?: string;
  /** Whether the target was met; absent when the figure has no target. */
  met?: boolean;
  /** How far from the target, in words, when missed ("0.42 × raw pg, 18 points short"). */
  miss?: string;
  note?: string;
}

export interface ScenarioResult {
  /** "1. Casting ballots" and so on. */
  scenario: string;
  figures: Figure[];
  /** Everything else worth keeping in the JSON: parameters, counts, raw latency summaries. */
  details: Record<string, unknown>;
}

export interface BenchContext {
  /** A PostgreSQL URL whose role may CREATE DATABASE (each scenario makes its own databases and drops them). */
  postgresUrl: string;
  redisUrl: string;
  /** --quick: smaller sizes, for trying the harness; the README only quotes full runs. */
  quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  /** Short name used on the command line: `npm run bench -- cast`. */
  name: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
