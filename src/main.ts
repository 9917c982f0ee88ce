import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, routeConsoleTo } from './common/logging/logger';
import { ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { requireWithCodeCache } from './code-cache';

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
  const bundle = bundleToLoad();
  const loaded = bundle ? requireWithCodeCache<typeof import('./server')>(bundle, join(__dirname, '..', '.server-bundle.code-cache')) : undefined;
  const { startServer } = loaded?.exports ?? (require('./server') as typeof import('./server'));
  const server = await startServer(config, logger, embedded);
  // Once ready: what starting compiled is kept for the next start (see code-cache.ts).
  loaded?.keep();
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

/**
 * `npm run build` also bundles server.js and the packages it loads into server.bundle.js (see
 * scripts/bundle-server.js): one file loads in about 40% less time than the 1,400 it is made of. It is
 * used only when no compiled file (dist/src, dist/migrations) is newer: `nest start --watch` compiles
 * without bundling.
 */
function bundleToLoad(): string | undefined {
  const bundle = join(__dirname, 'server.bundle.js');
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return undefined;
  }
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newer(path) : path !== bundle && statSync(path).mtimeMs > built;
    });
  return newer(__dirname) || newer(join(__dirname, '..', 'migrations')) ? undefined : bundle;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
