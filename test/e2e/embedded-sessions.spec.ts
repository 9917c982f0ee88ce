import { connect, type Socket } from 'node:net';
import { Client } from 'pg';
import { startEmbeddedDatabase, type TestDatabase } from '../support/database';

/**
 * The embedded database serves one PostgreSQL session to several connections (src/database/pglite-session.ts).
 * A connection in the middle of an extended-protocol exchange or of a transaction keeps it until the
 * exchange ends: another connection's statement never takes its unnamed statement, never runs inside its
 * transaction, and a connection that leaves half-way leaves nothing behind. Always on the embedded
 * database, whatever TEST_DATABASE_URL says: it is the embedded database's promise.
 */

/** A connection that speaks the protocol message by message, to stop where `pg` never would. */
class Wire {
  private buffer = Buffer.alloc(0);
  private waiter?: () => void;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      this.waiter?.();
    });
  }

  static async open(url: string): Promise<Wire> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const wire = new Wire(socket);
    const parameters = Buffer.from('user\0postgres\0database\0postgres\0\0');
    socket.write(Buffer.concat([int32(8 + parameters.length), int32(196608), parameters]));
    await wire.until('Z');
    return wire;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** The messages received up to and including the first of `type`. */
  async until(type: string): Promise<{ type: string; body: Buffer }[]> {
    const received: { type: string; body: Buffer }[] = [];
    for (;;) {
      while (this.buffer.length >= 5 && this.buffer.length >= 1 + this.buffer.readInt32BE(1)) {
        const length = this.buffer.readInt32BE(1);
        const next = { type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, 1 + length) };
        this.buffer = this.buffer.subarray(1 + length);
        received.push(next);
        if (next.type === type) return received;
        if (next.type === 'E') throw new Error(`the server said: ${errorText(next.body)}`);
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const int16 = (value: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeInt16BE(value);
  return bytes;
};
const typed = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(4 + body.length), body]);
const parse = (sql: string) => typed('P', Buffer.concat([Buffer.from(`\0${sql}\0`), int16(0)]));
const bind = (...values: string[]) =>
  typed('B', Buffer.concat([Buffer.from('\0\0'), int16(0), int16(values.length), ...values.flatMap((value) => [int32(Buffer.byteLength(value)), Buffer.from(value)]), int16(0)]));
const execute = () => typed('E', Buffer.concat([Buffer.from('\0'), int32(0)]));
const flush = () => typed('H', Buffer.alloc(0));
const sync = () => typed('S', Buffer.alloc(0));
const query = (sql: string) => typed('Q', Buffer.from(`${sql}\0`));
const errorText = (body: Buffer) => body.toString().split('\0').find((field) => field.startsWith('M'))?.slice(1);
/** The first column of each DataRow, as text. */
const firstColumns = (messages: { type: string; body: Buffer }[]) => messages.filter((m) => m.type === 'D').map((m) => m.body.subarray(6, 6 + m.body.readInt32BE(2)).toString());

describe('the embedded database, shared by several connections', () => {
  let database: TestDatabase;
  let other: Client;

  beforeAll(async () => {
    database = await startEmbeddedDatabase();
    other = new Client({ connectionString: database.url });
    await other.connect();
    await other.query('CREATE TABLE notes (text text NOT NULL)');
  });
  afterAll(async () => {
    await other.end();
    await database.drop();
  });

  it("binds a connection's parameters to its own statement while another connection's query waits", async () => {
    const wire = await Wire.open(database.url);
    // The Parse is answered, and the exchange is left open: the Bind comes later, as a large one does.
    wire.send(parse(`SELECT $1::text || ' from the first connection'`), flush());
    await wire.until('1');
    const otherQuery = other.query('SELECT $1::int * 2 AS doubled', [21]);
    // A statement of its own on the first connection: before the fix, the other query's Parse ran by now.
    wire.send(typed('P', Buffer.from('probe\0SELECT 1\0\0\0')), flush());
    await wire.until('1');
    wire.send(bind('hello'), execute(), sync());
    const reply = await wire.until('Z');
    expect(firstColumns(reply)).toEqual(['hello from the first connection']);
    expect((await otherQuery).rows).toEqual([{ doubled: 42 }]);
    wire.close();
  });

  it("runs no other connection's statement inside a transaction, and sees its work only once it commits", async () => {
    const wire = await Wire.open(database.url);
    wire.send(query('BEGIN'));
    await wire.until('Z');
    wire.send(query(`INSERT INTO notes VALUES ('committed')`));
    await wire.until('Z');
    const seen = other.query('SELECT count(*)::int AS notes FROM notes');
    wire.send(query('COMMIT'));
    await wire.until('Z');
    expect((await seen).rows).toEqual([{ notes: 1 }]);
    wire.close();
  });

  it('leaves nothing behind of a connection that goes away in the middle of a transaction and an exchange', async () => {
    const wire = await Wire.open(database.url);
    wire.send(query('BEGIN'));
    await wire.until('Z');
    wire.send(query(`INSERT INTO notes VALUES ('never committed')`));
    await wire.until('Z');
    // A statement that fails half-way through an exchange: PostgreSQL skips every message until a Sync.
    wire.send(parse('SELECT 1/0'), bind(), execute(), flush());
    await expect(wire.until('Z')).rejects.toThrow('division by zero');
    const after = other.query('SELECT text FROM notes ORDER BY text');
    wire.close();
    expect((await after).rows).toEqual([{ text: 'committed' }]);
    expect((await other.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
