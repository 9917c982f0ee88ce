import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { loadConfig } from '../config/config';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { startServer } from '../server';

/** `npm run schema:write`: regenerates the committed schema.gql from the code-first schema. */
async function main(): Promise<void> {
  const database = await EmbeddedPostgres.start();
  const server = await startServer(loadConfig({ NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, DB_POOL_SIZE: '1', LOG_LEVEL: 'warn' }));
  try {
    const file = resolve(__dirname, '../../../schema.gql');
    writeFileSync(file, printSchema(server.app.get(GraphQLSchemaHost).schema) + '\n');
    process.stdout.write(`wrote ${file}\n`);
  } finally {
    await server.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
