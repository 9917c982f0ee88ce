import { Client } from 'pg';
import { benchRequire } from '../lib/bench-require';
import { cpuSeconds } from '../lib/proc';
import { BenchDatabase, createDatabase } from '../lib/database';
import { bulkResidents, inParallel, metricSum, scrape } from '../lib/seed';
import { gql } from '../lib/voting-fixtures';
import { SpawnedServer, spawnServer } from '../lib/server';
import { round } from '../lib/stats';
import { BenchContext, Figure, Scenario, ScenarioResult } from '../lib/types';

const DISTRICT = '1001'; // Phra Nakhon
const CATEGORIES = ['INFRASTRUCTURE', 'TRANSPORT', 'ENVIRONMENT', 'FLOODING_AND_DRAINAGE', 'SAFETY', 'HEALTH', 'EDUCATION', 'CULTURE', 'ECONOMY', 'SOCIAL_WELFARE', 'OTHER'];
const STANCES = ['FOR', 'AGAINST', 'NEUTRAL'];
/** Issue 17's target: the district page at least 1.2 × PostGraphile's requests per second, with our visibility rules kept. */
const THROUGHPUT_TARGET = 1.2;

/** The page a district's proposal list shows: 20 proposals with author, counts, stances and the three newest comments. */
export const OUR_QUERY = `query DistrictPage { proposals(filter: { districtCode: "${DISTRICT}" }, first: 20) { edges { node {
  id title summary status publishedAt author { id displayName } endorsementCount commentCount stanceCounts { for against neutral }
  recentComments(first: 3) { id body stance createdAt author { id displayName } } } } } }`;

/** The same page from PostGraphile's generated schema (plus two computed columns in postgraphile_ref). */
export const REFERENCE_QUERY = `query DistrictPage { allProposals(condition: { districtCode: "${DISTRICT}" }, orderBy: [PUBLISHED_AT_DESC, PRIMARY_KEY_DESC], first: 20) { nodes {
  id title summary status publishedAt userByAuthorId { id displayName } endorsementCount commentCount stanceCounts { for against neutral }
  recentCommentsList(n: 3) { id body stance createdAt userByAuthorId { id displayName } } } } }`;

/**
 * Computed columns for the reference, in a schema of their own in the bench database only (never in
 * migrations). They compute what the product computes: stance counts of VISIBLE comments, and the
 * newest top-level comments (tombstones included, as comments(NEWEST) lists them). What PostGraphile
 * does not do: mask hidden and deleted bodies per viewer, or hide unpublished proposals.
 */
const REFERENCE_SQL = `
  CREATE SCHEMA postgraphile_ref;
  CREATE TYPE postgraphile_ref.stance_counts AS ("for" int, against int, neutral int);
  CREATE FUNCTION postgraphile_ref.proposals_stance_counts(p public.proposals) RETURNS postgraphile_ref.stance_counts LANGUAGE sql STABLE AS $$
    SELECT count(*) FILTER (WHERE stance = 'FOR')::int, count(*) FILTER (WHERE stance = 'AGAINST')::int, count(*) FILTER (WHERE stance = 'NEUTRAL')::int
    FROM public.comments WHERE subject_id = p.id AND status = 'VISIBLE'
  $$;
  CREATE FUNCTION postgraphile_ref.proposals_recent_comments(p public.proposals, n int DEFAULT 3) RETURNS SETOF public.comments LANGUAGE sql STABLE AS $$
    SELECT * FROM public.comments WHERE subject_id = p.id AND parent_id IS NULL ORDER BY created_at DESC, id DESC LIMIT n
  $$;
  COMMENT ON FUNCTION postgraphile_ref.proposals_recent_comments(public.proposals, int) IS E'@behavior -connection +list';
  -- PostGraphile only orders by indexed columns unless told; ours orders by COALESCE(published_at, created_at), unindexed too.
  COMMENT ON COLUMN public.proposals.published_at IS E'@behavior +orderBy';
`;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

