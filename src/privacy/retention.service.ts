import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig, RetentionConfig } from '../config/config';

const DAY_MS = 86_400_000;

/**
 * One kind of data the platform stops keeping. `sql` deletes (or empties) the rows that have been
 * finished for longer than `keepDays`: its one parameter, `$1`, is that moment (now minus keepDays).
 */
export interface PurgeRule {
  name: string;
  keepDays: (retention: RetentionConfig) => number;
  sql: string;
}

/** What goes, and when (README, Security: what is kept, why and for how long). A table of secrets or personal data that expires gets its line here. */
export const PURGE_RULES: PurgeRule[] = [
  {
    // A session ends when its last token expires or it is revoked; kept a while so a late refresh is told "this session has ended".
    name: 'ended sessions',
    keepDays: (r) => r.endedSessionsDays,
    sql: `DELETE FROM refresh_tokens t WHERE NOT EXISTS (
            SELECT 1 FROM refresh_tokens l WHERE l.family_id = t.family_id AND ((l.revoked_at IS NULL AND l.expires_at > $1) OR l.revoked_at > $1))`,
  },
  {
    // A reset link works once, for 30 minutes: after that its hash is of no use to anyone.
    name: 'used or expired password reset tokens',
    keepDays: () => 0,
    sql: `DELETE FROM password_reset_tokens WHERE expires_at < $1 OR used_at < $1`,
  },
  {
    name: 'read notifications',
    keepDays: (r) => r.readNotificationsDays,
    sql: `DELETE FROM notifications WHERE read_at IS NOT NULL AND created_at < $1`,
  },
  {
    // The file goes the moment its link expires; the row (which says it expired) later, with the fetched ones.
    name: 'expired export links',
    keepDays: () => 0,
    sql: `UPDATE data_exports SET status = 'EXPIRED', content = NULL WHERE status = 'READY' AND expires_at <= $1`,
  },
  {
    name: 'finished data exports',
    keepDays: (r) => r.finishedExportsDays,
    sql: `DELETE FROM data_exports WHERE status IN ('FETCHED', 'EXPIRED') AND coalesce(fetched_at, expires_at) < $1`,
  },
  {
    // A caller's name and phone let the district call back while it deals with the report; once it is closed
    // (resolved, rejected, forwarded to an agency, merged: no next deadline) they are kept a while, then emptied.
    name: 'callers’ contact on closed reports',
    keepDays: (r) => r.callerContactDays,
    sql: `UPDATE reports SET caller_name = NULL, caller_phone = NULL WHERE (caller_name IS NOT NULL OR caller_phone IS NOT NULL) AND due_at IS NULL AND updated_at < $1`,
  },
];

/** The retention clock job: every hour, each purge rule once. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private readonly job = new BackgroundJob(() => this.pass(), 3_600_000);
  /** Rows each rule removed in the last pass, for the log and the tests. */
  lastPass: Record<string, number> = {};

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Answers once a whole pass begun after the call has run. */
  purge(): Promise<void> {
    return this.job.run();
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    const counts: Record<string, number> = {};
    for (const rule of PURGE_RULES) {
      try {
        const before = new Date(now.getTime() - rule.keepDays(this.config.retention) * DAY_MS);
        const result: unknown = await this.dataSource.query(rule.sql, [before]);
        counts[rule.name] = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
      } catch (error) {
        this.logger.warn(`retention rule "${rule.name}" failed: ${(error as Error).message}`);
      }
    }
    this.lastPass = counts;
    const purged = Object.entries(counts).filter(([, n]) => n > 0);
    if (purged.length > 0) this.logger.log(`retention purged ${purged.map(([name, n]) => `${n} ${name}`).join(', ')}`);
  }
}
