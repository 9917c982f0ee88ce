import { performance } from 'node:perf_hooks';

/**
 * How a channel's events may be thinned when many people watch it: each event is a whole snapshot
 * (a round's turnout and tallies), so a newer one makes an older one that was not yet delivered
 * useless. `urgent` says which events go out at once anyway (a round closing), never held back.
 */
export interface Pacing<T> {
  urgent(previous: T | undefined, next: T): boolean;
}

/** One subscriber on this instance: what the event bus hands an event to. */
export interface Member<T> {
  push(event: T): void;
}

/** The subscribers of one channel on this instance, and what is waiting to reach them. */
export class Audience<T> {
  readonly members = new Set<Member<T>>();
  /** Unpaced channels: every event, in order. */
  private readonly queue: T[] = [];
  /** Paced channels: the newest event not yet delivered. */
  private latest?: { event: T };
  private delivered?: T;
  private delivering = false;
  /** Cancels the wait for the next slot, while a paced event waits for it. */
  private waiting?: () => void;
  /** When a paced channel may next be delivered (FanOut's clock, ms). */
  private nextSlot = 0;

  constructor(
    private readonly fanOut: FanOut,
    readonly pacing?: Pacing<T>,
  ) {}

  /** An event published on the channel: delivered now, or held for the channel's next slot. */
  receive(event: T): void {
    if (!this.pacing) this.queue.push(event);
    else {
      this.latest = { event };
      if (this.waiting && this.pacing.urgent(this.delivered, event)) this.stopWaiting();
    }
    this.kick();
  }

  /** Nothing more is delivered (the last subscriber left). */
  close(): void {
    this.stopWaiting();
    this.queue.length = 0;
    this.latest = undefined;
  }

  private stopWaiting(): void {
    this.waiting?.();
    this.waiting = undefined;
  }

  private kick(): void {
    if (this.delivering || this.waiting) return;
    const next = this.take();
    if (!next) return;
    this.delivering = true;
    const startedAt = this.fanOut.clock.now();
    this.fanOut.deliver([...this.members], next.event, (busyMs) => {
      this.delivering = false;
      this.delivered = next.event;
      if (this.pacing) this.nextSlot = startedAt + this.fanOut.spacingAfter(busyMs);
      this.kick();
    });
  }

  /** The next event to deliver now, if any; arms the timer when a paced event must wait for its slot. */
  private take(): { event: T } | undefined {
    if (!this.pacing) return this.queue.length ? { event: this.queue.shift() as T } : undefined;
    const latest = this.latest;
    if (!latest) return undefined;
    const wait = this.nextSlot - this.fanOut.clock.now();
    if (wait > 0 && !this.pacing.urgent(this.delivered, latest.event)) {
      this.waiting = this.fanOut.clock.after(wait, () => {
        this.waiting = undefined;
        // The slot has come, whatever the clock says now.
        this.nextSlot = 0;
        this.kick();
      });
      return undefined;
    }
    this.latest = undefined;
    return latest;
  }
}

/**
 * What the budget measures time with: the process's own clock (how long the event loop was busy, in
 * ms), not the wall-clock time the application runs on; tests give their own to see a slot come.
 */
export interface FanOutClock {
  now(): number;
  /** Calls `run` in `ms`; answers how to cancel. */
  after(ms: number, run: () => void): () => void;
}

const REAL_TIME: FanOutClock = {
  now: () => performance.now(),
  after(ms, run) {
    const timer = setTimeout(run, Math.ceil(ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Subscribers handed an event per turn of the event loop: requests waiting to be read go between. */
const CHUNK = 200;
/** The most of the event loop's time live updates may take when requests leave it idle. */
const MOST = 0.5;
/** The least they keep when requests keep it busy: watchers still see the count move. */
const LEAST = 0.1;
/** What requests are left even when live updates could take more. */
const RESERVE = 0.2;
/** However busy the instance, a watcher waits no longer than this for the next update. */
const LONGEST_SPACING_MS = 2_000;
/** Shares are reconsidered over at least this window. */
const WINDOW_MS = 250;

/**
 * The instance's delivery budget. Writing one message to one WebSocket is mostly the kernel's work
 * (a `writev` over TCP), the same for us as for a bare `ws` server, so the number of messages is what
 * costs: with 10,000 watchers, one update is 10,000 writes. Each delivery is handed out in chunks of
 * 200 subscribers, one chunk per turn of the event loop, so the requests that arrive meanwhile (the
 * ballots that make the updates) are served between chunks rather than after the whole fan-out. How
 * long the chunks kept the loop busy is measured, and a paced channel's next delivery waits until that
 * time is a share of the time since its last one: half of the loop when requests leave it idle, down
 * to a tenth when they keep it busy (measured by the event loop's utilisation without our deliveries),
 * and never more than 2 s after the last.
 * So more watchers on an instance mean fewer updates a second to each, each one exact, and the newest
 * always delivered: an update waiting for its slot is replaced by a newer one, never queued behind it.
 */
export class FanOut {
  private busyInWindow = 0;
  private windowStart: number;
  private utilisation = performance.eventLoopUtilization();
  private share = MOST;

  constructor(readonly clock: FanOutClock = REAL_TIME) {
    this.windowStart = clock.now();
  }

  /** Hands `event` to every member, a chunk per turn of the event loop; `done` gets the busy time (ms). */
  deliver<T>(members: Member<T>[], event: T, done: (busyMs: number) => void): void {
    let busy = 0;
    let next = 0;
    let chunkStart = 0;
    const chunk = () => {
      chunkStart = this.clock.now();
      const end = Math.min(members.length, next + CHUNK);
      for (; next < end; next += 1) members[next].push(event);
    };
    // The members' own work (executing, serialising, writing) runs as microtasks right after `chunk`;
    // Node drains them before the next immediate, which therefore measures the whole chunk.
    const measured = () => {
      const spent = this.clock.now() - chunkStart;
      busy += spent;
      this.busyInWindow += spent;
      if (next < members.length) schedule();
      else done(busy);
    };
    const schedule = () => {
      setImmediate(chunk);
      setImmediate(measured);
    };
    schedule();
  }

  /** How long after a delivery's start the channel's next may start, given how long it kept the loop busy. */
  spacingAfter(busyMs: number): number {
    this.reconsider();
    return Math.min(LONGEST_SPACING_MS, busyMs / this.share);
  }

  private reconsider(): void {
    const now = this.clock.now();
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    const used = performance.eventLoopUtilization(this.utilisation);
    const others = Math.max(0, used.utilization - this.busyInWindow / elapsed);
    this.share = Math.min(MOST, Math.max(LEAST, 1 - others - RESERVE));
    this.utilisation = performance.eventLoopUtilization();
    this.windowStart = now;
    this.busyInWindow = 0;
  }
}
