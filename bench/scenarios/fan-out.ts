import { randomUUID } from 'node:crypto';
import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { BenchDatabase, createDatabase } from '../lib/database';
import { BenchAccount, bulkResidents, metricSum, scrape } from '../lib/seed';
import { loginAdmin, openRound } from '../lib/voting-fixtures';
import { cpuSeconds } from '../lib/proc';
import { rssOf, SpawnedServer, spawnServer } from '../lib/server';
import { round } from '../lib/stats';
import { BenchContext, Figure, Scenario, ScenarioResult } from '../lib/types';
import { ClientPool, Collected, epochMs, percentileOf } from '../lib/ws-clients';

const DISTRICT = '1001';
const SUBSCRIPTION = `subscription Live($r: ID!) { votingRoundUpdated(roundId: $r) { roundId status turnout results { ballots final options { label votes share } } } }`;
const CAST = `mutation Cast($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt replaced } } }`;
/** Ballots are sent at a steady pace, with at most this many in flight (below the server's pool of 10 connections; BENCH_FANOUT_IN_FLIGHT=32 shows the pool saturated). */
const PACE_PER_SECOND = 100;
const MAX_IN_FLIGHT = Number(process.env.BENCH_FANOUT_IN_FLIGHT ?? 8);
/** No ballot is sent after this many seconds (full run; quick: half), however many are left. */
const CAST_BUDGET_SECONDS = Number(process.env.BENCH_FANOUT_CAST_SECONDS ?? 60);
const CLIENT_PROCESSES = 4;

interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  samples: number;
}

function latency(samples: Float64Array): LatencyFigures {
  const sorted = samples.slice().sort();
  return { p50: round(percentileOf(sorted, 50)), p90: round(percentileOf(sorted, 90)), p99: round(percentileOf(sorted, 99)), max: round(percentileOf(sorted, 100)), samples: sorted.length };
}

/** Casts one ballot per voter at a steady pace; answers the acknowledgement times (epoch ms), sorted. */
/** For the k-th ack (in time order), the first moment of `reached` (turnout → time, by turnout) at turnout k or more, minus the ack. */
function sinceAcks(acks: number[], reached: [number, number][]): Float64Array {
  return new Float64Array(acks.map((ack, i) => (reached.find(([t]) => t >= i + 1)?.[1] ?? NaN) - ack).filter((x) => Number.isFinite(x)));
}

/** The figures both servers are measured by, from what their subscribers received. */
function delivery(n: number, acks: number[], collected: Collected, startMs: number, rssBefore: number, rssAfter: number, complete: number): Omit<Measured, 'extra'> & { firsts: [number, { at: number; text: string }][] } {
  const firsts = [...collected.firsts].sort((a, b) => a[0] - b[0]);
  return {
    firsts,
    subscribers: n,
    latency: latency(collected.samples),
    // The earliest receipt of each turnout by any subscriber, minus the ack: coalescing + building the update + the first send.
    firstDelivery: latency(sinceAcks(acks, firsts.map(([t, f]) => [t, f.at]))),
    messagesPerSecond: round(collected.messages / ((collected.lastAt - startMs) / 1000), 0),
    bytesPerSubscriber: Math.round((rssAfter - rssBefore) / n),
    collected: { messages: collected.messages, complete, perSubscriber: collected.perSubscriber, lastAt: collected.lastAt, updates: firsts.length },
  };
}

