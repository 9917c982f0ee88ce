import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { DataDirLock } from './data-dir-lock';
import { PGliteSessionServer } from './pglite-session';

/**
 * The thread the embedded database runs in (see EmbeddedPostgres): the lock of the data directory,
 * PGlite, and the socket server that serves it to `pg` on a loopback port. A thread of its own, so
 * that opening the database (seconds of WebAssembly) runs beside the main thread loading and wiring
 * the application, and the WebAssembly of queries never holds the main thread's event loop.
 */

/** What the main thread asks: one `start` first, then any number of `dump`, then `stop`. */
export type EmbeddedRequest = { id: number; op: 'start'; location?: string; copyOf?: ArrayBuffer } | { id: number; op: 'dump' } | { id: number; op: 'stop' };
/** `inUse`: the data directory's lock is held by another process (its pid when it said). */
export type EmbeddedReply = { id: number; url?: string; dump?: ArrayBuffer; error?: string; inUse?: { heldBy?: number } };

/**
 * PGlite's default of 128 MB is zero-filled by the WebAssembly at every start (0.7 to 1.7 s of CPU in
 * the profiles of a start on this project's 2-core machine). Pages beyond 32 MB come from the operating
 * system's cache of the data folder (a copy, not a disk read).
 */
const SHARED_BUFFERS = '32MB';

let db: PGlite | undefined;
let server: PGliteSessionServer | undefined;
let lock: DataDirLock | undefined;

async function handle(request: EmbeddedRequest): Promise<Omit<EmbeddedReply, 'id'>> {
  switch (request.op) {
    case 'start': {
      if (request.location) {
        const taken = await DataDirLock.acquire(request.location);
        if (!('lock' in taken)) return { error: 'in use', inUse: { heldBy: taken.heldBy } };
        lock = taken.lock;
      }
      // The contrib extensions the migrations create (reports' distances); a copy must load them too.
      const extensions = { cube, earthdistance };
      const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
      db = request.copyOf
        ? await PGlite.create({ loadDataDir: new Blob([request.copyOf]), extensions, startParams })
        : await PGlite.create({ dataDir: request.location, extensions, startParams });
      server = new PGliteSessionServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
      await server.start();
      return { url: `postgres://postgres@${server.getServerConn()}/postgres` };
    }
    case 'dump':
      return { dump: await (await db!.dumpDataDir('none')).arrayBuffer() };
    case 'stop':
      try {
        await server?.stop();
        await db?.close();
      } finally {
        await lock?.release();
      }
      return {};
  }
}

parentPort!.on('message', (request: EmbeddedRequest) => {
  handle(request).then(
    (reply) => parentPort!.postMessage({ id: request.id, ...reply } satisfies EmbeddedReply, reply.dump ? [reply.dump] : []),
    async (error: unknown) => {
      // A start that failed gives the lock back before saying so (the thread is ended next).
      if (request.op === 'start') await lock?.release();
      parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies EmbeddedReply);
    },
  );
});
