import { ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { withRaisedFileLimit } from './proc';

/**
 * Cheap graphql-ws subscribers for the fan-out scenario: raw `ws` sockets speaking
 * graphql-transport-ws by hand (connection_init, subscribe, next), many per child process, so the
 * client side costs little and its event loops do not queue behind one another. Every receipt is
 * stamped with epochMs() (performance.timeOrigin + performance.now(): epoch milliseconds with
 * sub-millisecond resolution, comparable across processes), and only the turnout is read from each
 * update (its digits, found in the received bytes: no string, no JSON.parse), since the client
 * processes share the cores with the server they measure.
 *
 * This file is both the parent's API (ClientPool) and the child's entry point (spawned with an IPC channel).
 */

export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

type ToChild =
  | { type: 'connect'; url: string; count: number; query: string; variables: Record<string, unknown> }
  | { type: 'reset' }
  | { type: 'status'; total: number }
  | { type: 'collect'; acks: number[] }
  | { type: 'close' };

type FromChild =
  | { type: 'connected'; open: number; failed: number; firstError?: string }
  | { type: 'status'; done: number; messages: number; closed: number }
  | { type: 'collected'; samples: Float64Array; messages: number; complete: number; firsts: [string, number, number, string][]; perClient: number[]; lastAt: number }
  | { type: 'closed' };

// ---- child --------------------------------------------------------------------------------------

interface Subscriber {
  socket: WebSocket;
  times: number[];
  turnouts: number[];
  closed: boolean;
}

const TURNOUT = Buffer.from('"turnout":');

/** The turnout of an update (its digits after `"turnout":`), or -1 when the message has none. */
function turnoutOf(data: Buffer): number {
  let i = data.indexOf(TURNOUT);
  if (i < 0) return -1;
  i += TURNOUT.length;
  let value = 0;
  let digits = 0;
  for (; i < data.length && data[i] >= 48 && data[i] <= 57; i++, digits++) value = value * 10 + data[i] - 48;
  return digits ? value : -1;
}

/**
 * Which update the `index`-th message of a subscriber is, for the reference's replay: its turnout, and
 * how many messages with the same turnout came just before it (a server may send a turnout more than once).
 */
function updateKey(turnouts: number[], index: number): string {
  let repeats = 0;
  for (let i = index - 1; i >= 0 && turnouts[i] === turnouts[index]; i--) repeats++;
  return repeats ? `${turnouts[index]}#${repeats}` : String(turnouts[index]);
}

function child(): void {
  const subscribers: Subscriber[] = [];
  /** One message text per update (updateKey), as received. */
  const texts = new Map<string, string>();
  const send = (message: FromChild) => process.send!(message);

  async function connect(url: string, count: number, query: string, variables: Record<string, unknown>): Promise<void> {
    let failed = 0;
    let firstError: string | undefined;
    let next = 0;
    const open = () =>
      new Promise<void>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
        const sub: Subscriber = { socket, times: [], turnouts: [], closed: false };
        let settled = false;
        const done = (error?: string) => {
          if (settled) return;
          settled = true;
          if (error) {
            failed += 1;
            firstError ??= error;
            socket.terminate();
          } else subscribers.push(sub);
          resolve();
        };
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
        socket.on('message', (data: Buffer) => {
          const at = epochMs();
          const turnout = turnoutOf(data);
          if (turnout >= 0) {
            sub.times.push(at);
            sub.turnouts.push(turnout);
            const key = updateKey(sub.turnouts, sub.turnouts.length - 1);
            if (!texts.has(key)) texts.set(key, data.toString());
            return;
          }
          const text = data.toString();
          if (text.includes('"type":"next"')) {
            firstError ??= text.slice(0, 300);
            return;
          }
          if (text.includes('"type":"connection_ack"')) {
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
            done();
          } else if (text.includes('"type":"ping"')) {
            socket.send(JSON.stringify({ type: 'pong' }));
          } else if (text.includes('"type":"error"')) {
            firstError ??= text.slice(0, 300);
          }
        });
        socket.on('error', (error) => done(error.message));
        socket.on('close', (code, reason) => {
          sub.closed = true;
          done(`closed ${code} ${reason.toString()}`);
        });
      });
    // A few dozen handshakes in flight at a time: a burst of thousands overflows the accept backlog.
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < count) {
          next += 1;
          await open();
        }
      }),
    );
    send({ type: 'connected', open: subscribers.length, failed, firstError });
  }

  process.on('message', (message: ToChild) => {
    switch (message.type) {
      case 'connect':
        void connect(message.url, message.count, message.query, message.variables);
        break;
      case 'reset':
        for (const s of subscribers) {
          s.times = [];
          s.turnouts = [];
        }
        texts.clear();
        break;
      case 'status': {
        let done = 0;
        let messages = 0;
        let closed = 0;
        for (const s of subscribers) {
          if (s.turnouts.length && s.turnouts[s.turnouts.length - 1] >= message.total) done += 1;
          messages += s.turnouts.length;
          if (s.closed) closed += 1;
        }
        send({ type: 'status', done, messages, closed });
        break;
      }
      case 'collect': {
        // For the k-th acknowledged ballot (acks sorted), the first receipt of an update with turnout >= k, minus its ack time.
        const acks = message.acks;
        const samples = new Float64Array(subscribers.length * acks.length);
        let filled = 0;
        let messages = 0;
        let complete = 0;
        let lastAt = 0;
        const firsts = new Map<string, [number, number]>();
        const perClient: number[] = [];
        for (const s of subscribers) {
          messages += s.turnouts.length;
          perClient.push(s.turnouts.length);
          let j = 0;
          for (let k = 1; k <= acks.length; k++) {
            while (j < s.turnouts.length && s.turnouts[j] < k) j++;
            // A ballot this subscriber never saw counted (not by the end of the wait) is infinitely late, not left out.
            samples[filled++] = j === s.turnouts.length ? Infinity : s.times[j] - acks[k - 1];
          }
          if (s.turnouts.length && s.turnouts[s.turnouts.length - 1] >= acks.length) complete += 1;
          for (let i = 0; i < s.turnouts.length; i++) {
            const key = updateKey(s.turnouts, i);
            const seen = firsts.get(key);
            if (seen === undefined || s.times[i] < seen[1]) firsts.set(key, [s.turnouts[i], s.times[i]]);
            if (s.times[i] > lastAt) lastAt = s.times[i];
          }
        }
        send({ type: 'collected', samples: samples.slice(0, filled), messages, complete, firsts: [...firsts].map(([key, [turnout, at]]) => [key, turnout, at, texts.get(key) ?? '']), perClient, lastAt });
        break;
      }
      case 'close':
        for (const s of subscribers) s.socket.terminate();
        send({ type: 'closed' });
        setTimeout(() => process.exit(0), 50);
        break;
    }
  });
}

