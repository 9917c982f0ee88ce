import 'reflect-metadata';
import { AfterQueryEvent, DataSource, DataSourceOptions, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { loadConfig } from '../config/config';
import { EmbeddedPostgres } from './embedded-postgres';
import { ENTITIES } from './entities';
import { QueryCounter } from './query-counter';

/** How much longer than the statement timeout the server waits before deciding the database will not answer. */
export const UNANSWERED_MARGIN_MS = 1_000;

/**
 * The message of pg's client-side timeout (`query_timeout`): the database did not answer at all, not
 * even to cancel the statement at its own timeout.
 */
export const UNANSWERED_QUERY = 'Query read timeout';

/**
 * A connection whose statement got no answer in time is closed: pg keeps waiting on it otherwise (it
 * sends nothing more until the answer comes), so every later user of that pooled connection would wait
 * too. pg's `end()` destroys the socket of a connection with a statement under way; the pool then
 * drops it and opens a new one when needed.
 */
export class UnansweredConnectionCloser implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (event.success || (event.error as Error | undefined)?.message !== UNANSWERED_QUERY) return;
    endConnectionOf(event.queryRunner);
  }
}

/** Ends the pg connection a query runner holds: at once, cutting its statement, if one is under way. */
function endConnectionOf(queryRunner: QueryRunner): void {
  const connection = (queryRunner as unknown as { databaseConnection?: { end(): Promise<void> } }).databaseConnection;
  void connection?.end().catch(() => undefined);
}

/**
 * At the end of a shutdown's grace: ends the connections requests still hold, cutting their statements,
 * so that closing the pool (which waits for every connection to come back) does not wait for a database
 * that may never answer. Their requests have already been answered.
 */
export function endConnectionsInUse(dataSource: DataSource): void {
  const inUse = (dataSource.driver as unknown as { connectedQueryRunners?: QueryRunner[] }).connectedQueryRunners ?? [];
  for (const queryRunner of [...inUse]) endConnectionOf(queryRunner);
}

/**
 * The one description of the database, used by the server (through Nest) and by the TypeORM CLI.
 * The schema comes only from migrations: synchronize is off everywhere.
 *
 * `statementTimeoutMs` (0: none) bounds every statement twice: PostgreSQL cancels it then
 * (`statement_timeout`, SQLSTATE 57014), and if the database does not answer at all (a hung host, a
 * network that drops packets) pg gives up UNANSWERED_MARGIN_MS later (`query_timeout`). The embedded
 * database ignores `statement_timeout` (it cannot interrupt itself), so only the second applies there.
 */
export function dataSourceOptions(url: string, poolSize: number, statementTimeoutMs = 0): DataSourceOptions {
  const timeouts = statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + UNANSWERED_MARGIN_MS } : {};
  return {
    type: 'postgres',
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension is needed (PGlite included).
    uuidExtension: 'pgcrypto',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['query'],
    logger: new QueryCounter(),
    subscribers: [UnansweredConnectionCloser],
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, ...timeouts },
  };
}

/**
 * For the TypeORM CLI (`npm run migration:generate`, `migration:revert`): DATABASE_URL, or the
 * embedded database under DATA_DIR. Lazy, so that importing this file starts nothing.
 */
async function openCliDataSource(): Promise<DataSource> {
  const config = loadConfig();
  // The CLI shows what it does, unlike the server, whose logger only counts queries. No statement
  // timeout: a migration may rightly take long (an index on a large table).
  const cliOptions = (url: string) => ({ ...dataSourceOptions(url, 1), logger: 'advanced-console' as const });
  if (config.databaseUrl) return new DataSource(cliOptions(config.databaseUrl));
  const embedded = await EmbeddedPostgres.start(config.dataDir);
  const dataSource = new DataSource(cliOptions(embedded.url));
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await embedded.stop();
  };
  return dataSource;
}

export const cliDataSource: PromiseLike<DataSource> = {
  then: (onfulfilled, onrejected) => openCliDataSource().then(onfulfilled, onrejected),
};
