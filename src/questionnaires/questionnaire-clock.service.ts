import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { returnedRows } from '../database/returned-rows';
import { QuestionnaireStatus } from './entities/questionnaire.entity';
import { QuestionnaireResultsLive } from './results/results-live.service';

/**
 * Opens drafts whose opensAt has come and closes open questionnaires whose closesAt has, in one
 * statement: each UPDATE takes only rows still in the status it moves from, and a row another instance
 * moves at the same moment is re-checked by PostgreSQL after its lock and skipped, so with several
 * instances each questionnaire opens once and closes once. A questionnaire due both to open and to
 * close opens in one pass and closes in the next.
 */
const MOVE_DUE = `
  WITH opened AS (
    UPDATE questionnaires SET status = '${QuestionnaireStatus.OPEN}', opened_at = $1, updated_at = $1
     WHERE status = '${QuestionnaireStatus.DRAFT}' AND opens_at <= $1
    RETURNING id, status
  ), closed AS (
    UPDATE questionnaires SET status = '${QuestionnaireStatus.CLOSED}', closed_at = $1, updated_at = $1
     WHERE status = '${QuestionnaireStatus.OPEN}' AND closes_at <= $1
    RETURNING id, status
  )
  SELECT id, status FROM opened UNION ALL SELECT id, status FROM closed`;

/** Every 15 seconds. */
@Injectable()
export class QuestionnaireClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QuestionnaireClock.name);
  private readonly job = new BackgroundJob(() => this.pass(), 15_000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly resultsLive: QuestionnaireResultsLive,
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

  /** The questionnaires this pass moved, with their new status; also what a test running passes side by side counts. */
  async moveDue(): Promise<{ id: string; status: QuestionnaireStatus }[]> {
    return returnedRows<{ id: string; status: QuestionnaireStatus }>(await this.dataSource.query(MOVE_DUE, [this.clock.now()]));
  }

  private async pass(): Promise<void> {
    try {
      const moved = await this.moveDue();
      if (moved.length) this.logger.log(`opened or closed ${moved.length} questionnaires`);
      // Whoever watches the results hears the opening and the closing (the final results).
      for (const { id } of moved) this.resultsLive.publishNow(id);
    } catch (error) {
      this.logger.warn(`questionnaire clock failed: ${(error as Error).message}`);
    }
  }
}
