import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction in progress: its entity manager, and work to do only once it has committed. */
export interface Tx {
  em: EntityManager;
  /** Runs after commit (events to publish, for instance); never runs if the transaction rolls back. */
  afterCommit(action: () => unknown): void;
}

/**
 * One mutation is one transaction. Services run their writes through `run`, and publish their
 * events through `afterCommit`, so nobody hears of a change that was rolled back.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const actions: (() => unknown)[] = [];
    const result = await this.dataSource.transaction((em) => work({ em, afterCommit: (action) => actions.push(action) }));
    for (const action of actions) {
      try {
        await action();
      } catch (error) {
        this.logger.error(error instanceof Error ? error : String(error), 'after-commit action failed');
      }
    }
    return result;
  }
}
