import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer, type PGLiteSocketServerOptions } from '@electric-sql/pglite-socket';

/**
 * PGlite is one PostgreSQL session, and pglite-socket serves it to several connections by taking their
 * protocol messages one at a time, in turn. It keeps the session to one connection only inside a
 * transaction, so a second connection's Parse could land between one connection's Parse and its Bind:
 * the Bind then ran the other connection's statement (an error when the parameter counts differ, a
 * silently wrong statement when they match).
 *
 * Here the session is lent to one connection from its first message until PostgreSQL says it is idle
 * again: a ReadyForQuery with status 'I', which ends a simple query, a Sync of the extended protocol, a
 * transaction and a COPY. Until then only that connection's messages run; the others wait their turn.
 * A connection that goes away mid-exchange has it ended for it (a Sync, then a ROLLBACK if a transaction
 * was left open), so the next connection finds the session as a new one would.
 */
export class PGliteSessionServer extends PGLiteSocketServer {
  constructor(options: PGLiteSocketServerOptions) {
    super(options);
    // pglite-socket (pinned in package.json) gives each connection the server's queue as it opens.
    if (!('queryQueue' in this)) throw new Error('pglite-socket no longer keeps its queue in queryQueue: see PGliteSessionServer');
    Object.assign(this, { queryQueue: new SessionQueue(options.db) });
  }
}

/** One connection's turn: a protocol message, or (no message) ending what the connection left open. */
interface Turn {
  connection: number;
  message?: Uint8Array;
  onData?: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** Takes the place of pglite-socket's QueryQueueManager (the same four methods). */
export class SessionQueue {
  private readonly turns: Turn[] = [];
  /** Whose turn runs now; 0 while none does (pglite-socket's connections count from 1). */
  private running = 0;
  private taking = false;
  /** The connection the session is lent to, until a ReadyForQuery says it is idle. */
  private holder: number | undefined;

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.turns.push({ connection, message, onData, resolve, reject });
      void this.run();
    });
  }

  getQueueLength(): number {
    return this.turns.length;
  }

  /** The connection is gone: what it had queued is dropped. */
  clearQueueForHandler(connection: number): void {
    for (let i = this.turns.length - 1; i >= 0; i--) {
      const turn = this.turns[i];
      if (turn.connection !== connection) continue;
      this.turns.splice(i, 1);
      turn.reject(new Error('Handler disconnected'));
    }
  }

  /**
   * The connection is gone: if it holds the session (now, or once a message of its that is running ends),
   * the session's exchange is ended for it, as the connection's last turn.
   */
  clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.holder !== connection && this.running !== connection) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.turns.push({ connection, resolve: () => resolve(), reject });
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.taking) return;
    this.taking = true;
    try {
      for (let turn = this.nextTurn(); turn; turn = this.nextTurn()) {
        this.running = turn.connection;
        try {
          turn.resolve(turn.message ? await this.send(turn.connection, turn.message, turn.onData!) : await this.end(turn.connection));
        } catch (error) {
          turn.reject(error as Error);
        } finally {
          this.running = 0;
        }
      }
    } finally {
      this.taking = false;
    }
  }

  /** The first turn of the holder, or with no holder the first turn of anyone. */
  private nextTurn(): Turn | undefined {
    const index = this.holder === undefined ? 0 : this.turns.findIndex((turn) => turn.connection === this.holder);
    return index === -1 ? undefined : this.turns.splice(index, 1)[0];
  }

  private async send(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const reply = new ReplyEnd();
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          reply.read(data);
          onData(data);
        },
      }),
    );
    this.holder = reply.idle ? undefined : connection;
    return reply.bytes;
  }

  private async end(connection: number): Promise<number> {
    if (this.holder !== connection) return 0;
    await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
    // exec takes PGlite's lock itself.
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = undefined;
    return 0;
  }
}

/**
 * Follows the framing of the backend's reply (a type byte, then a length that counts itself) across the
 * chunks it comes in, and keeps whether the last message was ReadyForQuery saying idle ('Z', status 'I').
 */
export class ReplyEnd {
  bytes = 0;
  private type = 0;
  private readonly header = new Uint8Array(5);
  private headerBytes = 0;
  private bodyLeft = 0;
  private lastByte = 0;

  read(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        at += take;
        this.bodyLeft -= take;
        this.lastByte = chunk[at - 1];
        continue;
      }
      this.header[this.headerBytes++] = chunk[at++];
      if (this.headerBytes < 5) continue;
      this.headerBytes = 0;
      this.type = this.header[0];
      this.bodyLeft = new DataView(this.header.buffer).getInt32(1) - 4;
      this.lastByte = this.header[4];
    }
  }

  get idle(): boolean {
    return this.headerBytes === 0 && this.bodyLeft === 0 && this.type === 0x5a && this.lastByte === 0x49;
  }
}
