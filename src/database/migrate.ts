import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** Arbitrary but fixed: the advisory lock every instance takes before migrating. */
const MIGRATION_LOCK = 73_021_001;

/**
 * Applies pending migrations. On a real PostgreSQL several instances may boot at once, so they take
 * an advisory lock on a connection of their own first: one migrates, the others wait and find nothing
 * left to do.
 */
export async function runMigrations(dataSource: DataSource, url: string, embedded: boolean): Promise<string[]> {
  if (embedded) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
