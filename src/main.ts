import { createLogger, routeConsoleTo } from './common/logging/logger';
import { ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgres } from './database/embedded-postgres';

/** `npm start`: configuration from the environment; a bad value stops the server with one line naming it. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  routeConsoleTo(logger);
  // The embedded database opens in a thread of its own (seconds of WebAssembly) while this one loads
  // the application's modules (seconds more): started first, it is ready about when they are.
  const embedded = config.databaseUrl ? undefined : EmbeddedPostgres.start(config.dataDir);
  // Awaited by startServer; until then a failure must not count as unhandled.
  embedded?.catch(() => undefined);
  // Loaded here, not imported above: an import would load it before the database starts. (A plain
  // require: `import()` would load it as an ES module.)
  const { startServer } = require('./server') as typeof import('./server');
  const server = await startServer(config, logger, embedded);
  const stop = (signal: string) => {
    logger.info(`received ${signal}`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
