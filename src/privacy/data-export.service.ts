import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { returnedRows } from '../database/returned-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { exportContents } from './data-export.contents';
import { DataExportEntity, DataExportStatus } from './entities/data-export.entity';

/** Where a one-time download link points: GET /exports/<token>. */
export const EXPORTS_PATH = 'exports';

export function hashExportToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The file fetched through a link, and what to name it. */
export interface ExportFile {
  filename: string;
  content: string;
}

/**
 * Access and portability (PDPA): an account asks for a copy of everything held about it; a background
 * job writes it; the account fetches it once through a link whose token only it was given.
 */
@Injectable()
export class DataExportService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DataExportService.name);
  private readonly job = new BackgroundJob(() => this.preparePending(), 2000);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Answers once a whole pass of the job begun after the call has run: every export asked for by then is ready. */
  prepare(): Promise<void> {
    return this.job.run();
  }

  /** One export at a time per account: a second while one is being prepared is refused. */
  async request(rc: RequestContext): Promise<{ dataExport: DataExportEntity; downloadPath: string }> {
    const viewer = rc.requireViewer();
    const token = randomBytes(32).toString('base64url');
    const dataExport = await this.unitOfWork.run(async (tx) => {
      // Serialises an account's requests, so two at once cannot both pass the check below.
      await tx.em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [viewer.id]);
      const preparing = await tx.em.countBy(DataExportEntity, { userId: viewer.id, status: DataExportStatus.PREPARING });
      if (preparing > 0) throw AppError.conflict(msg('privacy.errors.exportInProgress'));
      const row = await tx.em.save(
        tx.em.create(DataExportEntity, { userId: viewer.id, status: DataExportStatus.PREPARING, tokenHash: hashExportToken(token), requestedAt: this.clock.now() }),
      );
      tx.afterCommit(() => void this.job.run());
      return row;
    });
    auditAbout({ subject: toGlobalId('DataExport', dataExport.id) });
    return { dataExport, downloadPath: `/${EXPORTS_PATH}/${token}` };
  }

  /** The account's own export, or null (someone else's is as good as absent). */
  async findOwn(rc: RequestContext, id: string): Promise<DataExportEntity | null> {
    if (!rc.viewer) return null;
    return this.dataSource.getRepository(DataExportEntity).findOneBy({ id, userId: rc.viewer.id });
  }

  /** The account's exports, newest first (the retention job removes finished ones after a while). */
  async listOwn(rc: RequestContext): Promise<DataExportEntity[]> {
    const viewer = rc.requireViewer();
    return this.dataSource.getRepository(DataExportEntity).find({ where: { userId: viewer.id }, order: { requestedAt: 'DESC', id: 'DESC' }, take: 20 });
  }

  /**
   * The file behind a link, once: the same statement that hands it out marks it fetched and drops it, so
   * two fetches at once cannot both have it. A link presented with the credentials of another account is
   * as good as unknown, and is not used up.
   */
  async fetchOnce(token: string, presentedBy: string | null): Promise<ExportFile> {
    const hash = hashExportToken(token);
    const now = this.clock.now();
    const rows = returnedRows<{ content: string; requested_at: Date }>(
      await this.dataSource.query(
        `WITH fetched AS (
           SELECT id, content FROM data_exports
            WHERE token_hash = $1 AND status = 'READY' AND expires_at > $2 AND ($3::uuid IS NULL OR user_id = $3::uuid)
            FOR UPDATE)
         UPDATE data_exports d SET status = 'FETCHED', fetched_at = $2, content = NULL FROM fetched WHERE d.id = fetched.id
         RETURNING fetched.content, d.requested_at`,
        [hash, now, presentedBy],
      ),
    );
    if (rows.length === 1) {
      return { filename: `data-export-${rows[0].requested_at.toISOString().slice(0, 10)}.json`, content: rows[0].content };
    }
    const row = await this.dataSource.getRepository(DataExportEntity).findOneBy({ tokenHash: hash });
    if (!row || (presentedBy !== null && row.userId !== presentedBy)) throw new AppError(ErrorCode.NOT_FOUND, msg('privacy.errors.exportLinkUnknown'));
    if (row.status === DataExportStatus.PREPARING) throw AppError.illegalState(msg('privacy.errors.exportNotReady'));
    if (row.status === DataExportStatus.FETCHED) throw new AppError(ErrorCode.GONE, msg('privacy.errors.exportAlreadyFetched'));
    throw new AppError(ErrorCode.GONE, msg('privacy.errors.exportExpired'));
  }

  /** One pass of the job: writes every export asked for, each in its own transaction (several instances share the work). */
  private async preparePending(): Promise<void> {
    try {
      for (;;) {
        const done = await this.unitOfWork.run(async ({ em }) => {
          const [next]: { id: string; user_id: string }[] = await em.query(
            `SELECT id, user_id FROM data_exports WHERE status = 'PREPARING' ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          );
          if (!next) return true;
          const now = this.clock.now();
          const content = JSON.stringify(await exportContents(em, next.user_id, now), null, 2);
          const expiresAt = new Date(now.getTime() + this.config.retention.exportLinkHours * 3_600_000);
          await em.update(DataExportEntity, { id: next.id }, { status: DataExportStatus.READY, content, readyAt: now, expiresAt });
          return false;
        });
        if (done) return;
      }
    } catch (error) {
      this.logger.warn(`preparing data exports failed: ${(error as Error).message}`);
    }
  }
}
