import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { returnedRows } from '../database/returned-rows';
import { ReportLive, ReportQueueUpdateKind, ReportUpdateKind } from './report-live';

/**
 * Marks open reports whose next deadline has passed, and records each missed deadline once in
 * report_breaches (which statistics count), in one statement: the UPDATE takes only reports not marked
 * yet, and a row another instance marks at the same moment is re-checked by PostgreSQL after its lock
 * and skipped, so with several instances each breach is recorded, and announced, once.
 */
const MARK_BREACHES = `
  WITH marked AS (
    UPDATE reports SET overdue_since = due_at
     WHERE due_at <= $1 AND overdue_since IS NULL
    RETURNING id, status, district_code, category_code, due_at
  )
  INSERT INTO report_breaches (report_id, kind, district_code, category_code, due_at, breached_at)
  SELECT id, CASE WHEN status = 'RECEIVED' THEN 'ACCEPT' ELSE 'RESOLVE' END, district_code, category_code, due_at, $1 FROM marked
  ON CONFLICT ON CONSTRAINT "UQ_report_breaches_deadline" DO NOTHING
  RETURNING report_id, district_code`;

/** Every 15 seconds: deadlines are hours long, so a breach is marked well within its minute. */
@Injectable()
export class ReportDeadlineClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportDeadlineClock.name);
  private readonly job = new BackgroundJob(() => this.pass(), 15_000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: ReportLive,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Runs a pass; answers once a whole pass begun after the call has run (see BackgroundJob). */
  tick(): Promise<void> {
    return this.job.run();
  }

  /** The breaches this pass recorded; also what a test running passes side by side counts. */
  async markBreaches(): Promise<{ reportId: string; districtCode: string }[]> {
    const rows = returnedRows<{ report_id: string; district_code: string }>(await this.dataSource.query(MARK_BREACHES, [this.clock.now()]));
    const breaches = rows.map((row) => ({ reportId: row.report_id, districtCode: row.district_code }));
    // The statement committed on its own: its news can go out now.
    this.live.publish(
      ...breaches.map((b) => ({ reportId: b.reportId, districtCode: b.districtCode, update: ReportUpdateKind.BREACHED, queues: [[b.districtCode, ReportQueueUpdateKind.BREACHED]] as [string, ReportQueueUpdateKind][] })),
    );
    return breaches;
  }

  private async pass(): Promise<void> {
    try {
      const breaches = await this.markBreaches();
      if (breaches.length) this.logger.log(`marked ${breaches.length} missed report deadlines`);
    } catch (error) {
      this.logger.warn(`report deadline check failed: ${(error as Error).message}`);
    }
  }
}