function load(url: string, body: string, connections: number, seconds: number): Promise<AutocannonResult> {
  const autocannon = benchRequire('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  return autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds });
}

/** 200 published proposals through the API, then endorsements and ~20 comments each written as the product writes them. */
export async function seed(ctx: BenchContext, server: SpawnedServer, db: BenchDatabase, sizes: { proposals: number; users: number; commentsPer: number }) {
  const users = await bulkResidents(db.url, DISTRICT, sizes.users, 'reader');
  const authors = users.slice(0, 40);
  const ids = await inParallel(Array.from({ length: sizes.proposals }, (_, i) => i), 8, async (i) => {
    const author = authors[i % authors.length];
    const created = await gql(server.url, `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, {
      i: {
        districtCode: DISTRICT,
        title: `ทางเดินร่มรื่น ซอย ${i + 1}: shade and drainage for soi ${i + 1}`,
        summary: `Plant trees and clear the drains along soi ${i + 1} so the walk to the market is bearable in April and dry in September.`,
        body: `## Why\n\nSoi ${i + 1} floods after every storm and has no shade between **10:00** and **16:00**.\n\n- ${10 + (i % 30)} rain trees\n- new drain covers\n- a bench every 100 m`,
        category: CATEGORIES[i % CATEGORIES.length],
        estimatedBudget: 50_000 + i * 1_000,
      },
    }, author.token);
    await gql(server.url, `mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: created.createProposal.proposal.id }, author.token);
    return Buffer.from(created.createProposal.proposal.id, 'base64url').toString().split(':')[1];
  });
  ctx.log(`reading: ${ids.length} proposals published through the API`);

  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const admin = (await client.query<{ id: string }>(`SELECT id FROM users WHERE is_admin LIMIT 1`)).rows[0].id;
    const proposals = (await client.query<{ id: string; author_id: string }>(`SELECT id, author_id FROM proposals WHERE id = ANY($1)`, [ids])).rows;
    // Endorsements: 0 to 9 each, below the district's threshold of 10 (a tenth would qualify the proposal, with a transition).
    const endorse: [string, string][] = [];
    let r = 12345;
    const rand = (n: number) => {
      r = (r * 1103515245 + 12345) % 2 ** 31;
      return r % n;
    };
    for (const p of proposals) {
      const k = rand(10);
      const chosen = new Set<string>();
      while (chosen.size < k) {
        const u = users[40 + rand(users.length - 40)].uuid;
        if (u !== p.author_id) chosen.add(u);
      }
      for (const u of chosen) endorse.push([p.id, u]);
    }
    await client.query(`INSERT INTO proposal_endorsements (proposal_id, user_id) SELECT p, u FROM unnest($1::uuid[], $2::uuid[]) AS v(p, u)`, [endorse.map((e) => e[0]), endorse.map((e) => e[1])]);
    await client.query(`UPDATE proposals p SET endorsement_count = (SELECT count(*) FROM proposal_endorsements e WHERE e.proposal_id = p.id) WHERE p.id = ANY($1)`, [ids]);

    // Comments: per proposal, 80% top-level and 20% replies (depth 1); about 6% hidden by a moderator
    // (with the moderation record) and 4% deleted by their author (body gone); stances mixed.
    const rows: { id: string; subject: string; parent: string | null; depth: number; author: string; body: string | null; stance: string; status: string; reason: string | null; offsetMs: number }[] = [];
    const { randomUUID } = await import('node:crypto');
    let offset = 0;
    for (const p of proposals) {
      const top: string[] = [];
      for (let j = 0; j < sizes.commentsPer; j++) {
        const id = randomUUID();
        const reply = j >= 4 && rand(5) === 0;
        const parent = reply ? top[rand(top.length)] : null;
        const roll = rand(100);
        const status = roll < 6 ? 'HIDDEN' : roll < 10 ? 'DELETED' : 'VISIBLE';
        rows.push({
          id,
          subject: p.id,
          parent,
          depth: parent ? 1 : 0,
          author: users[rand(users.length)].uuid,
          body: status === 'DELETED' ? null : `ความเห็นที่ ${j + 1}: ${['เห็นด้วย', 'ไม่เห็นด้วย', 'ขอข้อมูลเพิ่ม'][j % 3]} — the drains on this soi were last cleared in ${2015 + (j % 10)}.`,
          stance: STANCES[rand(3)],
          status,
          reason: status === 'HIDDEN' ? 'Personal attack' : null,
          offsetMs: offset++,
        });
        if (!parent) top.push(id);
      }
    }
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((row) => row[k]);
    await client.query(
      `INSERT INTO comments (id, subject_type, subject_id, district_code, parent_id, depth, author_id, body, stance, status, moderation_reason, created_at)
       SELECT id, 'Proposal', subject, $11, parent, depth, author, body, stance, status, reason, now() + offset_ms * interval '1 millisecond'
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::smallint[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
         AS v(id, subject, parent, depth, author, body, stance, status, reason, offset_ms)`,
      [col('id'), col('subject'), col('parent'), col('depth'), col('author'), col('body'), col('stance'), col('status'), col('reason'), col('offsetMs'), DISTRICT],
    );
    const hidden = rows.filter((row) => row.status === 'HIDDEN');
    await client.query(`INSERT INTO comment_moderations (comment_id, action, reason, moderator_id) SELECT c, 'HIDE', 'Personal attack', $2 FROM unnest($1::uuid[]) AS c`, [hidden.map((h) => h.id), admin]);
    // The product keeps comment_count = visible comments (replies included): posting adds one, hiding or deleting takes it away.
    await client.query(`UPDATE proposals p SET comment_count = (SELECT count(*) FROM comments c WHERE c.subject_id = p.id AND c.status = 'VISIBLE') WHERE p.id = ANY($1)`, [ids]);
    await client.query('ANALYZE');
    ctx.log(`reading: ${endorse.length} endorsements and ${rows.length} comments (${hidden.length} hidden, ${rows.filter((x) => x.status === 'DELETED').length} deleted) written`);
    return { endorsements: endorse.length, comments: rows.length, hidden: hidden.length, users: users.length, proposals: ids.length };
  } finally {
    await client.end();
  }
}

async function sqlCount(url: string): Promise<number> {
  return Number(await (await fetch(`${url}/sql-count`)).text());
}

/**
 * Older proposals for the district until it holds `total`, written by SQL (100,000 through the API would take
 * an hour): copies of the API-written ones, each published before every proposal already there, so the page
 * (the newest 20) stays the same while the list it is cut from grows. Each copy carries its template's
 * top-level comments (at most 8, new ids, same authors, stances and statuses), so comments grow with it.
 */
async function growDistrict(db: BenchDatabase, total: number): Promise<{ proposals: number; comments: number }> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const have = Number((await client.query(`SELECT count(*) FROM proposals WHERE district_code = $1`, [DISTRICT])).rows[0].count);
    const add = total - have;
    if (add > 0) {
      const columns = (await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'proposals' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
      const fresh: Record<string, string> = {
        id: 'gen_random_uuid()',
        title: `'Copy ' || g.n || ': ' || t.title`,
        published_at: `o.oldest - g.n * interval '1 minute'`,
        created_at: `o.oldest - g.n * interval '1 minute' - interval '1 hour'`,
        updated_at: `o.oldest - g.n * interval '1 minute'`,
      };
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE copies ON COMMIT DROP AS
        WITH templates AS (SELECT p.*, row_number() OVER (ORDER BY p.id) - 1 AS k, count(*) OVER () AS templates FROM proposals p WHERE p.district_code = '${DISTRICT}' AND p.title NOT LIKE 'Copy %'),
             o AS (SELECT min(COALESCE(published_at, created_at)) AS oldest FROM proposals WHERE district_code = '${DISTRICT}')
        SELECT g.n, t.id AS template, ${columns.map((c) => `${fresh[c] ?? `t."${c}"`} AS "${c}"`).join(', ')}
        FROM generate_series(1, ${add}) AS g(n) CROSS JOIN o JOIN templates t ON t.k = g.n % t.templates`);
      await client.query(`INSERT INTO proposals (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM copies`);
      await client.query(`INSERT INTO comments (id, subject_type, subject_id, district_code, parent_id, depth, author_id, body, stance, status, moderation_reason, created_at)
        SELECT gen_random_uuid(), 'Proposal', c.id, '${DISTRICT}', NULL, 0, k.author_id, k.body, k.stance, k.status, k.moderation_reason, c.published_at + k.nth * interval '1 second'
        FROM copies c CROSS JOIN LATERAL (
          SELECT x.*, row_number() OVER (ORDER BY x.created_at) AS nth FROM comments x WHERE x.subject_id = c.template AND x.parent_id IS NULL ORDER BY x.created_at LIMIT 8
        ) k`);
      await client.query(`UPDATE proposals p SET comment_count = v.n FROM (
        SELECT c.id, count(k.id) AS n FROM copies c LEFT JOIN comments k ON k.subject_id = c.id AND k.status = 'VISIBLE' GROUP BY c.id) v WHERE p.id = v.id`);
      await client.query('COMMIT');
      await client.query('ANALYZE');
    }
    const counts = (await client.query(`SELECT (SELECT count(*) FROM proposals WHERE district_code = $1) AS proposals, (SELECT count(*) FROM comments WHERE district_code = $1) AS comments`, [DISTRICT])).rows[0];
    return { proposals: Number(counts.proposals), comments: Number(counts.comments) };
  } finally {
    await client.end();
  }
}

