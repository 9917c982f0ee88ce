import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { UNATTACHED_PHOTO_TTL_MS } from './photo-limits';
import { PHOTO_STORAGE, PhotoStorage, photoKeys } from './photo-storage';

/** Photos deleted per transaction: a backlog goes in several short ones. */
const BATCH = 200;

/**
 * The clock job that purges uploads no mutation claimed within UNATTACHED_PHOTO_TTL_MS (a day), files
 * and row together, hourly. Its own job rather than a line of the retention rules (src/privacy) because
 * the files go through the PhotoStorage, which may be outside the database. Safe with several
 * instances: rows are taken with SKIP LOCKED, and a photo being claimed at that moment is skipped.
 */
@Injectable()
export class PhotoPurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PhotoPurge.name);
  private readonly job = new BackgroundJob(() => this.pass(), 3_600_000);
  /** Photos the last pass deleted, for the log and the tests. */
  lastPass = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
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
    const before = new Date(this.clock.now().getTime() - UNATTACHED_PHOTO_TTL_MS);
    let purged = 0;
    try {
      for (;;) {
        const gone = await this.dataSource.transaction(async (em) => {
          const [rows]: [{ id: string }[], number] = await em.query(
            `DELETE FROM photos WHERE id IN (
               SELECT id FROM photos WHERE attached_at IS NULL AND uploaded_at < $1 ORDER BY uploaded_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
             RETURNING id`,
            [before],
          );
          await this.storage.delete(
            rows.flatMap((row) => Object.values(photoKeys(row.id))),
            em,
          );
          return rows.length;
        });
        purged += gone;
        if (gone < BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`purging unattached photos failed: ${(error as Error).message}`);
    }
    this.lastPass = purged;
    if (purged > 0) this.logger.log(`purged ${purged} unattached photo uploads`);
  }
}
