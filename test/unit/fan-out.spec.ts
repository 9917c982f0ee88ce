import { Audience, FanOut, FanOutClock, Member, Pacing } from '../../src/realtime/fan-out';

/** A clock the test moves: members move it as they work, and the test decides when a slot comes. */
class TestClock implements FanOutClock {
  time = 0;
  readonly waits: { ms: number; run: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, run: () => void): () => void {
    const wait = { ms, run, cancelled: false };
    this.waits.push(wait);
    return () => (wait.cancelled = true);
  }

  /** Lets the pending waits end, as time passing would. */
  pass(): void {
    for (const wait of this.waits.splice(0)) if (!wait.cancelled) wait.run();
  }

  get pending(): number {
    return this.waits.filter((w) => !w.cancelled).length;
  }
}

interface Update {
  status: 'OPEN' | 'CLOSED';
  turnout: number;
}

const PACING: Pacing<Update> = { urgent: (previous, next) => previous?.status !== next.status };

/** Members that keep what they get, each costing `cost` ms of the test clock, and a log of the order things happened in. */
function members<T>(count: number, clock: TestClock, log: string[], cost = 0): (Member<T> & { got: T[] })[] {
  return Array.from({ length: count }, (_, i) => ({
    got: [] as T[],
    push(event: T) {
      this.got.push(event);
      clock.time += cost;
      log.push(`member ${i}`);
    },
  }));
}

/** Turns of the event loop until `done` holds (deliveries take a few turns; no clock), failing rather than hanging. */
async function until(done: () => boolean): Promise<void> {
  for (let turns = 0; !done(); turns += 1) {
    if (turns > 10_000) throw new Error('still not done after 10,000 turns of the event loop');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** An audience of `count` members on a test clock, each member costing `cost` ms of it. */
function setUp<T>(count: number, cost: number, pacing?: Pacing<T>) {
  const clock = new TestClock();
  const log: string[] = [];
  const list = members<T>(count, clock, log, cost);
  const audience = new Audience<T>(new FanOut(clock), pacing);
  for (const member of list) audience.members.add(member);
  return { clock, log, list, audience };
}

describe('fan-out to the subscribers of a channel on one instance', () => {
  it('gives every event of an unpaced channel to every member, in order', async () => {
    const { list, audience } = setUp<number>(450, 0);
    for (const n of [1, 2, 3]) audience.receive(n);
    await until(() => list.every((m) => m.got.length === 3));
    for (const member of list) expect(member.got).toEqual([1, 2, 3]);
  });

  it('hands a large audience out in chunks, so that other work (a request) runs before the last chunk', async () => {
    const { log, list, audience } = setUp<number>(450, 0);
    audience.receive(1);
    setImmediate(() => log.push('request'));
    await until(() => list.every((m) => m.got.length === 1));
    const request = log.indexOf('request');
    expect(request).toBeGreaterThan(0);
    expect(request).toBeLessThan(log.length - 1);
    // The request came between two chunks, not in the middle of one.
    expect(log.slice(0, request).every((entry) => entry.startsWith('member'))).toBe(true);
    expect(request % 200).toBe(0);
  });

  it('thins a paced channel under load: an update waiting for its slot is replaced by the newest, which is always delivered', async () => {
    const { clock, list, audience } = setUp<Update>(3, 5, PACING);
    audience.receive({ status: 'OPEN', turnout: 1 });
    await until(() => list.every((m) => m.got.length === 1));
    // The first delivery kept the loop busy (15 ms of the test clock): the next waits for its slot.
    for (let turnout = 2; turnout <= 40; turnout += 1) audience.receive({ status: 'OPEN', turnout });
    await until(() => clock.pending === 1);
    expect(list[0].got).toHaveLength(1);
    clock.pass();
    await until(() => list.every((m) => m.got.length === 2));
    for (const member of list) expect(member.got.map((u) => u.turnout)).toEqual([1, 40]);
  });

  it('holds nothing back when a paced channel is idle enough: every update goes out when its delivery costs nothing', async () => {
    const { clock, list, audience } = setUp<Update>(3, 0, PACING);
    for (let turnout = 1; turnout <= 3; turnout += 1) {
      audience.receive({ status: 'OPEN', turnout });
      await until(() => list.every((m) => m.got.length === turnout));
    }
    expect(clock.pending).toBe(0);
    expect(list[2].got.map((u) => u.turnout)).toEqual([1, 2, 3]);
  });

  it('sends an urgent update (a change of state) at once, without waiting for the slot', async () => {
    const { clock, list, audience } = setUp<Update>(3, 5, PACING);
    audience.receive({ status: 'OPEN', turnout: 1 });
    await until(() => list.every((m) => m.got.length === 1));
    audience.receive({ status: 'OPEN', turnout: 2 });
    await until(() => clock.pending === 1);
    audience.receive({ status: 'CLOSED', turnout: 3 });
    // No slot came (the test clock's wait was never passed), yet the closing update arrives.
    await until(() => list.every((m) => m.got.length === 2));
    expect(clock.pending).toBe(0);
    for (const member of list) expect(member.got).toEqual([{ status: 'OPEN', turnout: 1 }, { status: 'CLOSED', turnout: 3 }]);
  });

  it('delivers nothing more once closed (the last subscriber left)', async () => {
    const { clock, list, audience } = setUp<Update>(2, 5, PACING);
    audience.receive({ status: 'OPEN', turnout: 1 });
    await until(() => list.every((m) => m.got.length === 1));
    audience.receive({ status: 'OPEN', turnout: 2 });
    await until(() => clock.pending === 1);
    audience.close();
    clock.pass();
    await new Promise((resolve) => setImmediate(resolve));
    expect(list[0].got).toHaveLength(1);
  });

  it('spaces a paced channel by how long its delivery kept the loop busy: at least twice that (half the loop at most)', () => {
    const fanOut = new FanOut(new TestClock());
    expect(fanOut.spacingAfter(0)).toBe(0);
    expect(fanOut.spacingAfter(40)).toBeGreaterThanOrEqual(80);
    expect(fanOut.spacingAfter(40)).toBeLessThanOrEqual(400);
    // However long a delivery took, the next comes within 2 s.
    expect(fanOut.spacingAfter(60_000)).toBe(2_000);
  });
});
