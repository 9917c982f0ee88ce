// Runs an in-memory embedded PostgreSQL in a plain Node process: PGlite loads its WebAssembly with
// dynamic import(), which jest's module sandbox does not allow. It starts as a copy of the migrated
// template that global-setup.js made, when there is one. Prints the URL, stops on SIGTERM.
const { readFileSync } = require('node:fs');
const { EmbeddedPostgres } = require('../../dist/src/database/embedded-postgres.js');

const template = process.env.EMBEDDED_TEST_TEMPLATE;
EmbeddedPostgres.start(undefined, template ? new Blob([readFileSync(template)]) : undefined).then(
  (db) => {
    process.send?.({ url: db.url });
    const stop = () => db.stop().finally(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('disconnect', stop);
  },
  (error) => {
    process.send?.({ error: String(error) });
    process.exit(1);
  },
);
