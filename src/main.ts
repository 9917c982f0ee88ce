import { createLogger, routeConsoleTo } from './common/logging/logger';
import { ConfigError, loadConfig } from './config/config';
import { startServer } from './server';

/** `npm start`: configuration from the environment; a bad value stops the server with one line naming it. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  routeConsoleTo(logger);
  const server = await startServer(config, logger);
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