// ---- parent -------------------------------------------------------------------------------------

export interface Collected {
  /** Latency samples (ms), one per subscriber and acknowledged ballot (Infinity: never seen). */
  samples: Float64Array;
  messages: number;
  /** Subscribers that received the final turnout. */
  complete: number;
  /** Per distinct update (its turnout, and its place among repeats of that turnout): the earliest receipt by any subscriber, and the message text. */
  firsts: Map<string, { turnout: number; at: number; text: string }>;
  /** Updates received per subscriber: min and max. */
  perSubscriber: { min: number; max: number };
  lastAt: number;
}

/** Subscribers spread over `processes` child processes. */
export class ClientPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static start(processes: number): ClientPool {
    const [command, ...args] = withRaisedFileLimit([process.execPath, __filename, '--ws-clients-child']);
    const children = Array.from({ length: processes }, () => spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }));
    return new ClientPool(children);
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!);
  }

  private ask<T extends FromChild['type']>(child: ChildProcess, message: ToChild, reply: T, timeoutMs = 300_000): Promise<Extract<FromChild, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process did not answer ${message.type} in ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (m: FromChild) => {
        if (m.type !== reply) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as Extract<FromChild, { type: T }>);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  }

  /** Opens `count` subscribers in all, split evenly over the processes; with several urls, process i connects to urls[i % urls.length]. */
  async connect(urls: string | string[], count: number, query: string, variables: Record<string, unknown>): Promise<{ open: number; failed: number; firstError?: string }> {
    const list = typeof urls === 'string' ? [urls] : urls;
    const share = (i: number) => Math.floor(count / this.children.length) + (i < count % this.children.length ? 1 : 0);
    const replies = await Promise.all(this.children.map((c, i) => this.ask(c, { type: 'connect', url: list[i % list.length], count: share(i), query, variables }, 'connected')));
    return { open: replies.reduce((a, r) => a + r.open, 0), failed: replies.reduce((a, r) => a + r.failed, 0), firstError: replies.find((r) => r.firstError)?.firstError };
  }

  reset(): void {
    for (const c of this.children) c.send({ type: 'reset' } satisfies ToChild);
  }

  async status(total: number): Promise<{ done: number; messages: number; closed: number }> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { type: 'status', total }, 'status')));
    return { done: replies.reduce((a, r) => a + r.done, 0), messages: replies.reduce((a, r) => a + r.messages, 0), closed: replies.reduce((a, r) => a + r.closed, 0) };
  }

  /** Waits until `expected` subscribers saw turnout >= total, or the timeout passes; answers how many did. */
  async waitForTurnout(total: number, expected: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { done } = await this.status(total);
      if (done >= expected || Date.now() > deadline) return done;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async collect(acks: number[]): Promise<Collected> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { type: 'collect', acks }, 'collected')));
    const length = replies.reduce((a, r) => a + r.samples.length, 0);
    const samples = new Float64Array(length);
    let offset = 0;
    for (const r of replies) {
      samples.set(r.samples, offset);
      offset += r.samples.length;
    }
    const firsts = new Map<string, { turnout: number; at: number; text: string }>();
    for (const r of replies) {
      for (const [key, turnout, at, text] of r.firsts) {
        const seen = firsts.get(key);
        if (!seen || at < seen.at) firsts.set(key, { turnout, at, text: text || seen?.text || '' });
        else if (!seen.text && text) seen.text = text;
      }
    }
    const per = replies.flatMap((r) => r.perClient);
    return {
      samples,
      messages: replies.reduce((a, r) => a + r.messages, 0),
      complete: replies.reduce((a, r) => a + r.complete, 0),
      firsts,
      perSubscriber: { min: per.length ? Math.min(...per) : 0, max: per.length ? Math.max(...per) : 0 },
      lastAt: Math.max(...replies.map((r) => r.lastAt)),
    };
  }

  /** Closes every subscriber and ends the child processes (killed if they do not answer). */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise<void>((r) => c.once('exit', () => r()));
        await this.ask(c, { type: 'close' }, 'closed', 10_000).catch(() => undefined);
        const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** Percentile (nearest rank) of a sorted typed array. */
export function percentileOf(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

if (process.argv.includes('--ws-clients-child')) child();
