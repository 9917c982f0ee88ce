import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BackgroundJob } from '../../common/clock/background-job';
import { QueryCounter } from '../../database/query-counter';
import { Tx } from '../../database/unit-of-work';
import { channel, EventBus } from '../../realtime/event-bus';
import type { Pacing } from '../../realtime/fan-out';

export const QUESTIONNAIRE_RESULTS_UPDATED = 'questionnaireResultsUpdated';
/** At most this many updates a second per questionnaire and instance, however many responses arrive. */
const FLUSH_INTERVAL_MS = 100;
/** Counters of response events are spread over this many rows, so simultaneous responses rarely wait on each other. */
const SHARDS = 16;

/** What crosses the pub/sub: the questionnaire only. Each subscriber's rights and view are read again per event. */
export interface QuestionnaireResultsEvent {
  questionnaireId: string;
}

/** Each event only says "the results changed": under the delivery budget (FanOut) a watcher gets the newest, never a backlog. */
export const RESULTS_UPDATES_PACING: Pacing<QuestionnaireResultsEvent> = { urgent: () => false };

/** Decides whether an update is due (an anonymous questionnaire publishes only whole batches): false to stay silent. */
export type UpdateGate = (questionnaireId: string) => Promise<boolean>;

/**
 * Live results. A response only marks its questionnaire as changed (and counts one response event, the
 * unit of an anonymous questionnaire's batches); a timer publishes each changed questionnaire at most ten
 * times a second, so a burst of responses yields a bounded stream whose last update is exact. Opening and
 * closing publish at once. What a subscriber then receives is read for them, with their rights at that event.
 */
@Injectable()
export class QuestionnaireResultsLive implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QuestionnaireResultsLive.name);
  private readonly dirty = new Set<string>();
  /** Publishes the changed questionnaires ten times a second (a test may stop it and run it by hand). */
  readonly flusher = new BackgroundJob(() => this.flush(), FLUSH_INTERVAL_MS);
  private gate?: UpdateGate;

  constructor(private readonly events: EventBus) {}

  attach(gate: UpdateGate): void {
    this.gate = gate;
  }

  onApplicationBootstrap(): void {
    this.flusher.start();
  }

  onModuleDestroy(): void {
    this.flusher.stop();
  }

  /** Called in the transaction of a response (new or changed): counts the event with it, publishes after commit. */
  async responsesChanged(tx: Tx, questionnaireId: string): Promise<void> {
    await tx.em.query(
      `INSERT INTO questionnaire_result_events (questionnaire_id, shard, count) VALUES ($1, $2, 1)
       ON CONFLICT (questionnaire_id, shard) DO UPDATE SET count = questionnaire_result_events.count + 1`,
      [questionnaireId, Math.floor(Math.random() * SHARDS)],
    );
    tx.afterCommit(() => this.changed(questionnaireId));
  }

  /** Marks a questionnaire's responses as changed: published with the next flush (if a batch is due, for an anonymous one). */
  changed(questionnaireId: string): void {
    this.dirty.add(questionnaireId);
  }

  /** Opened, closed, an answer hidden or shown again: everyone watching hears it at once. */
  stateChanged(tx: Tx, questionnaireId: string): void {
    tx.afterCommit(() => this.publishNow(questionnaireId));
  }

  publishNow(questionnaireId: string): void {
    this.dirty.delete(questionnaireId);
    void QueryCounter.background(() => this.publish(questionnaireId, true));
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) await this.publish(id, false);
  }

  private async publish(questionnaireId: string, always: boolean): Promise<void> {
    try {
      const due = (await this.gate?.(questionnaireId)) ?? true;
      if (!due && !always) return;
      const event: QuestionnaireResultsEvent = { questionnaireId };
      this.events.publish(channel(QUESTIONNAIRE_RESULTS_UPDATED, questionnaireId), event);
    } catch (error) {
      this.logger.warn(`live results of questionnaire ${questionnaireId} failed: ${(error as Error).message}`);
    }
  }
}