/** The page under load on our server alone: throughput, latency, Node CPU and SQL statements per page. */
async function measurePage(server: SpawnedServer, connections: number, seconds: number, warmup: number) {
  const body = JSON.stringify({ query: OUR_QUERY });
  await load(`${server.url}/graphql`, body, connections, warmup);
  const before = await scrape(server.url);
  const cpu = cpuSeconds(server.pid);
  const run = await load(`${server.url}/graphql`, body, connections, seconds);
  const cpuUsed = cpuSeconds(server.pid) - cpu;
  const after = await scrape(server.url);
  if (run.non2xx || run.errors || run.timeouts) throw new Error(`ours: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`);
  const requests = metricSum(after, 'graphql_requests_total') - metricSum(before, 'graphql_requests_total');
  return {
    requestsPerSecond: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    cpuMsPerPage: (cpuUsed * 1000) / run.requests.total,
    sqlPerPage: (metricSum(after, 'db_queries_total') - metricSum(before, 'db_queries_total')) / requests,
  };
}

/**
 * How the page's cost grows with the district: 10 proposals written through the API, then 1,000 and
 * 100,000 (copies, older, see growDistrict), the same page measured at each size on one server.
 */
async function growth(ctx: BenchContext, connections: number): Promise<{ size: number; seeded: { proposals: number; comments: number }; page: Awaited<ReturnType<typeof measurePage>> }[]> {
  const seconds = ctx.quick ? 3 : 8;
  const db = await createDatabase(ctx.postgresUrl, 'reading_growth');
  let server: SpawnedServer | undefined;
  try {
    server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl });
    await seed(ctx, server, db, { proposals: 10, users: 100, commentsPer: 20 });
    const rows = [];
    for (const size of [10, 1_000, 100_000]) {
      const started = Date.now();
      const seeded = await growDistrict(db, size);
      ctx.log(`reading: district grown to ${seeded.proposals} proposals, ${seeded.comments} comments in ${Date.now() - started} ms`);
      const page = await measurePage(server, connections, seconds, 2);
      ctx.log(`reading: at ${size} proposals ${page.requestsPerSecond.toFixed(1)} pages/s, p99 ${page.p99} ms, ${page.cpuMsPerPage.toFixed(2)} ms CPU and ${page.sqlPerPage.toFixed(2)} statements a page`);
      rows.push({ size, seeded, page });
    }
    return rows;
  } finally {
    await server?.stop().catch(() => undefined);
    await db.drop().catch((error: unknown) => ctx.log(`reading: could not drop ${db.name}: ${String(error)}`));
  }
}

