import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BackgroundJob } from '../common/clock/background-job';
import { AnnouncementEntity } from './announcement.entity';
import { AnnouncementsService } from './announcements.service';

/** Every 15 seconds: publishes the scheduled announcements whose time has come (once each, whatever the number of instances). */
@Injectable()
export class AnnouncementClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AnnouncementClock.name);
  private readonly job = new BackgroundJob(() => this.pass(), 15_000);

  constructor(private readonly announcements: AnnouncementsService) {}

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

  /** The announcements this pass published; also what a test running passes side by side counts. */
  publishDue(): Promise<AnnouncementEntity[]> {
    return this.announcements.publishDue();
  }

  private async pass(): Promise<void> {
    try {
      const published = await this.publishDue();
      if (published.length) this.logger.log(`published ${published.length} scheduled announcements`);
    } catch (error) {
      this.logger.warn(`scheduled announcements check failed: ${(error as Error).message}`);
    }
  }
}
