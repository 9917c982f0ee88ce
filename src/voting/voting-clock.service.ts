import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { returnedRows } from '../database/returned-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { RoundStatus, VotingRoundEntity } from './entities/voting.entity';
import { VotingLiveService } from './voting-live.service';
import { VotingRoundsService } from './voting-rounds.service';

/** The clock job of voting: every second, opens the rounds whose time has come and closes those whose time is up. */
@Injectable()
export class VotingClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(VotingClock.name);
  private readonly job = new BackgroundJob(() => this.pass(), 1000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly rounds: VotingRoundsService,
    private readonly live: VotingLiveService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /**
   * Opens and closes rounds when their time comes. Each change is one UPDATE, so with several
   * instances each round moves once. Passes never overlap: called during one, it answers when a
   * whole pass begun after the call has run (so whoever moved the clock sees its effect).
   */
  tick(): Promise<void> {
    return this.job.run();
  }

  private async pass(): Promise<void> {
    try {
      const now = this.clock.now();
      // Opening and its news for the district's followers commit together.
      const opened = await this.unitOfWork.run(async (tx) => {
        const rows = returnedRows<{ id: string; district_code: string; title: string }>(
          await tx.em.query(`UPDATE voting_rounds SET status = 'OPEN', updated_at = now() WHERE status = 'SCHEDULED' AND opens_at <= $1 AND closes_at > $1 RETURNING id, district_code, title`, [now]),
        );
        for (const row of rows) await this.rounds.tellOpened(tx, { id: row.id, districtCode: row.district_code, title: row.title });
        return rows;
      });
      for (const { id } of opened) this.live.publishNow(id);
      const due: { id: string }[] = await this.dataSource.query(`SELECT id FROM voting_rounds WHERE status IN ('OPEN', 'SCHEDULED') AND closes_at <= $1`, [now]);
      for (const { id } of due) {
        await this.unitOfWork.run(async (tx) => {
          const round = await tx.em.findOne(VotingRoundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
          if (!round || (round.status !== RoundStatus.OPEN && round.status !== RoundStatus.SCHEDULED) || round.closesAt.getTime() > now.getTime()) return;
          round.status = RoundStatus.CLOSED;
          await this.rounds.finishCount(tx, round);
        });
      }
    } catch (error) {
      this.logger.warn(`voting schedule check failed: ${(error as Error).message}`);
    }
  }
}