/** Ours against PostGraphile on the same page of a district of 200 proposals. */
async function compare(ctx: BenchContext): Promise<ScenarioResult> {
  const sizes = { proposals: 200, users: 300, commentsPer: 20 };
  const connections = 32;
  const seconds = ctx.quick ? 5 : 15;
  const warmup = ctx.quick ? 2 : 4;
  const db = await createDatabase(ctx.postgresUrl, 'reading');
  let ours: SpawnedServer | undefined;
  let reference: SpawnedServer | undefined;
  try {
    ours = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl });
    const seeded = await seed(ctx, ours, db, sizes);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(REFERENCE_SQL).finally(() => client.end());
    reference = await spawnServer({ databaseUrl: db.url, command: [process.execPath, 'dist/bench/reference/postgraphile-server.js'], env: { DB_POOL_SIZE: '10', ...(process.env.PGL_LOG_FILE ? { PGL_LOG_FILE: process.env.PGL_LOG_FILE } : {}) } });
    ctx.log(`reading: PostGraphile ready after ${reference.readyAfterMs} ms`);

    // Both answer the same page (same proposals, same counts, same newest comments).
    const a = await gql(ours.url, OUR_QUERY);
    const b = await gql(reference.url, REFERENCE_QUERY);
    const ourPage = a.proposals.edges.map((e: any) => ({ title: e.node.title, e: e.node.endorsementCount, c: e.node.commentCount, s: e.node.stanceCounts, r: e.node.recentComments.map((x: any) => x.createdAt) }));
    const refPage = b.allProposals.nodes.map((n: any) => ({ title: n.title, e: n.endorsementCount, c: n.commentCount, s: n.stanceCounts, r: n.recentCommentsList.map((x: any) => new Date(x.createdAt).toISOString()) }));
    const same = JSON.stringify(ourPage) === JSON.stringify(refPage);
    if (!same) throw new Error(`the two servers answer different pages:\nours ${JSON.stringify(ourPage[0])}\nreference ${JSON.stringify(refPage[0])}`);
    const bytes = { ours: JSON.stringify(a).length, reference: JSON.stringify(b).length };

    const ourBody = JSON.stringify({ query: OUR_QUERY });
    const refBody = JSON.stringify({ query: REFERENCE_QUERY });
    await load(`${ours.url}/graphql`, ourBody, connections, warmup);
    await load(`${reference.url}/graphql`, refBody, connections, warmup);

    const before = await scrape(ours.url);
    const ourCpu = cpuSeconds(ours.pid);
    const ourRun = await load(`${ours.url}/graphql`, ourBody, connections, seconds);
    const ourCpuUsed = cpuSeconds(ours.pid) - ourCpu;
    const after = await scrape(ours.url);
    const refBefore = await sqlCount(reference.url);
    const refCpu = cpuSeconds(reference.pid);
    const refRun = await load(`${reference.url}/graphql`, refBody, connections, seconds);
    const refCpuUsed = cpuSeconds(reference.pid) - refCpu;
    const refAfter = await sqlCount(reference.url);
    for (const [name, run] of [['ours', ourRun], ['PostGraphile', refRun]] as const) {
      if (run.non2xx || run.errors || run.timeouts) throw new Error(`${name}: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`);
    }
    const ourRequests = metricSum(after, 'graphql_requests_total') - metricSum(before, 'graphql_requests_total');
    const ourSql = (metricSum(after, 'db_queries_total') - metricSum(before, 'db_queries_total')) / ourRequests;
    const refSql = (refAfter - refBefore) / refRun.requests.total;
    const ratio = ourRun.requests.average / refRun.requests.average;
    const cpuRatio = refCpuUsed / refRun.requests.total / (ourCpuUsed / ourRun.requests.total);

    const figures: Figure[] = [
      {
        metric: `proposal page (20 with author, counts, stances, 3 newest comments), ${connections} connections, ${seconds} s`,
        value: round(ourRun.requests.average, 1),
        unit: 'req/s',
        reference: { name: 'PostGraphile 5 amber, same database', value: round(refRun.requests.average, 1) },
        ratio: round(ratio, 3),
        target: `≥ ${THROUGHPUT_TARGET} × PostGraphile`,
        met: ratio >= THROUGHPUT_TARGET,
        miss: ratio >= THROUGHPUT_TARGET ? undefined : `${ratio.toFixed(2)} × PostGraphile`,
        note: `Anonymous POST /graphql of the same page (same 20 proposals, counts and newest comments, checked before the run) with autocannon in the bench process; our server (REDIS_URL set) and PostGraphile (grafserv on node http, pg pool of 10 like ours) each in its own process, one after the other after a ${warmup} s warm-up each. PostGraphile's query uses its generated allProposals(condition: districtCode, orderBy: PUBLISHED_AT_DESC, PRIMARY_KEY_DESC) with userByAuthorId, plus two SQL computed columns in a bench-only schema postgraphile_ref (stance counts of VISIBLE comments; newest top-level comments by created_at, id) and a smart comment '@behavior +orderBy' on proposals.published_at (bench database only; ours orders by COALESCE(published_at, created_at), equal here since all are published). It runs on Node 20 with Promise.withResolvers polyfilled (it declares node >= 22). Unlike ours it applies no visibility rules: it returns hidden and deleted comment bodies to anyone and would list unpublished proposals, and it runs no totalCount query.`,
      },
      {
        metric: 'proposal page latency p50',
        value: ourRun.latency.p50,
        unit: 'ms',
        reference: { name: 'PostGraphile', value: refRun.latency.p50 },
        ratio: round(refRun.latency.p50 / ourRun.latency.p50, 3),
      },
      {
        metric: 'proposal page latency p99',
        value: ourRun.latency.p99,
        unit: 'ms',
        reference: { name: 'PostGraphile', value: refRun.latency.p99 },
        ratio: round(refRun.latency.p99 / ourRun.latency.p99, 3),
        note: 'autocannon latencies (ms, whole milliseconds) at 32 connections: they include queueing behind the other 31.',
      },
      {
        metric: 'server CPU per proposal page',
        value: round((ourCpuUsed * 1000) / ourRun.requests.total, 2),
        unit: 'ms',
        reference: { name: 'PostGraphile', value: round((refCpuUsed * 1000) / refRun.requests.total, 2) },
        ratio: round(cpuRatio, 3),
        target: 'less than PostGraphile',
        met: cpuRatio > 1,
        miss: cpuRatio > 1 ? undefined : `${(1 / cpuRatio).toFixed(2)} × PostGraphile's`,
        note: 'CPU time (user + system, /proc) of the server process during the run ÷ requests answered: the Node side of each page, PostgreSQL not included.',
      },
      {
        metric: 'SQL statements per proposal page',
        value: round(ourSql, 2),
        unit: 'queries',
        target: 'one or two',
        met: ourSql <= 2,
        miss: ourSql <= 2 ? undefined : `${round(ourSql, 2)} statements`,
        reference: { name: 'PostGraphile', value: round(refSql, 2) },
        ratio: round(refSql / ourSql, 3),
        note: `Ours: Δdb_queries_total ÷ Δgraphql_requests_total from /metrics around the run (${ourRequests} requests; autocannon counted ${ourRun.requests.total}). PostGraphile: statements sent on its pooled pg clients ÷ requests.`,
      },
    ];
    return {
      scenario: '4. Reading a district page',
      figures,
      details: {
        seeded,
        connections,
        seconds,
        warmupSeconds: warmup,
        responseBytes: bytes,
        ours: { requests: ourRun.requests, latency: ourRun.latency, sqlPerRequest: ourSql, graphqlRequests: ourRequests, cpuSeconds: ourCpuUsed },
        reference: { requests: refRun.requests, latency: refRun.latency, sqlPerRequest: refSql, cpuSeconds: refCpuUsed },
        queries: { ours: OUR_QUERY, reference: REFERENCE_QUERY },
      },
    };
  } finally {
    await reference?.stop().catch(() => undefined);
    await ours?.stop().catch(() => undefined);
    await db.drop().catch((error: unknown) => ctx.log(`reading: could not drop ${db.name}: ${String(error)}`));
  }
}