async function castAll(url: string, voters: BenchAccount[], roundId: string, options: string[], budgetMs: number): Promise<{ acks: number[]; failed: number; sent: number; firstError?: string; startedAt: number; endedAt: number }> {
  const acks: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let inFlight = 0;
  const startedAt = epochMs();
  const pending: Promise<void>[] = [];
  let sent = 0;
  for (let k = 0; k < voters.length; k++) {
    const due = startedAt + (k * 1000) / PACE_PER_SECOND;
    while (epochMs() < due || inFlight >= MAX_IN_FLIGHT) await new Promise((r) => setTimeout(r, Math.max(1, Math.min(5, due - epochMs()))));
    // A server that falls far behind the pace gets no more ballots after the budget: the run stays bounded.
    if (epochMs() - startedAt > budgetMs) break;
    sent += 1;
    inFlight += 1;
    const voter = voters[k];
    pending.push(
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${voter.token}` },
        body: JSON.stringify({ query: CAST, variables: { i: { roundId, choices: [options[k % options.length]], idempotencyKey: randomUUID() } } }),
      })
        .then(async (res) => {
          const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
          const at = epochMs();
          if (body.errors?.length || !body.data) {
            failed += 1;
            firstError ??= JSON.stringify(body.errors ?? body).slice(0, 300);
          } else acks.push(at);
        })
        .catch((error: unknown) => {
          failed += 1;
          firstError ??= String(error);
        })
        .finally(() => (inFlight -= 1)),
    );
  }
  await Promise.all(pending);
  return { acks: acks.sort((a, b) => a - b), failed, sent, firstError, startedAt, endedAt: epochMs() };
}

async function waitForSubscriptions(url: string, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = metricSum(await scrape(url), 'graphql_subscriptions_open');
    if (open >= count || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured {
  subscribers: number;
  latency: LatencyFigures;
  firstDelivery: LatencyFigures;
  messagesPerSecond: number;
  bytesPerSubscriber: number;
  collected: Omit<Collected, 'samples' | 'firsts'> & { updates: number };
  extra: Record<string, unknown>;
}

/** Our server: N subscribers on a fresh round while the voters cast. */
async function measureOurs(ctx: BenchContext, redisUrl: string, server: SpawnedServer, admin: string, voters: BenchAccount[], n: number, budgetMs: number): Promise<Measured & { T0: number; acks: number[]; schedule: { at: number; text: string }[] }> {
  const opened = await openRound(server.url, admin, { method: 'SINGLE_CHOICE', labels: ['Yes', 'No', 'Abstain'], resultsVisibility: 'LIVE', title: 'Fan-out bench: shade trees on Soi Samran Rat?' });
  const round_ = { id: opened.id, uuid: opened.uuid, options: opened.options.map((o) => o.id) };
  const pool = ClientPool.start(CLIENT_PROCESSES);
  try {
    await sleep(1000);
    const rssBefore = server.rssBytes();
    const wsUrl = server.url.replace(/^http/, 'ws') + '/graphql';
    const connectStarted = Date.now();
    const connected = await pool.connect(wsUrl, n, SUBSCRIPTION, { r: round_.id });
    if (connected.open < n) throw new Error(`only ${connected.open} of ${n} subscribers connected (${connected.failed} failed: ${connected.firstError})`);
    const open = await waitForSubscriptions(server.url, n, 120_000);
    if (open < n) throw new Error(`only ${open} of ${n} subscriptions open on the server`);
    const connectMs = Date.now() - connectStarted;
    await sleep(2000);
    const rssAfter = server.rssBytes();
    ctx.log(`fan-out: ${n} subscribers in ${connectMs} ms; server RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(rssAfter / 2 ** 20)} MiB; casting ${voters.length} ballots at ${PACE_PER_SECOND}/s`);
    // A tap on the Redis channel the server publishes updates to: when each turnout left the server.
    const tap = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const published = new Map<number, number>();
    tap.on('message', (_channel: string, message: string) => {
      const at = epochMs();
      const turnout = Number(/"turnout":(\d+)/.exec(message)?.[1] ?? NaN);
      if (Number.isFinite(turnout) && !published.has(turnout)) published.set(turnout, at);
    });
    await tap.connect();
    await tap.subscribe(`votingRoundUpdated:${round_.uuid}`);
    pool.reset();
    const cpuBefore = cpuSeconds(server.pid);
    // The database pool while ballots arrive: live updates read their totals through the same pool.
    const pool_ = { samples: 0, maxWaiting: 0, sumWaiting: 0, maxTotal: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const text = await scrape(server.url).catch(() => '');
        const waiting = Number(/db_pool_connections\{state="waiting"\} (\S+)/.exec(text)?.[1] ?? 0);
        const total = Number(/db_pool_connections\{state="total"\} (\S+)/.exec(text)?.[1] ?? 0);
        pool_.samples += 1;
        pool_.sumWaiting += waiting;
        pool_.maxWaiting = Math.max(pool_.maxWaiting, waiting);
        pool_.maxTotal = Math.max(pool_.maxTotal, total);
        await sleep(250);
      }
    })();
    const cast = await castAll(server.url, voters, round_.id, round_.options, budgetMs).finally(() => (sampling = false));
    await sampler;
    if (!cast.acks.length) throw new Error(`no ballot was accepted: ${cast.firstError}`);
    const complete = await pool.waitForTurnout(cast.acks.length, n, 60_000);
    const cpuUsed = cpuSeconds(server.pid) - cpuBefore;
    const collected = await pool.collect(cast.acks);
    tap.disconnect();
    const T0 = cast.startedAt;
    // ack → Redis publish (waiting for the flush, building the update), publish → first subscriber (the server's own fan-out work).
    const pubs = [...published].sort((a, b) => a[0] - b[0]);
    const toPublish = sinceAcks(cast.acks, pubs);
    const publishToFirst = new Float64Array(
      [...collected.firsts].map(([t, f]) => f.at - (published.get(t) ?? NaN)).filter((x) => Number.isFinite(x)),
    );
    const { firsts, ...figures } = delivery(n, cast.acks, collected, T0, rssBefore, rssAfter, complete);
    const windowMs = collected.lastAt - T0;
    const payload = firsts.length ? firsts[firsts.length - 1][1].text : '';
    ctx.log(`fan-out: ${n}: ${collected.messages} messages, ${complete}/${n} subscribers saw the final turnout ${cast.acks.length}; ${firsts.length} distinct updates`);
    return {
      ...figures,
      extra: {
        ackToRedisPublish: latency(toPublish),
        redisPublishToFirstSubscriber: latency(publishToFirst),
        updatesPublished: published.size,
        connectMs,
        rssBeforeMiB: round(rssBefore / 2 ** 20, 1),
        rssAfterMiB: round(rssAfter / 2 ** 20, 1),
        ballotsOffered: voters.length,
        ballotsSent: cast.sent,
        ballotsAcknowledged: cast.acks.length,
        ballotsFailed: cast.failed,
        firstCastError: cast.firstError,
        castSeconds: round((cast.endedAt - cast.startedAt) / 1000, 2),
        castRatePerSecond: round(cast.acks.length / ((cast.endedAt - cast.startedAt) / 1000), 1),
        serverCpuSecondsDuringCasting: round(cpuUsed, 2),
        dbPoolWhileCasting: { maxWaiting: pool_.maxWaiting, meanWaiting: round(pool_.sumWaiting / Math.max(1, pool_.samples), 1), maxConnections: pool_.maxTotal, samples: pool_.samples },
        serverCpuShareOfWindow: round(cpuUsed / (windowMs / 1000), 2),
        windowSeconds: round(windowMs / 1000, 2),
        payloadBytes: Buffer.byteLength(payload),
        payloadExample: payload,
      },
      T0,
      acks: cast.acks,
      // The moments our server published each update (on Redis; the first receipt where the tap missed it).
      schedule: firsts.map(([t, f]) => ({ at: published.get(t) ?? f.at, text: f.text })),
    };
  } finally {
    await pool.close();
  }
}

/** A bare ws server sending the same texts at the same moments (relative to the first ballot) to as many subscribers. */
async function measureReference(ctx: BenchContext, n: number, ours: { T0: number; acks: number[]; schedule: { at: number; text: string }[] }): Promise<Measured> {
  const server: ChildProcess = fork(resolve(__dirname, '..', 'reference', 'ws-broadcast-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pool = ClientPool.start(CLIENT_PROCESSES);
  try {
    const port = await new Promise<number>((done, fail) => {
      server.once('message', (m: { type: string; port: number }) => done(m.port));
      server.once('exit', (code) => fail(new Error(`the reference ws server exited (${code})`)));
    });
    await sleep(500);
    const rssBefore = rssOf(server.pid!);
    const connected = await pool.connect(`ws://127.0.0.1:${port}/graphql`, n, SUBSCRIPTION, {});
    if (connected.open < n) throw new Error(`reference: only ${connected.open} of ${n} subscribers connected (${connected.failed} failed: ${connected.firstError})`);
    for (;;) {
      const count = await new Promise<number>((done) => {
        server.once('message', (m: { subscribed: number }) => done(m.subscribed));
        server.send({ type: 'count' });
      });
      if (count >= n) break;
      await sleep(100);
    }
    await sleep(2000);
    const rssAfter = rssOf(server.pid!);
    pool.reset();
    const start = epochMs() + 1000;
    const shift = start - ours.T0;
    const sent = new Promise<void>((done) => server.on('message', (m: { type: string }) => m.type === 'sent' && done()));
    server.send({ type: 'schedule', items: ours.schedule.map((s) => ({ at: s.at + shift, text: s.text })) });
    await sent;
    const acks = ours.acks.map((a) => a + shift);
    const complete = await pool.waitForTurnout(acks.length, n, 60_000);
    const collected = await pool.collect(acks);
    const { firsts: _firsts, ...figures } = delivery(n, acks, collected, start, rssBefore, rssAfter, complete);
    ctx.log(`fan-out: reference ${n}: ${collected.messages} messages, ${complete}/${n} complete`);
    return {
      ...figures,
      extra: { rssBeforeMiB: round(rssBefore / 2 ** 20, 1), rssAfterMiB: round(rssAfter / 2 ** 20, 1) },
    };
  } finally {
    await pool.close();
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((r) => server.once('exit', () => r()));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }
}

