import { Agent } from 'node:http';
import { Client } from 'pg';
import { countInstantRunoff } from '../../src/voting/counting';
import { LIVE_COUNT_OF_R } from '../../src/voting/voting-loaders';
import { createDatabase } from '../lib/database';
import { postGraphQL } from '../lib/http';
import { spawnServer } from '../lib/server';
import { LatencySummary, nowMs, random, round, summarize } from '../lib/stats';
import { Figure, Scenario } from '../lib/types';
import { copyBallots, copyResidents, loginAdmin, OpenedRound, openRound } from '../lib/voting-fixtures';

const LABELS = ['Canal-side bike lane', 'Night market lighting', 'Pocket park on Soi 5', 'Flood pump upgrade', 'Shaded bus stops', 'Temple fair parking', 'Community library hours', 'Khlong clean-up crew'];
const RESULTS = `query($r: ID!) { votingRound(id: $r) { status turnout results { ballots eligibleVoters final quorumMet winners options { position label votes share winner } } } }`;
const CLOSE = `mutation($i: CloseVotingRoundInput!) { closeVotingRound(input: $i) { votingRound { status recordHead results { ballots winners rounds { round eliminated exhausted } } } } }`;

/**
 * Ranked ballots over 8 options: first preferences skewed (so the runoff takes several rounds), the
 * rest in random order, each ballot ranking 1 to 8 options.
 */
function rankedChooser(seed: number): (i: number) => number[] {
  const next = random(seed);
  const weights = [0.22, 0.2, 0.16, 0.13, 0.1, 0.08, 0.06, 0.05];
  return () => {
    let r = next();
    let first = weights.length - 1;
    for (let p = 0; p < weights.length; p++) {
      if (r < weights[p]) {
        first = p;
        break;
      }
      r -= weights[p];
    }
    const rest = [0, 1, 2, 3, 4, 5, 6, 7].filter((p) => p !== first);
    for (let k = rest.length - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      [rest[k], rest[j]] = [rest[j], rest[k]];
    }
    const length = 1 + Math.floor(next() * 8);
    return [first, ...rest].slice(0, length);
  };
}

/**
 * 3. Results: the live results of open ranked-choice rounds (shown live, read from the tally shards)
 * of 10,000, 100,000 and 1,000,000 ballots, sequential requests over HTTP, against an empty query on
 * the same server; then the time to close (and so count) the same rounds, and the count alone: how
 * both grow with the ballots. Ballots, participations and shards are loaded with COPY, as castBallot
 * writes them; each round is read, then closed.
 */
