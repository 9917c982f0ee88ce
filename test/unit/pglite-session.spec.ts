import type { PGlite } from '@electric-sql/pglite';
import { ReplyEnd, SessionQueue } from '../../src/database/pglite-session';

/**
 * The embedded database's one session, lent to one connection at a time (src/database/pglite-session.ts):
 * the order in which the messages of two connections reach PGlite, on a stand-in that answers as
 * PostgreSQL's protocol does (nothing until a Sync, then ReadyForQuery with the transaction's status).
 */

const message = (type: string, body = '') => new Uint8Array(Buffer.concat([Buffer.from(type), int32(4 + Buffer.byteLength(body)), Buffer.from(body)]));
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const readyForQuery = (status: 'I' | 'T' | 'E') => message('Z', status);

/** PGlite as the queue uses it: records what ran, answers Sync and Query with ReadyForQuery, has one lock. */
class StandInSession {
  readonly ran: string[] = [];
  inTransaction = false;

  private locked = false;

  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    this.locked = true;
    try {
      return await work();
    } finally {
      this.locked = false;
    }
  }

  async execProtocolRawStream(bytes: Uint8Array, { onRawData }: { onRawData: (data: Uint8Array) => void }): Promise<void> {
    const text = Buffer.from(bytes.subarray(5)).toString();
    this.ran.push(`${String.fromCharCode(bytes[0])}${text ? ' ' + text : ''}`);
    if (text === 'BEGIN') this.inTransaction = true;
    if (text === 'COMMIT') this.inTransaction = false;
    if (bytes[0] === 0x50) onRawData(message('1'));
    if (bytes[0] === 0x53 || bytes[0] === 0x51) {
      // A reply split inside its last message, as a socket may deliver it.
      const reply = Buffer.concat([message('C', 'SELECT 1\0'), readyForQuery(this.inTransaction ? 'T' : 'I')]);
      onRawData(reply.subarray(0, reply.length - 3));
      onRawData(reply.subarray(reply.length - 3));
    }
  }

  async execProtocolRaw(bytes: Uint8Array): Promise<Uint8Array> {
    this.ran.push(`${String.fromCharCode(bytes[0])} (ended for a connection that left)`);
    return readyForQuery(this.inTransaction ? 'T' : 'I');
  }

  isInTransaction(): boolean {
    return this.inTransaction;
  }

  async exec(sql: string): Promise<void> {
    // PGlite's exec takes the same lock as runExclusive: inside it, it would wait forever.
    if (this.locked) throw new Error('exec inside runExclusive');
    this.ran.push(sql);
    if (sql === 'ROLLBACK') this.inTransaction = false;
  }
}

function queueOn(session: StandInSession) {
  const queue = new SessionQueue(session as unknown as PGlite);
  return (connection: number, type: string, body = '') => queue.enqueue(connection, message(type, body), () => undefined);
}

describe("the embedded database's session, one connection's exchange at a time", () => {
  it("runs no other connection's message between a Parse and its Sync", async () => {
    const session = new StandInSession();
    const send = queueOn(session);
    const parsedA = send(1, 'P', 'A');
    // B's whole query is queued before A's Bind has even arrived (a large Bind comes in several reads).
    const doneB = Promise.all([send(2, 'P', 'B'), send(2, 'B', 'B'), send(2, 'E', 'B'), send(2, 'S')]);
    await parsedA;
    await Promise.all([send(1, 'B', 'A'), send(1, 'E', 'A'), send(1, 'S')]);
    await doneB;
    expect(session.ran).toEqual(['P A', 'B A', 'E A', 'S', 'P B', 'B B', 'E B', 'S']);
  });

  it('keeps the session to a transaction until it ends, then takes turns again', async () => {
    const session = new StandInSession();
    const send = queueOn(session);
    await send(1, 'Q', 'BEGIN');
    const other = send(2, 'Q', 'SELECT 2');
    await send(1, 'Q', 'INSERT');
    await send(1, 'Q', 'COMMIT');
    await other;
    const third = send(3, 'Q', 'SELECT 3');
    await send(1, 'Q', 'SELECT 1');
    await third;
    expect(session.ran).toEqual(['Q BEGIN', 'Q INSERT', 'Q COMMIT', 'Q SELECT 2', 'Q SELECT 3', 'Q SELECT 1']);
  });

  it("ends the exchange of a connection that leaves in the middle of it, and lets the others in", async () => {
    const session = new StandInSession();
    const queue = new SessionQueue(session as unknown as PGlite);
    await queue.enqueue(1, message('Q', 'BEGIN'), () => undefined);
    await queue.enqueue(1, message('P', 'A'), () => undefined);
    const waiting = queue.enqueue(2, message('Q', 'SELECT 2'), () => undefined);
    queue.clearQueueForHandler(1);
    await queue.clearTransactionIfNeeded(1);
    await waiting;
    expect(session.ran).toEqual(['Q BEGIN', 'P A', 'S (ended for a connection that left)', 'ROLLBACK', 'Q SELECT 2']);
    expect(session.inTransaction).toBe(false);
  });

  it('drops what a leaving connection had queued, and touches nothing it did not hold', async () => {
    const session = new StandInSession();
    const queue = new SessionQueue(session as unknown as PGlite);
    await queue.enqueue(1, message('P', 'A'), () => undefined);
    const dropped = queue.enqueue(2, message('Q', 'SELECT 2'), () => undefined);
    queue.clearQueueForHandler(2);
    await expect(dropped).rejects.toThrow('Handler disconnected');
    await queue.clearTransactionIfNeeded(2);
    await queue.enqueue(1, message('S'), () => undefined);
    expect(session.ran).toEqual(['P A', 'S']);
  });
});

describe('the end of a reply', () => {
  it.each([
    ['a ReadyForQuery saying idle', [readyForQuery('I')], true],
    ['inside a transaction', [readyForQuery('T')], false],
    ['in a failed transaction', [readyForQuery('E')], false],
    ['a ParseComplete', [message('1')], false],
    ['nothing', [], false],
    ['a row whose last bytes look like ReadyForQuery', [message('D', '\0\x01\0\0\0\x06Z\0\0\0\x05I')], false],
    ['idle after rows, one byte at a time', [...Buffer.concat([message('D', '\0\x01\0\0\0\x01x'), message('C', 'SELECT 1\0'), readyForQuery('I')])].map((byte) => new Uint8Array([byte])), true],
  ])('%s', (_, chunks, idle) => {
    const reply = new ReplyEnd();
    for (const chunk of chunks) reply.read(chunk);
    expect(reply.idle).toBe(idle);
    expect(reply.bytes).toBe(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  });
});