export const fanOut: Scenario = {
  name: 'fan-out',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const sizes = ctx.quick ? { subscribers: [200, 1000], ballots: 300 } : { subscribers: [1000, 5000], ballots: 1000 };
    const db: BenchDatabase = await createDatabase(ctx.postgresUrl, 'fanout');
    let server: SpawnedServer | undefined;
    try {
      const figures: Figure[] = [];
      const details: Record<string, unknown> = {
        ballotsPerRound: sizes.ballots,
        pacePerSecond: PACE_PER_SECOND,
        maxInFlight: MAX_IN_FLIGHT,
        clientProcesses: CLIENT_PROCESSES,
        redis: 'REDIS_URL set: updates go through Redis pub/sub, as in production',
        subscription: SUBSCRIPTION,
        runs: [] as unknown[],
      };
      for (const n of sizes.subscribers) {
        // A fresh server for each size: memory per subscriber is measured from a baseline that no earlier round inflated.
        await server?.stop();
        server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl });
        const admin = await loginAdmin(server.url);
        // Fresh voters for each round: one ballot each.
        const voters = await bulkResidents(db.url, DISTRICT, sizes.ballots, `voter${n}`);
        const ours = await measureOurs(ctx, ctx.redisUrl, server, admin, voters, n, (ctx.quick ? CAST_BUDGET_SECONDS / 2 : CAST_BUDGET_SECONDS) * 1000);
        const reference = await measureReference(ctx, n, ours);
        (details.runs as unknown[]).push({ subscribers: n, ours: { ...ours, acks: undefined, schedule: undefined, T0: undefined }, reference });
        const coalescing = `${ours.collected.updates} updates for ${ours.extra.ballotsAcknowledged} ballots (each subscriber got ${ours.collected.perSubscriber.min}–${ours.collected.perSubscriber.max})`;
        const big = n === Math.max(...sizes.subscribers);
        const p99Met = ours.latency.p99 < 250;
        figures.push(
          {
            metric: `fan-out latency p99, ${n} subscribers`,
            value: ours.latency.p99,
            unit: 'ms',
            reference: { name: `bare ws, same messages at the moments we published them`, value: reference.latency.p99 },
            ratio: round(reference.latency.p99 / ours.latency.p99, 3),
            ...(big && !ctx.quick ? { target: 'p99 < 250 ms at 5,000 subscribers', met: p99Met, miss: p99Met ? undefined : `${Math.round(ours.latency.p99 - 250)} ms over` } : {}),
            note: `Latency: for the k-th acknowledged ballot (acks sorted by time), the time until a subscriber first receives an update with turnout ≥ k, minus that ack time; one sample per subscriber and ballot (${ours.latency.samples.toLocaleString('en-US')} samples). It includes the product's coalescing (at most 10 updates a second per round: ${coalescing}), so about 50 ms of it is waiting for the next flush by design; the earliest delivery to any subscriber was p50 ${ours.firstDelivery.p50} ms / p99 ${ours.firstDelivery.p99} ms after the ack (coalescing plus building the update: the fan-out itself is the rest); by a tap on the Redis channel, an update left the server p50 ${(ours.extra.ackToRedisPublish as LatencyFigures).p50} ms after the ack and reached the first subscriber p50 ${(ours.extra.redisPublishToFirstSubscriber as LatencyFigures).p50} ms / max ${(ours.extra.redisPublishToFirstSubscriber as LatencyFigures).max} ms after its publish. While ballots arrived, up to ${(ours.extra.dbPoolWhileCasting as { maxWaiting: number }).maxWaiting} requests waited for one of the server's database connections. Ballots: ${ours.extra.ballotsAcknowledged} of ${sizes.ballots} (${CAST_BUDGET_SECONDS * (ctx.quick ? 0.5 : 1)} s budget: none sent after it) by distinct residents over HTTP, offered at a steady ${PACE_PER_SECOND}/s with at most ${MAX_IN_FLIGHT} in flight; the server acknowledged ${ours.extra.castRatePerSecond}/s, while subscribers (anonymous, raw ws speaking graphql-transport-ws, in ${CLIENT_PROCESSES} client processes) listen; server with REDIS_URL set. The reference replays our update texts (${ours.extra.payloadBytes} bytes) at the moments our server published them on Redis, with our ack times shifted alike, and serves no ballots meanwhile: both share the wait for the update to be built, so the difference between the two is what our delivery (Redis to sockets) costs beyond a bare ws broadcast.`,
          },
          {
            metric: `fan-out latency p50, ${n} subscribers`,
            value: ours.latency.p50,
            unit: 'ms',
            reference: { name: 'bare ws', value: reference.latency.p50 },
            ratio: round(reference.latency.p50 / ours.latency.p50, 3),
          },
          {
            metric: `messages delivered per second, ${n} subscribers`,
            value: ours.messagesPerSecond,
            unit: 'msg/s',
            reference: { name: 'bare ws', value: reference.messagesPerSecond },
            ratio: round(ours.messagesPerSecond / reference.messagesPerSecond, 3),
            note: 'Messages received by all subscribers ÷ the time from the first ballot sent to the last message received. Bounded by the coalescing (≤ 10 updates/s × subscribers), not a capacity: the reference sends the same messages on the same schedule, so a ratio near 1 means we kept up.',
          },
          {
            metric: `ballots acknowledged per second while ${n} subscribers listen`,
            value: ours.extra.castRatePerSecond as number,
            unit: 'ballots/s',
            note: `Offered at ${PACE_PER_SECOND}/s with at most ${MAX_IN_FLIGHT} in flight; server CPU ${ours.extra.serverCpuSecondsDuringCasting} s over the ${ours.extra.windowSeconds} s window (${ours.extra.serverCpuShareOfWindow} of a core). No reference: it says how much the live updates slow the writes that cause them.`,
          },
          {
            metric: `server memory per subscriber, ${n} subscribers`,
            value: ours.bytesPerSubscriber / 1024,
            unit: 'KiB',
            reference: { name: 'bare ws server', value: reference.bytesPerSubscriber / 1024 },
            ratio: round(reference.bytesPerSubscriber / ours.bytesPerSubscriber, 3),
            note: 'RSS of the server process (started afresh for each size) 2 s after every subscription is open, minus its RSS before the first connection, ÷ subscribers (no forced GC: garbage not yet collected counts). Reference: the bare ws server process measured alike.',
          },
        );
      }
      return { scenario: '2. Live fan-out', figures, details };
    } finally {
      await server?.stop().catch(() => undefined);
      await db.drop().catch((error: unknown) => ctx.log(`fan-out: could not drop ${db.name}: ${String(error)}`));
    }
  },
};
