import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';

/**
 * Counts the SQL statements TypeORM sends. Tests read it to prove that a page of N items costs a
 * bounded number of queries; production ignores it (incrementing a number is all it does).
 */
export class QueryCounter extends AbstractLogger {
  static count = 0;

  override logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    QueryCounter.count += 1;
  }

  protected override writeLog(_level: LogLevel, _message: LogMessage | LogMessage[] | string | number, _queryRunner?: QueryRunner): void {
    // Errors reach the GraphQL error formatter, which logs them with the request id.
  }
}
