import { createServer } from 'node:http';
import { Pool, PoolClient } from 'pg';
import type { GraphileConfig } from 'postgraphile/graphile-build';
import { benchRequire } from '../lib/bench-require';

/**
 * The reference for the reading scenario: PostGraphile 5 (amber preset) served by grafserv on node
 * http, in its own process like our server, over the same database (schemas public and
 * postgraphile_ref, the latter holding the bench's computed-column functions). Every SQL statement it
 * sends is counted (on each pooled client), and served at /sql-count.
 *
 * Env: PORT, DATABASE_URL, DB_POOL_SIZE.
 */
/**
 * PostGraphile 5 declares node >= 22; on this machine's Node 20 the one thing missing is
 * Promise.withResolvers (grafast calls it on every request). Polyfilled here, so that both servers run
 * on the same Node.
 */
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

async function main(): Promise<void> {
  polyfillWithResolvers();
  if (process.env.PGL_LOG_FILE) {
    const { appendFileSync } = await import('node:fs');
    const file = process.env.PGL_LOG_FILE;
    console.error = console.warn = console.log = (...args: unknown[]) => appendFileSync(file, args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ') + '\n');
  }
  const { postgraphile } = benchRequire('postgraphile') as typeof import('postgraphile');
  const { grafserv } = benchRequire('postgraphile/grafserv/node') as typeof import('postgraphile/grafserv/node');
  const { PostGraphileAmberPreset } = benchRequire('postgraphile/presets/amber') as typeof import('postgraphile/presets/amber');
  const { makePgService } = benchRequire('postgraphile/adaptors/pg') as typeof import('postgraphile/adaptors/pg');

  let statements = 0;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
  const wrapped = new WeakSet<PoolClient>();
  pool.on('connect', (client: PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements += 1;
      return query(...args);
    };
  });

  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ pool: pool as never, schemas: ['public', 'postgraphile_ref'] })],
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const handler = serv.createHandler();
  const server = createServer((req, res) => {
    if (req.url === '/health/ready') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (req.url === '/sql-count') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(statements));
    } else {
      handler(req, res);
    }
  });
  // Build the schema before saying ready.
  await pgl.getSchema();
  server.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => {
    server.close();
    void Promise.resolve(pgl.release()).finally(() => pool.end().finally(() => process.exit(0)));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`postgraphile reference: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
