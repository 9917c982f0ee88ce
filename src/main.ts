import { JsonLogger, routeConsoleTo } from './common/logging/json-logger';
import { ConfigError, loadConfig } from './config/config';
import { startServer } from './server';

/** `npm start`: configuration from the environment; a bad value stops the server with one line naming it. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  routeConsoleTo(logger);
  const server = await startServer(config, logger);
  const stop = (signal: string) => {
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `received ${signal}` }) + '\n');
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
