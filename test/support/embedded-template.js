// Builds the embedded database every suite starts from: initialised and migrated once per test run
// (about 5 s of WebAssembly initdb plus the migrations), then dumped to the file named by argv[2].
// Each suite's database is loaded from that dump in under a second.
const { writeFileSync } = require('node:fs');
const { DataSource } = require('typeorm');
const { EmbeddedPostgres } = require('../../dist/src/database/embedded-postgres.js');
const { dataSourceOptions } = require('../../dist/src/database/data-source.js');
const { runMigrations } = require('../../dist/src/database/migrate.js');

(async () => {
  const db = await EmbeddedPostgres.start();
  const dataSource = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
  await runMigrations(dataSource, db.url, true);
  await dataSource.destroy();
  writeFileSync(process.argv[2], Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.stop();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
