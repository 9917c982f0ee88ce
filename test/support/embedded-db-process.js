// Runs an in-memory embedded PostgreSQL in a plain Node process: PGlite loads its WebAssembly with
// dynamic import(), which jest's module sandbox does not allow. Prints the URL, stops on SIGTERM.
const { EmbeddedPostgres } = require('../../dist/src/database/embedded-postgres.js');

EmbeddedPostgres.start().then(
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
