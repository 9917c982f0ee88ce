import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { DataSource } from 'typeorm';
import { TestServer } from '../support/test-server';

describe('schema and migrations stay in step with the code', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it('serves exactly the committed schema.gql (run `npm run schema:write` after changing the API)', () => {
    const committed = readFileSync(join(__dirname, '../../schema.gql'), 'utf8');
    const generated = printSchema(api.server.app.get(GraphQLSchemaHost).schema) + '\n';
    expect(generated).toBe(committed);
  });

  it('has entities that match the migrated database exactly (run `npm run migration:generate` after changing an entity)', async () => {
    const dataSource = api.server.app.get(DataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has CHECK constraints that allow every value the entities allow (TypeORM compares checks by name only)', async () => {
    const dataSource = api.server.app.get(DataSource);
    const problems: string[] = [];
    for (const entity of dataSource.entityMetadatas) {
      for (const check of entity.checks) {
        const rows: { def: string }[] = await dataSource.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [check.name]);
        if (!rows.length) {
          problems.push(`${check.name} is missing`);
          continue;
        }
        for (const literal of check.expression!.match(/'[^']*'/g) ?? []) {
          if (!rows[0].def.includes(literal)) problems.push(`${check.name} does not allow ${literal}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has run every migration, and none is pending', async () => {
    const dataSource = api.server.app.get(DataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
