import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ConfigError } from '../config/config';
import { DataDirLock } from './data-dir-lock';

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so that the same `pg` driver,
 * TypeORM and migrations run on it as on a real server. Used when DATABASE_URL is unset. A data
 * directory on disk is used by one process at a time (see DataDirLock).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    private readonly lock?: DataDirLock,
  ) {}

  /**
   * dataDir undefined: in memory (tests); otherwise kept on disk there. An in-memory database may
   * start as a copy of one dumped by `dump()` (the test suites' migrated template), which skips the
   * seconds that initialising a database takes in WebAssembly.
   */
  static async start(dataDir?: string, copyOf?: Blob): Promise<EmbeddedPostgres> {
    let location: string | undefined;
    let lock: DataDirLock | undefined;
    if (dataDir) {
      location = join(dataDir, 'pglite');
      try {
        mkdirSync(location, { recursive: true });
      } catch (error) {
        throw new ConfigError('DATA_DIR', `cannot be used: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${dataDir})`);
      }
      const taken = await DataDirLock.acquire(location);
      if (!('lock' in taken)) {
        const holder = taken.heldBy ? `another process (pid ${taken.heldBy})` : 'another process';
        throw new ConfigError('DATA_DIR', `${dataDir} is in use by ${holder}: stop it, or give this server a DATA_DIR of its own`);
      }
      lock = taken.lock;
    }
    try {
      // The contrib extensions the migrations create (reports' distances); a copy must load them too.
      const extensions = { cube, earthdistance };
      const db = copyOf ? await PGlite.create({ loadDataDir: copyOf, extensions }) : await PGlite.create({ dataDir: location, extensions });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
      await server.start();
      return new EmbeddedPostgres(db, server, `postgres://postgres@${server.getServerConn()}/postgres`, lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  /** The whole database as a tarball, for `start(undefined, copyOf)`. */
  dump(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await this.lock?.release();
  }
}
