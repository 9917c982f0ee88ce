import { createHash, randomUUID } from 'node:crypto';
import type Autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { createDatabase } from '../lib/database';
import { SpawnedServer, spawnServer } from '../lib/server';
import { LatencySummary, nowMs, round, summarize } from '../lib/stats';
import { Figure, Scenario } from '../lib/types';
import { BenchAccount, bulkResidents, metricSum, scrape } from '../lib/seed';
import { cpuSeconds } from '../lib/proc';
import { benchRequire, DISTRICT, globalIdUuid, loginAdmin, OpenedRound, openRound, receiptHashOf, slotOf } from '../lib/voting-fixtures';

const CONNECTIONS = 64;
/** The server's DB_POOL_SIZE default, used for the server and for the raw pg reference alike. */
const DB_POOL = 10;
const CAST = `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt replaced } } }`;
const LABELS = ['Canal-side bike lane', 'Night market lighting', 'Pocket park on Soi 5', 'Flood pump upgrade'];

/**
 * 1. Casting ballots: castBallot mutations per second from 64 keep-alive clients (autocannon), every
 * request a different voter's first ballot in one SINGLE_CHOICE round; then every response body is
 * checked and the ballots, participations and tally shards are counted against the accepted casts.
 * Reference, in the same run: the same transaction as plain SQL through `pg` (64 concurrent callers
 * on a pool as big as the server's), on a second fresh database with the same migrations.
 */
