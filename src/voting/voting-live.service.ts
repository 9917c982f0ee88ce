import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BackgroundJob } from '../common/clock/background-job';
import { toGlobalId } from '../common/relay/global-id';
import { QueryCounter } from '../database/query-counter';
import { Tx } from '../database/unit-of-work';
import { channel, EventBus } from '../realtime/event-bus';
import type { Pacing } from '../realtime/fan-out';
import { VotingRoundEntity } from './entities/voting.entity';
import type { RoundResults } from './vote-counter.service';

export const VOTING_ROUND_UPDATED = 'votingRoundUpdated';
/** At most this many updates a second per round and instance, however many ballots arrive. */
const FLUSH_INTERVAL_MS = 100;

/** What subscribers receive: the same payload for everyone, built once per update. */
export interface VotingRoundUpdate {
  roundId: string;
  status: string;
  turnout: number;
  /** Null while results are hidden (AFTER_CLOSE rounds until closing). */
  results: RoundResults | null;
}

/**
 * Each update is the round as it is now, so under the instance's delivery budget (FanOut) a watcher
 * gets the newest one and never a backlog; a change of state (opening, closing, results) goes out at once.
 */
export const ROUND_UPDATES_PACING: Pacing<VotingRoundUpdate> = { urgent: (previous, next) => previous?.status !== next.status };

export type UpdateBuilder = (roundId: string) => Promise<{ round: VotingRoundEntity; turnout: number; results: RoundResults | null } | null>;

/**
 * Live turnout and tallies. Ballots only mark their round as changed; a timer publishes each changed
 * round at most ten times a second, reading the totals once for all subscribers, so a burst of
 * thousands of ballots yields a bounded stream whose last update is exact.
 */
@Injectable()
export class VotingLiveService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(VotingLiveService.name);
  private readonly dirty = new Set<string>();
  /** Publishes the changed rounds ten times a second (a test stops it to see a burst coalesce). */
  readonly flusher = new BackgroundJob(() => this.flush(), FLUSH_INTERVAL_MS);
  private build?: UpdateBuilder;

  constructor(private readonly events: EventBus) {}

  attach(build: UpdateBuilder): void {
    this.build = build;
  }

  onApplicationBootstrap(): void {
    this.flusher.start();
  }

  onModuleDestroy(): void {
    this.flusher.stop();
  }

  ballotsChanged(tx: Tx, roundId: string): void {
    tx.afterCommit(() => this.dirty.add(roundId));
  }

  stateChanged(tx: Tx, round: VotingRoundEntity): void {
    tx.afterCommit(() => this.publishNow(round.id));
  }

  publishNow(roundId: string): void {
    this.dirty.delete(roundId);
    void QueryCounter.background(() => this.publish(roundId));
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) await this.publish(id);
  }

  private async publish(roundId: string): Promise<void> {
    try {
      const built = await this.build?.(roundId);
      if (!built) return;
      const update: VotingRoundUpdate = { roundId: toGlobalId('VotingRound', roundId), status: built.round.status, turnout: built.turnout, results: built.results };
      this.events.publish(channel(VOTING_ROUND_UPDATED, roundId), update);
    } catch (error) {
      this.logger.warn(`live update of round ${roundId} failed: ${(error as Error).message}`);
    }
  }
}