export const results: Scenario = {
  name: 'results',
  async run(ctx) {
    const big = ctx.quick ? 100_000 : 1_000_000;
    const small = 10_000;
    const middle = 100_000;
    const requests = Number(process.env.BENCH_RESULTS_REQUESTS ?? (ctx.quick ? 200 : 500));
    const warmup = 20;
    // Each request costs what it costs: a slow one is measured fewer times rather than for ever.
    const capSeconds = ctx.quick ? 15 : 30;
    // Closing waits at most this long; past it the figure says "not finished after".
    const closeCapSeconds = Number(process.env.BENCH_CLOSE_CAP_S ?? 120);
    const cleanup: (() => Promise<void>)[] = [];
    try {
      const db = await createDatabase(ctx.postgresUrl, 'results');
      cleanup.push(() => db.drop());
      const server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl });
      cleanup.push(() => server.stop());
      const admin = await loginAdmin(server.url);
      // Open (not secret) rounds: their live results are summed from the running counts at every read,
      // which is what is measured; a secret round shows its last published batch, a single row.
      const smallRound = await openRound(server.url, admin, { method: 'RANKED_CHOICE', labels: LABELS, resultsVisibility: 'LIVE', secret: false, title: 'Live results, 10k' });
      const bigRound = await openRound(server.url, admin, { method: 'RANKED_CHOICE', labels: LABELS, resultsVisibility: 'LIVE', secret: false, title: 'Live results, big' });
      const middleRound = ctx.quick ? null : await openRound(server.url, admin, { method: 'RANKED_CHOICE', labels: LABELS, resultsVisibility: 'LIVE', secret: false, title: 'Live results, 100k' });

      const client = new Client({ connectionString: db.url });
      await client.connect();
      cleanup.push(() => client.end());
      const loadStarted = nowMs();
      // Every voter is a verified resident of the district; each round's voters are the first n of them.
      const voters = await copyResidents(client, big);
      const residentsLoadedS = (nowMs() - loadStarted) / 1000;
      ctx.log(`results: ${big} residents loaded in ${residentsLoadedS.toFixed(1)} s`);
      const load = async (r: OpenedRound, n: number, seed: number) => {
        const t = nowMs();
        const { tallies } = await copyBallots(client, { uuid: r.uuid, ranked: true }, voters.slice(0, n), rankedChooser(seed));
        ctx.log(`results: ${n} ballots loaded in ${((nowMs() - t) / 1000).toFixed(1)} s`);
        return { tallies, seconds: (nowMs() - t) / 1000 };
      };
      const smallLoad = await load(smallRound, small, 1);
      const bigLoad = await load(bigRound, big, 2);
      const middleLoad = middleRound ? await load(middleRound, middle, 3) : null;
      const analyzeStarted = nowMs();
      await client.query('ANALYZE');
      const analyzeSeconds = (nowMs() - analyzeStarted) / 1000;

      // ---- live results, sequential -----------------------------------------------------------------
      // One kept-alive socket and plain node:http: fetch added about 3 ms a request of its own here.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      cleanup.push(async () => agent.destroy());
      const read = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(server.url, query, variables, { agent });
      const readResults = async (r: OpenedRound, expected: Map<number, number>, n: number) => {
        const warmUntil = nowMs() + 5000;
        for (let i = 0; i < warmup && nowMs() < warmUntil; i++) await read(RESULTS, { r: r.id });
        const samples: number[] = [];
        let last: any;
        const until = nowMs() + capSeconds * 1000;
        for (let i = 0; i < requests && nowMs() < until; i++) {
          const t = nowMs();
          last = await read(RESULTS, { r: r.id });
          samples.push(nowMs() - t);
        }
        // The answer must be the loaded one: the turnout and every option's first preferences.
        const shown = last.votingRound;
        const wrong: string[] = [];
        if (shown.turnout !== n || shown.results?.ballots !== n || shown.results?.final !== false) wrong.push(`turnout ${shown.turnout}, ballots ${shown.results?.ballots}, final ${shown.results?.final}`);
        for (const option of shown.results?.options ?? []) if (option.votes !== (expected.get(option.position) ?? 0)) wrong.push(`option ${option.position}: ${option.votes} ≠ ${expected.get(option.position) ?? 0}`);
        if (wrong.length) throw new Error(`results: the live results of the ${n}-ballot round are wrong: ${wrong.join('; ')}`);
        return { latency: summarize(samples), eligibleVoters: shown.results.eligibleVoters as number };
      };
      const logRead = (n: number, read: { latency: LatencySummary }) => ctx.log(`results: ${n} ballots: p50 ${read.latency.p50.toFixed(2)} ms, p99 ${read.latency.p99.toFixed(2)} ms`);
      const smallRead = await readResults(smallRound, smallLoad.tallies, small);
      logRead(small, smallRead);
      const middleRead = middleRound && middleLoad ? await readResults(middleRound, middleLoad.tallies, middle) : null;
      if (middleRead) logRead(middle, middleRead);
      const bigRead = await readResults(bigRound, bigLoad.tallies, big);
      // The floor under both: a query with no resolver and no SQL, over the same HTTP path and server.
      const floor = await (async () => {
        for (let i = 0; i < warmup; i++) await read('{ __typename }');
        const samples: number[] = [];
        const until = nowMs() + capSeconds * 1000;
        for (let i = 0; i < requests && nowMs() < until; i++) {
          const t = nowMs();
          await read('{ __typename }');
          samples.push(nowMs() - t);
        }
        return summarize(samples);
      })();
      ctx.log(`results: { __typename }: p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms`);
      logRead(big, bigRead);
      // Where the time of one results query goes: each SQL statement it runs, timed by PostgreSQL.
      const explain = async (sql: string, params: unknown[]) => {
        const plan = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
        return round(plan['Execution Time'], 3);
      };
      const statementMs = {
        // The server's one statement for votingRound(id) { turnout results }: the round with its live count (VotingLoaders.withLiveCount).
        roundWithLiveCount: await explain(`SELECT r.*, ${LIVE_COUNT_OF_R} AS live FROM voting_rounds r WHERE r.id = $1`, [bigRound.uuid]),
        countingResidents: await explain(`SELECT count(*) AS n FROM residencies r JOIN users u ON u.id = r.user_id WHERE r.district_code = $1 AND r.status = 'APPROVED' AND u.kind = 'PERSON'`, ['1001']),
      };

      // ---- counting: close = count + ballot record; and the count alone ------------------------------
      const countAlone = async (r: OpenedRound) => {
        const t = nowMs();
        const rows = (await client.query<{ choices: number[]; n: string }>(`SELECT choices, count(*) AS n FROM ballots WHERE round_id = $1 GROUP BY choices`, [r.uuid])).rows;
        const queried = nowMs();
        const counted = countInstantRunoff(
          rows.map((row) => ({ choices: row.choices, count: Number(row.n) })),
          LABELS.length,
          // The lot's seed is the record's head, written at closing; any seed costs the same here.
          '0'.repeat(64),
        );
        const done = nowMs();
        return { ms: done - t, queryMs: queried - t, runoffMs: done - queried, groups: rows.length, rounds: counted.rounds?.length ?? 0, winners: counted.winners, ballots: counted.ballots };
      };
      const close = async (r: OpenedRound, n: number) => {
        const alone = await countAlone(r);
        const t = nowMs();
        const closed = await postGraphQL(server.url, CLOSE, { i: { roundId: r.id } }, { token: admin, timeoutMs: closeCapSeconds * 1000 });
        const ms = nowMs() - t;
        if (closed === 'timeout') {
          ctx.log(`results: closing ${n} ballots did not finish in ${closeCapSeconds} s (count alone ${alone.ms.toFixed(0)} ms); given up`);
          return { closeMs: ms, alone, runoffRounds: alone.rounds, finished: false };
        }
        const result = closed.closeVotingRound.votingRound;
        if (result.status !== 'CLOSED' || result.results.ballots !== n) throw new Error(`results: closing the ${n}-ballot round gave ${JSON.stringify(result).slice(0, 300)}`);
        // The server names winners by option id; the count alone by position.
        const aloneWinners = alone.winners.map((position) => r.options.find((o) => o.position === position)!.id);
        if (result.results.winners.join(',') !== aloneWinners.join(',')) throw new Error(`results: the server's winners ${result.results.winners} differ from the count alone ${aloneWinners}`);
        // The record is published: one checkpoint every 1,000 entries (BallotRecord), its head on the round.
        const recorded = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ballot_record_checkpoints WHERE round_id = $1`, [r.uuid])).rows[0].n);
        if (recorded !== Math.ceil(n / 1000)) throw new Error(`results: ${recorded} checkpoints of the published record for ${n} ballots`);
        ctx.log(`results: closed ${n} ballots in ${(ms / 1000).toFixed(2)} s (count alone ${alone.ms.toFixed(0)} ms, ${alone.groups} distinct rankings, ${result.results.rounds.length} runoff rounds)`);
        return { closeMs: ms, alone, runoffRounds: result.results.rounds.length as number, finished: true };
      };
      const countSmall = await close(smallRound, small);
      const countMiddle = await close(middleRound ?? bigRound, middle);
      const countBig = ctx.quick ? null : await close(bigRound, big);

      // The curve: what one results query and closing cost at each size, in this run.
      const reads = [[small, smallRead], ...(middleRead ? [[middle, middleRead]] : []), [big, bigRead]] as [number, typeof bigRead][];
      const closes = [[small, countSmall], [middle, countMiddle], ...(countBig ? [[big, countBig]] : [])] as [number, typeof countSmall][];
      const curve = [...new Set([...reads.map(([n]) => n), ...closes.map(([n]) => n)])].map((n) => {
        const read = reads.find(([m]) => m === n)?.[1];
        const closed = closes.find(([m]) => m === n)?.[1];
        return {
          ballots: n,
          resultsP50Ms: read ? round(read.latency.p50, 2) : null,
          resultsP99Ms: read ? round(read.latency.p99, 2) : null,
          closeSeconds: closed ? round(closed.closeMs / 1000, 2) : null,
          closeFinished: closed ? closed.finished : null,
          countAloneSeconds: closed ? round(closed.alone.ms / 1000, 2) : null,
        };
      });
      const curveText = curve.map((c) => `${c.ballots.toLocaleString('en-US')}: results p50 ${c.resultsP50Ms ?? '–'} / p99 ${c.resultsP99Ms ?? '–'} ms, close ${c.closeSeconds ?? '–'} s`).join('; ');
      // Flat: the p99 at the largest round within 1.5 × the p99 at 10,000 (the bound the questionnaire results scenario uses too).
      const growth = bigRead.latency.p99 / smallRead.latency.p99;
      const flat = growth <= 1.5;
      const withinFloor = bigRead.latency.p99 <= 2 * floor.p99;

      const bigName = big.toLocaleString('en-US');
      const smallName = small.toLocaleString('en-US');
      const figures: Figure[] = [
        ...reads.map(([n, read]) => ({
          metric: `live results p99 at ${n.toLocaleString('en-US')} ballots`,
          value: round(read.latency.p99, 2),
          unit: 'ms',
          reference: { name: 'empty query { __typename } p99, same run', value: round(floor.p99, 2) },
          ratio: round(floor.p99 / read.latency.p99, 3),
          ...(n === big
            ? {
                target: '≤ 2 × the empty query p99 (same run)',
                met: withinFloor && !ctx.quick,
                miss: ctx.quick
                  ? `quick run: ${bigName} ballots, not 1,000,000`
                  : withinFloor
                    ? undefined
                    : `${(bigRead.latency.p99 / floor.p99).toFixed(2)} × the empty query's ${floor.p99.toFixed(1)} ms (${(bigRead.latency.p99 - 2 * floor.p99).toFixed(1)} ms over 2 ×)`,
                note: `p50 ${read.latency.p50.toFixed(2)} ms (empty query ${floor.p50.toFixed(2)} ms). ${read.latency.count} sequential requests (${requests} planned, at most ${capSeconds} s per round) after ${warmup} unmeasured, over HTTP (votingRound { status turnout results { … options } }, anonymous); ${bigRead.eligibleVoters.toLocaleString('en-US')} verified residents in the district for every round. The server's SQL for it is one statement, the round with its live count (shard totals, options, the district's electorate row), which PostgreSQL runs in ${statementMs.roundWithLiveCount} ms at ${bigName} ballots; counting the district's residents instead of reading its row would take ${statementMs.countingResidents} ms.`,
              }
            : { note: `p50 ${read.latency.p50.toFixed(2)} ms; ${read.latency.count} sequential requests (${requests} planned, at most ${capSeconds} s) after ${warmup} unmeasured` }),
        })),
        {
          metric: `live results p99 growth, ${smallName} → ${bigName} ballots`,
          value: round(growth, 2),
          unit: '×',
          target: `flat from 10,000 to 1,000,000 ballots (p99 at 1,000,000 ≤ 1.5 × the p99 at 10,000)`,
          met: flat && !ctx.quick,
          miss: ctx.quick ? `quick run: ${bigName} ballots, not 1,000,000` : flat ? undefined : `${growth.toFixed(2)} × the p99 at ${smallName}`,
          note: `the p99 at ${bigName} ballots over the p99 at ${smallName} (p50: ${(bigRead.latency.p50 / smallRead.latency.p50).toFixed(2)} ×). The curve: ${curveText}.`,
        },
        ...(['p50', 'p99'] as const).map((p) => ({
          metric: `empty query { __typename } ${p}`,
          value: round(floor[p], 2),
          unit: 'ms',
          note: p === 'p99' ? `${floor.count} sequential requests after ${warmup} unmeasured, to the same server right after the results: no resolver and no SQL, so what every request pays for HTTP, GraphQL and the machine's spread. The floor under the results query (its target is 2 × this).` : undefined,
        })),
        ...closes.map(([n, c]) => countFigure(`close ranked-choice round, ${n.toLocaleString('en-US')} ballots`, c, CLOSE_TARGET_S[n])),
      ];
      if (ctx.quick) figures[0].note = `quick run: ${bigName} ballots at most instead of 1,000,000, and the 1M count is skipped; ${figures[0].note}`;
      return {
        scenario: '3. Results and counting',
        figures,
        details: {
          ballots: { small, middle: middleRound ? middle : null, big },
          curve,
          requests,
          capSeconds,
          closeCapSeconds,
          warmup,
          load: { residentsSeconds: round(residentsLoadedS, 1), small: round(smallLoad.seconds, 1), big: round(bigLoad.seconds, 1), middle: middleLoad ? round(middleLoad.seconds, 1) : null, analyzeSeconds: round(analyzeSeconds, 1) },
          latency: { small: smallRead.latency, middle: middleRead?.latency ?? null, big: bigRead.latency, emptyQuery: floor },
          statementMsAtBig: statementMs,
          count: { small: countSmall, middle: countMiddle, big: countBig },
          closeDoes: 'locks the round, counts eligible residents, runs the authoritative count (GROUP BY choices over the ballots + instant runoff), writes the hash-chained ballot record (every ballot updated, in receipt-hash order, 5,000 at a time), saves the result',
        },
      };
    } finally {
      for (const step of cleanup.reverse()) await step().catch((error: unknown) => ctx.log(`results: cleanup failed: ${String(error)}`));
    }
  },
};

