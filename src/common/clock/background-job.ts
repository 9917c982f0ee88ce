import { QueryCounter } from '../../database/query-counter';

/**
 * Work that runs by itself every `intervalMs` (while started), one pass at a time. `run()` answers once
 * a whole pass begun after the call has run, so whoever changed something (moved the clock, wrote an
 * entry) can await its effect instead of waiting for the timer; a test that must choose when passes
 * run stops the timer meanwhile. Passes report their own failures.
 */
export class BackgroundJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private queued?: Promise<void>;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  run(): Promise<void> {
    if (!this.running) {
      // Background work: its SQL is not counted against the requests under way (QueryCounter).
      this.running = QueryCounter.background(() => this.pass()).then(
        () => undefined,
        () => undefined,
      );
      void this.running.then(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.run();
    });
    return this.queued;
  }
}
