import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { loadConfig } from '../config/config';
import { EmbeddedPostgres } from './embedded-postgres';
import { ENTITIES } from './entities';
import { QueryCounter } from './query-counter';

/**
 * The one description of the database, used by the server (through Nest) and by the TypeORM CLI.
 * The schema comes only from migrations: synchronize is off everywhere.
 */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
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
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}

/**
 * For the TypeORM CLI (`npm run migration:generate`, `migration:revert`): DATABASE_URL, or the
 * embedded database under DATA_DIR. Lazy, so that importing this file starts nothing.
 */
async function openCliDataSource(): Promise<DataSource> {
  const config = loadConfig();
  // The CLI shows what it does, unlike the server, whose logger only counts queries.
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