const number = (n: number) => n.toLocaleString('en-US');

export const reading: Scenario = {
  name: 'reading',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const result = await compare(ctx);
    // The ratio to PostGraphile stays at 200 proposals (seeded through the API, checked page for page);
    // the growth curve is ours alone, on a second database grown by SQL.
    const curve = await growth(ctx, 32);
    const base = curve[0].page;
    for (const { size, seeded, page } of curve) {
      const atBase = size === curve[0].size;
      result.figures.push(
        {
          metric: `proposal page at ${number(size)} proposals in the district, 32 connections`,
          value: round(page.requestsPerSecond, 1),
          unit: 'req/s',
          ...(atBase ? {} : { reference: { name: `the same at ${number(curve[0].size)} proposals`, value: round(base.requestsPerSecond, 1) }, ratio: round(page.requestsPerSecond / base.requestsPerSecond, 3) }),
          note: `p50 ${page.p50} ms, p99 ${page.p99} ms; ${page.sqlPerPage.toFixed(2)} SQL statements a page; ${number(seeded.proposals)} proposals and ${number(seeded.comments)} comments in the district.${atBase ? ' 10 proposals written through the API (the page shows 10); then older copies are added by SQL with up to 8 top-level comments each, so from 1,000 on the page shows the same 20 while the list it is cut from grows.' : ''}`,
        },
        {
          metric: `server CPU per proposal page at ${number(size)} proposals`,
          value: round(page.cpuMsPerPage, 2),
          unit: 'ms',
          ...(atBase ? {} : { reference: { name: `the same at ${number(curve[0].size)} proposals`, value: round(base.cpuMsPerPage, 2) }, ratio: round(base.cpuMsPerPage / page.cpuMsPerPage, 3) }),
        },
      );
    }
    result.details.growth = curve;
    return result;
  },
};