export const cast: Scenario = {
  name: 'cast',
  async run(ctx) {
    const seconds = ctx.quick ? 5 : 20;
    const warmupSeconds = ctx.quick ? 2 : 4;
    // Enough first ballots for well over the rate seen here (about 1–2k/s), warm-up included.
    const voterCount = ctx.quick ? 15_000 : 50_000;
    const cleanup: (() => Promise<void>)[] = [];
    try {
      // ---- ours: the server over HTTP -------------------------------------------------------------
      const db = await createDatabase(ctx.postgresUrl, 'cast');
      cleanup.push(() => db.drop());
      const server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl, env: { DB_POOL_SIZE: String(DB_POOL) } });
      cleanup.push(() => server.stop());
      ctx.log(`cast: server ready in ${server.readyAfterMs} ms; ${voterCount} residents`);
      const admin = await loginAdmin(server.url);
      const residents = await bulkResidents(db.url, DISTRICT, voterCount, 'voter');
      const warmRound = await openRound(server.url, admin, { method: 'SINGLE_CHOICE', labels: LABELS, title: 'Warm-up vote' });
      const measuredRound = await openRound(server.url, admin, { method: 'SINGLE_CHOICE', labels: LABELS, title: 'Measured vote' });

      // Warm-up on its own round (voters from the end of the list, so the measured round's voters start fresh anyway).
      const warm = await hammer(server, warmRound, residents, warmupSeconds, true);
      ctx.log(`cast: warm-up ${warm.ok} ballots in ${warmupSeconds} s`);
      const metricsBefore = await scrape(server.url);
      const cpuBefore = cpuSeconds(server.pid);
      const ours = await hammer(server, measuredRound, residents, seconds, false);
      const cpuUsed = cpuSeconds(server.pid) - cpuBefore;
      const metricsAfter = await scrape(server.url);
      const castRequests = metricSum(metricsAfter, 'graphql_requests_total') - metricSum(metricsBefore, 'graphql_requests_total');
      const sqlPerBallot = (metricSum(metricsAfter, 'db_queries_total') - metricSum(metricsBefore, 'db_queries_total')) / castRequests;
      ctx.log(`cast: ${ours.ok} ballots in ${seconds} s (${round(ours.ok / seconds, 0)}/s), ${ours.errors} errors`);
      const counted = await verify(db.url, measuredRound, { ...ours, receiptHashes: ours.receipts.map(receiptHash) });
      ctx.log(`cast: verified ${JSON.stringify(counted)}`);
      await server.stop();

      // ---- reference: the same transaction through pg ------------------------------------------------
      const rawDb = await createDatabase(ctx.postgresUrl, 'cast_raw');
      cleanup.push(() => rawDb.drop());
      // The server's migrations and an open round with the same options, made by the server, which then stops.
      const migrator = await spawnServer({ databaseUrl: rawDb.url, redisUrl: ctx.redisUrl });
      cleanup.push(() => migrator.stop());
      const rawAdmin = await loginAdmin(migrator.url);
      const rawResidents = await bulkResidents(rawDb.url, DISTRICT, voterCount, 'voter');
      const rawRound = await openRound(migrator.url, rawAdmin, { method: 'SINGLE_CHOICE', labels: LABELS, title: 'Raw vote' });
      const rawWarmRound = await openRound(migrator.url, rawAdmin, { method: 'SINGLE_CHOICE', labels: LABELS, title: 'Raw warm-up' });
      await migrator.stop();
      const rawWarm = await rawCasts(rawDb.url, rawWarmRound, rawResidents, warmupSeconds, true);
      ctx.log(`cast: raw warm-up ${rawWarm.ok} ballots`);
      const raw = await rawCasts(rawDb.url, rawRound, rawResidents, seconds, false);
      ctx.log(`cast: raw pg ${raw.ok} ballots in ${seconds} s (${round(raw.ok / seconds, 0)}/s), ${raw.errors} errors`);
      const rawCounted = await verify(rawDb.url, rawRound, { ok: raw.ok, receiptHashes: raw.receiptHashes, abandoned: 0, errors: raw.errors, exhausted: raw.exhausted });

      const oursRate = ours.ok / seconds;
      const rawRate = raw.ok / raw.elapsedSeconds;
      const ratio = oursRate / rawRate;
      const errorsTotal = ours.errors + ours.non2xx + ours.transportErrors;
      const figures: Figure[] = [
        {
          metric: 'castBallot throughput (64 keep-alive clients)',
          value: round(oursRate, 1),
          unit: 'ballots/s',
          reference: { name: `raw pg, same transaction, 64 callers on a pool of ${DB_POOL}`, value: round(rawRate, 1) },
          ratio: round(ratio, 3),
          target: '≥ 0.60 × raw pg',
          met: ratio >= 0.6 && errorsTotal === 0,
          miss: ratio >= 0.6 ? (errorsTotal ? `${errorsTotal} errors` : undefined) : `${ratio.toFixed(2)} × raw pg, ${Math.round((0.6 - ratio) * 100)} points short`,
          note: `${seconds} s after a ${warmupSeconds} s warm-up on another round; ${ours.ok} ballots accepted, ${errorsTotal} errors (GraphQL errors, non-2xx, socket errors), and ${counted.ballots} ballots / ${counted.participations} participations / ${counted.turnout} turnout in the shards counted afterwards. Server and reference both use ${DB_POOL} database connections.`,
        },
        latencyFigure('castBallot latency p50', ours.latency.p50, raw.latency.p50),
        latencyFigure('castBallot latency p99', ours.latency.p99, raw.latency.p99),
        {
          metric: 'server CPU per ballot',
          value: round((cpuUsed * 1000) / castRequests, 2),
          unit: 'ms',
          note: `CPU time (user + system, /proc) of the server process during the measured run ÷ castBallot requests it answered (${castRequests}, from graphql_requests_total): the Node side of each ballot, PostgreSQL and Redis not included. Less sensitive than throughput to what else the machine runs.`,
        },
        {
          metric: 'SQL statements per ballot',
          value: round(sqlPerBallot, 2),
          unit: 'queries',
          note: 'Δdb_queries_total ÷ Δgraphql_requests_total from /metrics around the measured run: the token and session check, BEGIN and COMMIT included (the raw pg reference sends nine).',
        },
      ];
      return {
        scenario: '1. Casting ballots',
        figures,
        details: {
          seconds,
          warmupSeconds,
          connections: CONNECTIONS,
          serverDbPoolSize: DB_POOL,
          rawPoolSize: DB_POOL,
          residents: voterCount,
          ours: { ...ours, receipts: undefined, counted, cpuSeconds: cpuUsed, graphqlRequests: castRequests, sqlPerBallot },
          raw: { ...raw, receiptHashes: undefined, counted: rawCounted },
          rawTransaction:
            'BEGIN; SELECT round FOR SHARE; SELECT user kind + approved residency; SELECT the chosen options; INSERT participation ON CONFLICT DO NOTHING RETURNING; INSERT ballot (slot, receipt hash: the same HMACs, computed in the client); INSERT … ON CONFLICT DO UPDATE tally shard (turnout + option, one random shard of 16); INSERT audit entry; COMMIT',
          notMirrored: 'the server also checks the access token and its session per request (reads outside the transaction) and publishes a throttled live update; the reference does neither',
        },
      };
    } finally {
      for (const step of cleanup.reverse()) await step().catch((error: unknown) => ctx.log(`cast: cleanup failed: ${String(error)}`));
    }
  },
};

