import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { returnedRows } from '../database/returned-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { QuestionnaireStatus } from './entities/questionnaire.entity';
import { QuestionnairesService } from './questionnaires.service';
import { QuestionnaireResultsLive } from './results/results-live.service';

/**
 * Opens drafts whose opensAt has come and closes open questionnaires whose closesAt has, in one
 * statement: each UPDATE takes only rows still in the status it moves from, and a row another instance
 * moves at the same moment is re-checked by PostgreSQL after its lock and skipped, so with several
 * instances each questionnaire opens once and closes once. A questionnaire due both to open and to
 * close opens in one pass and closes in the next. The statement and the news of the ones it opened
 * (QuestionnairesService.tellOpened) commit together.
 */
const MOVE_DUE = `
  WITH opened AS (
    UPDATE questionnaires SET status = '${QuestionnaireStatus.OPEN}', opened_at = $1, updated_at = $1
     WHERE status = '${QuestionnaireStatus.DRAFT}' AND opens_at <= $1
    RETURNING id, status, district_code, title_th, title_en
  ), closed AS (
    UPDATE questionnaires SET status = '${QuestionnaireStatus.CLOSED}', closed_at = $1, updated_at = $1
     WHERE status = '${QuestionnaireStatus.OPEN}' AND closes_at <= $1
    RETURNING id, status, district_code, title_th, title_en
  )
  SELECT * FROM opened UNION ALL SELECT * FROM closed`;

/** Every 15 seconds. */
@Injectable()
export class QuestionnaireClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QuestionnaireClock.name);
  private readonly job = new BackgroundJob(() => this.pass(), 15_000);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly questionnaires: QuestionnairesService,
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
    return this.unitOfWork.run(async (tx) => {
      const moved = returnedRows<{ id: string; status: QuestionnaireStatus; district_code: string; title_th: string; title_en: string | null }>(
        await tx.em.query(MOVE_DUE, [this.clock.now()]),
      );
      for (const row of moved) {
        if (row.status === QuestionnaireStatus.OPEN) await this.questionnaires.tellOpened(tx, { id: row.id, districtCode: row.district_code, titleTh: row.title_th, titleEn: row.title_en });
      }
      return moved.map(({ id, status }) => ({ id, status }));
    });
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