/** Issue 17's targets for closing a ranked-choice round, from `closesAt` to published results and record, by ballots. */
const CLOSE_TARGET_S: Record<number, number | undefined> = { 100_000: 1.5, 1_000_000: 10 };

function countFigure(metric: string, c: { closeMs: number; alone: { ms: number; queryMs: number; runoffMs: number; groups: number }; runoffRounds: number; finished: boolean }, targetS?: number): Figure {
  const seconds = round(c.closeMs / 1000, 2);
  const met = c.finished && targetS !== undefined && seconds <= targetS;
  return {
    metric: c.finished ? metric : `${metric} (not finished: lower bound)`,
    value: seconds,
    unit: 's',
    ...(targetS !== undefined ? { target: `≤ ${targetS} s`, met, miss: met ? undefined : `${seconds} s, ${round(seconds - targetS, 2)} s over` } : {}),
    note: `${c.finished ? '' : `NOT FINISHED: given up after ${(c.closeMs / 1000).toFixed(0)} s, so the value is a lower bound; `}closeVotingRound over HTTP (count + writing the chained ballot record); the count alone (GROUP BY choices through pg ${c.alone.queryMs.toFixed(0)} ms + instant runoff in Node ${c.alone.runoffMs.toFixed(0)} ms, ${c.alone.groups.toLocaleString('en-US')} distinct rankings, ${c.runoffRounds} rounds) took ${(c.alone.ms / 1000).toFixed(2)} s`,
  };
}