function latencyFigure(metric: string, ours: number, raw: number): Figure {
  return { metric, value: round(ours, 2), unit: 'ms', reference: { name: 'raw pg, same transaction', value: round(raw, 2) }, ratio: round(raw / ours, 3) };
}

export interface HammerResult {
  ok: number;
  errors: number;
  non2xx: number;
  transportErrors: number;
  timeouts: number;
  sent: number;
  responses: number;
  /** Requests sent but not answered when the duration ended (autocannon drops them; the server may still commit them). */
  abandoned: number;
  exhausted: boolean;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  firstErrors: string[];
  receipts: string[];
}

/**
 * autocannon, programmatic, closed loop: `connections` keep-alive clients, each sending the next voter's
 * castBallot as soon as its last one is answered; every response body read.
 */
export async function hammer(server: Pick<SpawnedServer, 'url'>, votingRound: OpenedRound, residents: BenchAccount[], seconds: number, fromTheEnd: boolean, connections = CONNECTIONS): Promise<HammerResult> {
  const autocannon = benchRequire('autocannon') as typeof Autocannon;
  let next = 0;
  let exhausted = false;
  let ok = 0;
  let errors = 0;
  let responses = 0;
  const receipts: string[] = [];
  const firstErrors: string[] = [];
  const voters = residents.length;
  const result = await autocannon({
    url: server.url,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        setupRequest: (req: any) => {
          const n = next++;
          if (n >= voters) exhausted = true;
          const i = fromTheEnd ? voters - 1 - (n % voters) : n % voters;
          const option = votingRound.options[i % votingRound.options.length];
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${residents[i].token}` },
            body: JSON.stringify({ query: CAST, variables: { i: { roundId: votingRound.id, choices: [option.id], idempotencyKey: randomUUID() } } }),
          };
        },
        onResponse: (status: number, body: string) => {
          responses++;
          let parsed: { data?: { castBallot?: { receipt?: { receipt?: string } } }; errors?: unknown[] } | undefined;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          const receipt = parsed?.data?.castBallot?.receipt?.receipt;
          if (status === 200 && !parsed?.errors?.length && receipt) {
            ok++;
            receipts.push(receipt);
          } else {
            errors++;
            if (firstErrors.length < 5) firstErrors.push(`${status} ${String(body).slice(0, 300)}`);
          }
        },
      } as any,
    ],
  });
  return {
    ok,
    errors,
    non2xx: result.non2xx,
    transportErrors: result.errors,
    timeouts: result.timeouts,
    sent: result.requests.sent,
    responses,
    abandoned: Math.max(0, result.requests.sent - responses),
    exhausted,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    firstErrors,
    receipts,
  };
}

/**
 * Counts what the database holds for the round and checks it against the accepted casts: every
 * returned receipt's ballot is there, ballots = participations = turnout in the shards = option
 * votes in the shards, and the ballots number the accepted casts (plus, at most, the requests that
 * were still in flight when the load generator stopped: the server commits those too).
 */
async function verify(
  databaseUrl: string,
  votingRound: OpenedRound,
  run: { ok: number; receiptHashes: string[]; abandoned: number; errors: number; exhausted: boolean },
): Promise<{ ballots: number; participations: number; turnout: number; optionVotes: number; audit: number; receiptsFound: number; inFlightCommitted: number }> {
  // Requests abandoned in flight finish on the server a moment later.
  await new Promise((r) => setTimeout(r, 1500));
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const id = votingRound.uuid;
    const one = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0].n ?? 0);
    const ballots = await one(`SELECT count(*) AS n FROM ballots WHERE round_id = $1`, [id]);
    const participations = await one(`SELECT count(*) AS n FROM voting_participations WHERE round_id = $1`, [id]);
    const turnout = await one(`SELECT coalesce(sum(count), 0) AS n FROM tally_shards WHERE round_id = $1 AND position = -1`, [id]);
    const optionVotes = await one(`SELECT coalesce(sum(count), 0) AS n FROM tally_shards WHERE round_id = $1 AND position >= 0`, [id]);
    const audit = await one(`SELECT count(*) AS n FROM audit_entries WHERE action = 'castBallot' AND subject = $1`, [Buffer.from(`VotingRound:${id}`).toString('base64url')]);
    const hashes = run.receiptHashes;
    const receiptsFound = await one(`SELECT count(*) AS n FROM ballots WHERE round_id = $1 AND receipt_hash = ANY($2::text[])`, [id, hashes]);
    const counted = { ballots, participations, turnout, optionVotes, audit, receiptsFound, inFlightCommitted: ballots - run.ok };
    const problems: string[] = [];
    if (run.errors) problems.push(`${run.errors} casts answered with an error`);
    if (run.exhausted) problems.push('the load generator ran out of fresh voters: raise the resident count');
    if (receiptsFound !== run.ok) problems.push(`${run.ok - receiptsFound} accepted receipts have no ballot`);
    if (participations !== ballots || turnout !== ballots || optionVotes !== ballots) problems.push(`ballots ${ballots}, participations ${participations}, turnout shards ${turnout}, option shards ${optionVotes} differ`);
    if (ballots < run.ok || ballots > run.ok + run.abandoned) problems.push(`${ballots} ballots for ${run.ok} accepted casts (+ at most ${run.abandoned} in flight at the stop)`);
    if (problems.length) throw new Error(`cast: the count does not match the accepted ballots: ${problems.join('; ')} (${JSON.stringify(counted)})`);
    return counted;
  } finally {
    await db.end();
  }
}

/** BallotBox.receiptHash. */
function receiptHash(receipt: string): string {
  return createHash('sha256').update(receipt.trim().toUpperCase()).digest('hex');
}

interface RawResult {
  ok: number;
  errors: number;
  exhausted: boolean;
  latency: LatencySummary;
  receiptHashes: string[];
  firstErrors: string[];
  elapsedSeconds: number;
}

/**
 * The reference: 64 callers, each running the cast transaction back to back through a pg Pool of
 * DB_POOL connections (the server's pool size), for the same duration. Latency is per transaction,
 * waiting for a connection included (as the server's requests wait for its pool).
 */
async function rawCasts(databaseUrl: string, votingRound: OpenedRound, residents: BenchAccount[], seconds: number, fromTheEnd: boolean): Promise<RawResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: DB_POOL });
  const roundId = globalIdUuid(votingRound.id);
  const optionIds = votingRound.options.map((o) => globalIdUuid(o.id));
  const voters = residents.length;
  let next = 0;
  let ok = 0;
  let errors = 0;
  let exhausted = false;
  const samples: number[] = [];
  const receiptHashes: string[] = [];
  const firstErrors: string[] = [];
  const startedAt = Date.now();
  const deadline = Date.now() + seconds * 1000;
  const SHARDS = 16;
  async function one(): Promise<void> {
    const n = next++;
    if (n >= voters) exhausted = true;
    const i = fromTheEnd ? voters - 1 - (n % voters) : n % voters;
    const voterId = residents[i].uuid;
    const optionId = optionIds[i % optionIds.length];
    const key = randomUUID();
    const started = nowMs();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const r = await client.query<{ status: string; opens_at: Date; closes_at: Date; district_code: string; secret: boolean }>(
        `SELECT status, opens_at, closes_at, district_code, secret FROM voting_rounds WHERE id = $1 FOR SHARE`,
        [roundId],
      );
      const votingRoundRow = r.rows[0];
      const now = Date.now();
      if (!votingRoundRow || votingRoundRow.status !== 'OPEN' || now < votingRoundRow.opens_at.getTime() || now >= votingRoundRow.closes_at.getTime()) throw new Error('round not open');
      const e = await client.query<{ kind: string; district_code: string | null }>(
        `SELECT u.kind, r.district_code FROM users u LEFT JOIN residencies r ON r.user_id = u.id AND r.status = 'APPROVED' WHERE u.id = $1`,
        [voterId],
      );
      if (e.rows[0]?.kind !== 'PERSON' || e.rows[0].district_code !== votingRoundRow.district_code) throw new Error('not eligible');
      const o = await client.query<{ position: number }>(`SELECT position FROM voting_options WHERE round_id = $1 AND id = ANY($2::uuid[])`, [roundId, [optionId]]);
      if (o.rows.length !== 1) throw new Error('not an option');
      const choices = o.rows.map((row) => row.position);
      const first = await client.query(`INSERT INTO voting_participations (round_id, voter_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING voter_id`, [roundId, voterId]);
      if (!first.rowCount) throw new Error('already voted');
      const receiptHash = receiptHashOf(roundId, voterId, key);
      await client.query(`INSERT INTO ballots (round_id, slot, receipt_hash, choices, voter_id) VALUES ($1, $2, $3, $4, $5)`, [
        roundId,
        slotOf(roundId, voterId),
        receiptHash,
        choices,
        votingRoundRow.secret ? null : voterId,
      ]);
      await client.query(
        `INSERT INTO tally_shards (round_id, position, shard, count) SELECT $1, p, $2, d FROM unnest($3::smallint[], $4::bigint[]) AS v(p, d)
         ON CONFLICT (round_id, position, shard) DO UPDATE SET count = tally_shards.count + EXCLUDED.count`,
        [roundId, Math.floor(Math.random() * SHARDS), [-1, ...choices], [1, ...choices.map(() => 1)]],
      );
      await client.query(`INSERT INTO audit_entries (district_code, actor_id, action, subject, request_id, outcome, error_code) VALUES ($1, NULL, 'castBallot', $2, $3, 'SUCCESS', NULL)`, [
        DISTRICT,
        Buffer.from(`VotingRound:${roundId}`).toString('base64url'),
        key,
      ]);
      await client.query('COMMIT');
      samples.push(nowMs() - started);
      ok++;
      receiptHashes.push(receiptHash);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      errors++;
      if (firstErrors.length < 5) firstErrors.push(String(error));
    } finally {
      client.release();
    }
  }
  async function caller(): Promise<void> {
    while (Date.now() < deadline) await one();
  }
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, caller));
  } finally {
    await pool.end();
  }
  // Callers finish the transaction in hand after the deadline: the rate is over the time actually taken.
  return { ok, errors, exhausted, latency: summarize(samples), receiptHashes, firstErrors, elapsedSeconds: (Date.now() - startedAt) / 1000 };
}
