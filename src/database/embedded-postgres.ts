import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/config';
import type { EmbeddedReply, EmbeddedRequest } from './embedded-postgres.worker';

type Request = EmbeddedRequest extends infer R ? (R extends EmbeddedRequest ? Omit<R, 'id'> : never) : never;

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so that the same `pg` driver,
 * TypeORM and migrations run on it as on a real server. Used when DATABASE_URL is unset. A data
 * directory on disk is used by one process at a time (see DataDirLock).
 *
 * PGlite runs in a worker thread of its own (embedded-postgres.worker.ts): the server loads and wires
 * its modules while the database opens, and the WebAssembly of a query runs beside the event loop that
 * serves requests rather than on it. The thread holds the data directory's lock (a socket of the
 * process, freed when it ends however it ends).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly worker: EmbeddedWorker,
    readonly url: string,
  ) {}

  /**
   * dataDir undefined: in memory (tests); otherwise kept on disk there. An in-memory database may
   * start as a copy of one dumped by `dump()` (the test suites' migrated template), which skips the
   * seconds that initialising a database takes in WebAssembly.
   */
  static async start(dataDir?: string, copyOf?: Blob): Promise<EmbeddedPostgres> {
    let location: string | undefined;
    if (dataDir) {
      location = join(dataDir, 'pglite');
      try {
        mkdirSync(location, { recursive: true });
      } catch (error) {
        throw new ConfigError('DATA_DIR', `cannot be used: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${dataDir})`);
      }
    }
    // The thread takes the lock, then opens the database: it needs nothing more of this thread, which
    // may be busy loading the application meanwhile (see main.ts).
    const worker = new EmbeddedWorker();
    try {
      const reply = await worker.ask({ op: 'start', location, copyOf: copyOf ? await copyOf.arrayBuffer() : undefined });
      return new EmbeddedPostgres(worker, reply.url!);
    } catch (error) {
      await worker.end();
      const inUse = (error as { inUse?: { heldBy?: number } }).inUse;
      if (inUse) {
        const holder = inUse.heldBy ? `another process (pid ${inUse.heldBy})` : 'another process';
        throw new ConfigError('DATA_DIR', `${dataDir} is in use by ${holder}: stop it, or give this server a DATA_DIR of its own`);
      }
      throw error;
    }
  }

  /** The whole database as a tarball, for `start(undefined, copyOf)`. */
  async dump(): Promise<Blob> {
    return new Blob([(await this.worker.ask({ op: 'dump' })).dump!]);
  }

  async stop(): Promise<void> {
    try {
      await this.worker.ask({ op: 'stop' });
    } finally {
      await this.worker.end();
    }
  }
}

/** The worker thread and its requests, answered in order of their ids. */
class EmbeddedWorker {
  private readonly thread = new Worker(join(__dirname, 'embedded-postgres.worker.js'));
  private readonly pending = new Map<number, { resolve: (reply: EmbeddedReply) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private ended = false;
  private crashed = false;

  constructor() {
    this.thread.on('message', (reply: EmbeddedReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiting?.reject(Object.assign(new Error(reply.error), reply.inUse ? { inUse: reply.inUse } : {}));
      else waiting?.resolve(reply);
    });
    // An uncaught error in the thread ends it: whoever waits is told, and a database that is gone
    // under a running server ends the process as it would have in the same thread.
    this.thread.on('error', (error) => {
      this.crashed = true;
      if (this.pending.size) return this.failAll(error);
      if (!this.ended)
        process.nextTick(() => {
          throw error;
        });
    });
    this.thread.on('exit', (code) => {
      // After an 'error', which said it already.
      if (this.ended || this.crashed) return this.failAll(new Error('the embedded database was stopped'));
      const error = new Error(`the embedded database's thread ended (exit code ${code})`);
      if (this.pending.size) return this.failAll(error);
      process.nextTick(() => {
        throw error;
      });
    });
  }

  ask(request: Request): Promise<EmbeddedReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ ...request, id }, request.op === 'start' && request.copyOf ? [request.copyOf] : []);
    });
  }

  async end(): Promise<void> {
    this.ended = true;
    await this.thread.terminate();
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
