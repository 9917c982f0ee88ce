import { AsyncLocalStorage } from 'node:async_hooks';
import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';

/**
 * Counts the SQL statements TypeORM sends for requests. Tests read it to prove that a page of N items
 * costs a bounded number of queries; production ignores it (incrementing a number is all it does).
 * Background jobs (timers) run inside `QueryCounter.background`, so they do not blur the count.
 */
export class QueryCounter extends AbstractLogger {
  static count = 0;
  private static readonly backgroundScope = new AsyncLocalStorage<true>();

  static background<T>(work: () => Promise<T>): Promise<T> {
    return QueryCounter.backgroundScope.run(true, work);
  }

  override logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (!QueryCounter.backgroundScope.getStore()) QueryCounter.count += 1;
  }

  protected override writeLog(_level: LogLevel, _message: LogMessage | LogMessage[] | string | number, _queryRunner?: QueryRunner): void {
    // Errors reach the GraphQL error formatter, which logs them with the request id.
  }
}
