import { Agent } from 'node:http';
import { Client, Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { normalizeForSearch } from '../../src/common/text/search-words';
import { BANGKOK } from '../../src/districts/bangkok-area';
import { createDatabase } from '../lib/database';
import { postGraphQL } from '../lib/http';
import { BenchAccount, bulkResidents, metricSum, scrape } from '../lib/seed';
import { SpawnedServer, spawnServer } from '../lib/server';
import { LatencySummary, nowMs, random, round, summarize } from '../lib/stats';
import { BenchContext, Figure, Scenario } from '../lib/types';

/*
 * 7. Residents' reports (issue 15, "Scale"): submitReport throughput beside raw SQL, and, as the table
 * grows to 1,000,000 reports, the public reads beside an empty query: the list (by district, by district
 * and category, inside a street-sized and a district-sized box), the map grid (the city's open reports at
 * zoom 11, every report at zoom 11, a district-sized box at zoom 14), the duplicate search, and the
 * statistics of one district and of the city over the last year (measured, with no target). The seed
 * fills the deadlines, breaches and ratings the statistics compute from.
 */

const CATEGORIES = ['ROADS', 'FOOTPATHS', 'FLOODING_AND_DRAINAGE', 'STREET_LIGHTS', 'WASTE', 'TREES', 'NOISE', 'SAFETY', 'TRAFFIC', 'STRAY_ANIMALS', 'PUBLIC_HEALTH', 'OTHER'];
/** ReportsService's SIMILAR: 50 m, 30 days, at most 10. */
const SIMILAR = { metres: 50, days: 30, max: 10 };
/** The server's pool (DB_POOL_SIZE default) and the reference's. */
const DB_POOL = 10;
const CONNECTIONS = 32;

const SUBMIT = `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id status } similarReports { id } } }`;

/** What a list page shows of each report. */
const PAGE_FIELDS = `edges { cursor node { id kind status description channel supportCount createdAt category { code name } district { code }
  place { latitude longitude address landmark } photos { id thumbnailUrl } } } pageInfo { hasNextPage endCursor }`;

/** A public read, timed over HTTP at every size beside the empty query `{ __typename }`. */
interface PublicRead {
  /** Its key in the JSON details. */
  key: string;
  metric: string;
  query: string;
  /** The variables of the i-th request (negative during the warm-up). */
  variables(i: number, districts: readonly string[]): Record<string, unknown>;
  /** Throws when the answer is not what the seed implies. */
  check?(data: any): void;
  /** What it is, for the figure's note; `requests` says how it was timed. */
  note(requests: string): string;
  /** The SQL statement behind it, timed by PostgreSQL (EXPLAIN ANALYZE) once per size. */
  sql?: { text: string; params: unknown[] };
  /** Held to p99 ≤ 2 × the empty query's (the issue's target for the list, the map and duplicates); default true. */
  target?: boolean;
}

/** Bangkok's box, as the map's `bbox`. */
const CITY = { south: BANGKOK.minLat, west: BANGKOK.minLng, north: BANGKOK.maxLat, east: BANGKOK.maxLng };

/** A box `side` degrees square at the i-th of 97 places spread over the city (deterministic, inside Bangkok). */
function boxAt(i: number, side: number): { south: number; west: number; north: number; east: number } {
  const k = ((i % 97) + 97) % 97;
  const south = round(BANGKOK.minLat + 0.01 + ((k * 37) % 97) / 97 * (BANGKOK.maxLat - BANGKOK.minLat - 0.02 - side), 6);
  const west = round(BANGKOK.minLng + 0.01 + ((k * 61) % 97) / 97 * (BANGKOK.maxLng - BANGKOK.minLng - 0.02 - side), 6);
  return { south, west, north: round(south + side, 6), east: round(west + side, 6) };
}

function boxParams(box: { south: number; west: number; north: number; east: number }): number[] {
  return [box.south, box.north, box.west, box.east];
}

/**
 * ReportMapService's statement over the kept grid (report_map_cells, level 11 or 14) for a box at a zoom,
 * as the server sends it, for the statement timed on its own.
 */
function gridSql(box: { south: number; west: number; north: number; east: number }, zoom: number, statuses: string[] | null): { text: string; params: unknown[] } {
  const level = zoom <= 11 ? 11 : 14;
  const size = 360 / 2 ** (zoom + 3);
  const shift = level - zoom;
  const south = Math.max(box.south, BANGKOK.minLat);
  const north = Math.min(box.north, BANGKOK.maxLat);
  const west = Math.max(box.west, BANGKOK.minLng);
  const east = Math.min(box.east, BANGKOK.maxLng);
  return {
    text: `SELECT c."row" >> $1 AS "row", c."col" >> $1 AS "col", sum(c."reports")::int AS "count",
              sum(c."latitude_sum") / sum(c."reports") AS "latitude", sum(c."longitude_sum") / sum(c."reports") AS "longitude"
         FROM "report_map_cells" c
        WHERE c."level" = $2 AND c."row" >= $3 AND c."row" < $4 AND c."col" >= $5 AND c."col" < $6
          AND ($7::varchar IS NULL OR c."district_code" = $7) AND ($8::varchar[] IS NULL OR c."status" = ANY($8))
        GROUP BY 1, 2 HAVING sum(c."reports") > 0 ORDER BY 1, 2`,
    params: [
      shift,
      level,
      Math.floor(south / size) << shift,
      (Math.floor(north / size) + 1) << shift,
      Math.floor(west / size) << shift,
      (Math.floor(east / size) + 1) << shift,
      null,
      statuses,
    ],
  };
}

/** The last 365 days, to the minute (so a run's requests share their period). */
function lastYear(): { from: string; to: string } {
  const to = Math.floor(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - 365 * 86_400_000).toISOString(), to: new Date(to).toISOString() };
}

const STATISTICS_FIELDS = `from to district { code } byStatus { status count } byCategory { category { code } count }
  summary { reports resolved resolvedWithinTarget shareResolvedWithinTarget acceptBreaches resolveBreaches averageRating ratings
    timeToAccept { count median percentile90 } timeToResolve { count median percentile90 } }`;

/** Every public read measured at each size: lists, the `within` box, the map grid and statistics. */
const PUBLIC_READS: PublicRead[] = [
  {
    key: 'listByDistrict',
    metric: 'public list, one district, first 20',
    query: `query($d: String!) { reports(filter: { districtCode: $d }, first: 20) { ${PAGE_FIELDS} } }`,
    variables: (i, districts) => ({ d: districts[(i + 50) % 50] }),
    check: (data) => {
      if (data.reports.edges.length !== 20) throw new Error(`reports: a district's first page has ${data.reports.edges.length} reports`);
    },
    note: (requests) => `reports(filter: { districtCode }, first: 20) with category, district, place and photos; ${requests}, rotating over the 50 districts.`,
    sql: { text: `SELECT * FROM reports r WHERE r.district_code = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 21`, params: ['1001'] },
  },
  {
    key: 'listByDistrictCategory',
    metric: 'public list, one district and one category, first 20',
    query: `query($d: String!, $c: [String!]) { reports(filter: { districtCode: $d, categories: $c }, first: 20) { ${PAGE_FIELDS} } }`,
    variables: (i, districts) => ({ d: districts[(i + 50) % 50], c: [CATEGORIES[(i + 120) % 12]] }),
    note: (requests) => `reports(filter: { districtCode, categories: [one] }, first: 20), same fields; ${requests}, rotating over the 50 districts and the 12 categories.`,
    sql: { text: `SELECT * FROM reports r WHERE r.district_code = $1 AND r.category_code IN ($2) ORDER BY r.created_at DESC, r.id DESC LIMIT 21`, params: ['1001', 'NOISE'] },
  },
  {
    key: 'withinStreet',
    metric: 'public list, a street-sized box (about 550 m), first 20',
    query: `query($b: ReportBoundingBoxInput!) { reports(filter: { within: $b }, first: 20) { ${PAGE_FIELDS} } }`,
    variables: (i) => ({ b: boxAt(i, 0.005) }),
    note: (requests) => `reports(filter: { within: a box 0.005° square }, first: 20), same fields; ${requests}, the box moved over the city (a few dozen reports in it at 1,000,000).`,
    sql: { text: `SELECT * FROM reports r WHERE r.latitude BETWEEN $1 AND $2 AND r.longitude BETWEEN $3 AND $4 ORDER BY r.created_at DESC, r.id DESC LIMIT 21`, params: boxParams(boxAt(7, 0.005)) },
  },
  {
    key: 'withinDistrict',
    metric: 'public list, a district-sized box (about 5.5 km), first 20',
    query: `query($b: ReportBoundingBoxInput!) { reports(filter: { within: $b }, first: 20) { ${PAGE_FIELDS} } }`,
    variables: (i) => ({ b: boxAt(i, 0.05) }),
    check: (data) => {
      if (data.reports.edges.length !== 20) throw new Error(`reports: a district-sized box's first page has ${data.reports.edges.length} reports`);
    },
    note: (requests) => `reports(filter: { within: a box 0.05° square }, first: 20), same fields; ${requests}, the box moved over the city (about 0.7% of all reports in it).`,
    sql: { text: `SELECT * FROM reports r WHERE r.latitude BETWEEN $1 AND $2 AND r.longitude BETWEEN $3 AND $4 ORDER BY r.created_at DESC, r.id DESC LIMIT 21`, params: boxParams(boxAt(7, 0.05)) },
  },
  {
    key: 'mapCityOpen',
    metric: 'map grid, the whole city at zoom 11, open reports',
    query: `query($b: ReportBoundingBoxInput!) { reportMap(input: { bbox: $b, zoom: 11, filter: { statuses: [RECEIVED, ACCEPTED, IN_PROGRESS] } }) { cellSize total cells { south west north east latitude longitude count report { id } } } }`,
    variables: () => ({ b: CITY }),
    check: (data) => {
      if (!data.reportMap.cells.length) throw new Error('reportMap: the city at zoom 11 has no open report');
    },
    note: (requests) => `reportMap(input: { bbox: all of Bangkok, zoom: 11 (cells of 0.022°, about 750 of them), filter: { statuses: the three open ones } }): the map a resident opens on; ${requests}.`,
    sql: gridSql(CITY, 11, ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS']),
  },
  {
    key: 'mapCityAll',
    metric: 'map grid, the whole city at zoom 11, every report',
    query: `query($b: ReportBoundingBoxInput!) { reportMap(input: { bbox: $b, zoom: 11 }) { cellSize total cells { south west north east latitude longitude count report { id } } } }`,
    variables: () => ({ b: CITY }),
    note: (requests) => `reportMap(input: { bbox: all of Bangkok, zoom: 11 }) without a filter: every report of the two years counted; ${requests}.`,
    sql: gridSql(CITY, 11, null),
  },
  {
    key: 'mapDistrict',
    metric: 'map grid, a district-sized box at zoom 14, every report',
    query: `query($b: ReportBoundingBoxInput!) { reportMap(input: { bbox: $b, zoom: 14 }) { cellSize total cells { south west north east latitude longitude count report { id } } } }`,
    variables: (i) => ({ b: boxAt(i, 0.05) }),
    note: (requests) => `reportMap(input: { bbox: a box 0.05° square, zoom: 14 (cells of 0.0027°, about 340) }), moved over the city; ${requests}.`,
    sql: gridSql(boxAt(7, 0.05), 14, null),
  },
  {
    key: 'statisticsDistrict',
    metric: 'statistics, one district over the last year',
    query: `query($i: ReportStatisticsInput!) { reportStatistics(input: $i) { ${STATISTICS_FIELDS} } }`,
    variables: (i, districts) => ({ i: { districtCode: districts[(i + 50) % 50], ...lastYear() } }),
    check: (data) => {
      if (data.reportStatistics.summary.reports < 1) throw new Error('reportStatistics: a district received no report in a year');
    },
    note: (requests) => `reportStatistics(input: { districtCode, from: a year ago, to: now }): counts by status and category, medians and 90th percentiles, breaches, ratings; ${requests}, rotating over the 50 districts. Measured, with no target (the issue asks for none).`,
    sql: {
      text: `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.received_at)::float8) FROM reports r WHERE r.received_at >= now() - interval '1 year' AND r.received_at < now() AND r.district_code = $1`,
      params: ['1001'],
    },
    target: false,
  },
  {
    key: 'statisticsCity',
    metric: 'statistics, the whole city over the last year',
    query: `query($i: ReportStatisticsInput!) { reportStatistics(input: $i) { ${STATISTICS_FIELDS} } }`,
    variables: () => ({ i: lastYear() }),
    note: (requests) => `reportStatistics(input: { from: a year ago, to: now }) for the whole city; ${requests}. Measured, with no target.`,
    sql: {
      text: `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.received_at)::float8) FROM reports r WHERE r.received_at >= now() - interval '1 year' AND r.received_at < now()`,
      params: [],
    },
    target: false,
  },
];

/**
 * ReportsService.similarTo's statement as TypeORM sends it (same predicates, parameters, order and limit),
 * for the duplicate search timed on its own. Its parameters: `similarParams`.
 */
const SIMILAR_SQL = `SELECT r.* FROM reports r
  WHERE r.category_code = $1 AND r.status IN ($7, $8, $9) AND r.id <> $2 AND r.created_at >= $3
    AND earth_box(ll_to_earth($4, $5), $6) @> ll_to_earth(r.latitude, r.longitude)
    AND earth_distance(ll_to_earth($4, $5), ll_to_earth(r.latitude, r.longitude)) <= $6
  ORDER BY earth_distance(ll_to_earth($4, $5), ll_to_earth(r.latitude, r.longitude)) ASC, r.created_at DESC LIMIT ${SIMILAR.max}`;

function similarParams(category: string, reportId: string, since: Date, place: { latitude: number; longitude: number }): unknown[] {
  return [category, reportId, since, place.latitude, place.longitude, SIMILAR.metres, 'RECEIVED', 'ACCEPTED', 'IN_PROGRESS'];
}

interface Place {
  latitude: number;
  longitude: number;
}

/**
 * The seed's map of the districts: Bangkok's box cut into 5 rows of 10 equal rectangles, the i-th district
 * (by code) in the i-th (the real boundaries are not in the database). Reports lie in their district, so a
 * cell of the map holds the reports of one district or of the few that meet there, as in the city.
 */
const DISTRICT_GRID = { rows: 5, columns: 10, margin: 0.005 };

/** A random place in the `district`-th rectangle of DISTRICT_GRID, inside the box by a margin (so every point passes checkBangkokPoint). */
function placeIn(next: () => number, district: number): Place {
  const height = (BANGKOK.maxLat - BANGKOK.minLat - 2 * DISTRICT_GRID.margin) / DISTRICT_GRID.rows;
  const width = (BANGKOK.maxLng - BANGKOK.minLng - 2 * DISTRICT_GRID.margin) / DISTRICT_GRID.columns;
  return {
    latitude: round(BANGKOK.minLat + DISTRICT_GRID.margin + (Math.floor(district / DISTRICT_GRID.columns) + next()) * height, 6),
    longitude: round(BANGKOK.minLng + DISTRICT_GRID.margin + ((district % DISTRICT_GRID.columns) + next()) * width, 6),
  };
}

function submission(next: () => number, districts: string[], i: number) {
  const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)];
  const district = Math.floor(next() * districts.length);
  return {
    kind: next() < 0.85 ? 'COMPLAINT' : 'SUGGESTION',
    categoryCode: category,
    description: `ทางเท้าชำรุดและน้ำขังหน้าปากซอย ${i % 200}: broken paving and standing water at the mouth of soi ${i % 200} (${category.toLowerCase()}).`,
    place: { ...placeIn(next, district), address: `ซอย ${i % 200}`, landmark: i % 3 === 0 ? 'ร้านสะดวกซื้อหน้าซอย' : null },
    districtCode: districts[district],
    channel: 'APP',
  };
}

// ---- submissions per second --------------------------------------------------------------------

interface ThroughputResult {
  ok: number;
  errors: number;
  firstErrors: string[];
  latency: LatencySummary;
  seconds: number;
  similarFound: number;
}

/** CONNECTIONS callers, each posting submitReport back to back on kept-alive sockets until the time is up. */
async function submitThroughput(server: SpawnedServer, accounts: BenchAccount[], districts: string[], seconds: number, seed: number): Promise<ThroughputResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const next = random(seed);
  let n = 0;
  let ok = 0;
  let errors = 0;
  let similarFound = 0;
  const firstErrors: string[] = [];
  const samples: number[] = [];
  const started = nowMs();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (nowMs() < deadline) {
      const i = n++;
      const t = nowMs();
      try {
        const data = await postGraphQL(server.url, SUBMIT, { i: submission(next, districts, i) }, { agent, token: accounts[i % accounts.length].token });
        samples.push(nowMs() - t);
        ok++;
        similarFound += data.submitReport.similarReports.length;
      } catch (error) {
        errors++;
        if (firstErrors.length < 5) firstErrors.push(String(error).slice(0, 300));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, caller));
  } finally {
    agent.destroy();
  }
  return { ok, errors, firstErrors, latency: summarize(samples), seconds: (nowMs() - started) / 1000, similarFound };
}

/**
 * The reference: the submission's SQL, as the server sends it, from CONNECTIONS callers on a pg Pool
 * of DB_POOL connections: the category read, then in one transaction the report (RETURNING what
 * TypeORM reads back), its submit transition, the duplicate search and the audit entry.
 */
async function rawThroughput(databaseUrl: string, accounts: BenchAccount[], districts: string[], seconds: number, seed: number): Promise<ThroughputResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: DB_POOL });
  const next = random(seed);
  let n = 0;
  let ok = 0;
  let errors = 0;
  let similarFound = 0;
  const firstErrors: string[] = [];
  const samples: number[] = [];
  const started = nowMs();
  const deadline = started + seconds * 1000;
  const one = async () => {
    const i = n++;
    const input = submission(next, districts, i);
    const reporter = accounts[i % accounts.length].uuid;
    const t = nowMs();
    const category = await pool.query(`SELECT code, active FROM report_categories WHERE code = $1 LIMIT 1`, [input.categoryCode]);
    if (!category.rows[0]?.active) throw new Error('category not active');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // targetsFor: the city's targets for the category, then the district's own (tighter) ones if it set any.
      const city = (await client.query<{ accept: number; resolve: number }>(`SELECT accept_within_hours AS accept, resolve_within_hours AS resolve FROM report_categories WHERE code = $1 LIMIT 1`, [input.categoryCode])).rows[0];
      const own = (
        await client.query<{ accept: number; resolve: number }>(
          `SELECT accept_within_hours AS accept, resolve_within_hours AS resolve FROM report_district_targets WHERE district_code = $1 AND category_code = $2 LIMIT 1`,
          [input.districtCode, input.categoryCode],
        )
      ).rows[0];
      const now = Date.now();
      const acceptDue = new Date(now + Math.min(city.accept, own?.accept ?? Infinity) * 3_600_000);
      const resolveDue = new Date(now + Math.min(city.resolve, own?.resolve ?? Infinity) * 3_600_000);
      const inserted = await client.query<{ id: string; created_at: Date }>(
        `INSERT INTO reports (kind, category_code, description, latitude, longitude, address, landmark, district_code, channel, status, reporter_id, filed_by_id, caller_name, caller_phone, search_text,
                              received_at, accepted_at, accept_due_at, resolve_due_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'RECEIVED', $10, NULL, NULL, NULL, $11, $12, NULL, $13, $14, $13)
         RETURNING id, status, support_count, created_at, updated_at`,
        [input.kind, input.categoryCode, input.description, input.place.latitude, input.place.longitude, input.place.address, input.place.landmark, input.districtCode, input.channel, reporter,
          normalizeForSearch(`${input.description}\n${input.place.address}\n${input.place.landmark ?? ''}`), new Date(now), acceptDue, resolveDue],
      );
      const report = inserted.rows[0];
      await client.query(`INSERT INTO report_transitions (report_id, action, from_status, to_status, actor_id, by_staff, note) VALUES ($1, 'submit', NULL, 'RECEIVED', $2, false, NULL)`, [report.id, reporter]);
      const similar = await client.query(SIMILAR_SQL, similarParams(input.categoryCode, report.id, new Date(Date.now() - SIMILAR.days * 86_400_000), input.place));
      await client.query(
        `INSERT INTO audit_entries (district_code, actor_id, action, subject, request_id, outcome, error_code, created_at) VALUES ($1, $2, 'submitReport', $3, $4, 'SUCCESS', NULL, now())`,
        [input.districtCode, reporter, Buffer.from(`Report:${report.id}`).toString('base64url'), randomUUID()],
      );
      await client.query('COMMIT');
      samples.push(nowMs() - t);
      ok++;
      similarFound += similar.rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      errors++;
      if (firstErrors.length < 5) firstErrors.push(String(error).slice(0, 300));
    } finally {
      client.release();
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (nowMs() < deadline) await one();
    }));
  } finally {
    await pool.end();
  }
  return { ok, errors, firstErrors, latency: summarize(samples), seconds: (nowMs() - started) / 1000, similarFound };
}

// ---- reading as the table grows ----------------------------------------------------------------

/**
 * Grows the table to `total` reports with one INSERT … SELECT generate_series: each at a uniform point of its district's rectangle (DISTRICT_GRID) in
 * Bangkok's box, spread over the 50 districts and 12 categories, created over the 2 years before now;
 * statuses as an intake that resolves about 79% (older than 30 days: mostly closed; newer: mostly
 * open). Deterministic (setseed), so every run loads the same reports.
 */
async function growTo(client: Client, from: number, total: number, districts: string[], reporters: string[]): Promise<void> {
  if (total <= from) return;
  await client.query(`SELECT setseed($1)`, [(from % 1000) / 1000]);
  await client.query(
    `WITH grown AS (
     INSERT INTO reports (kind, category_code, description, latitude, longitude, address, district_code, channel, status, reporter_id,
                          forwarded_to_agency, support_count, resolved_at, rating, search_text, created_at, updated_at,
                          received_at, accepted_at, accept_due_at, resolve_due_at, due_at, overdue_since)
     SELECT kind, category, description, lat, lng, address, district, channel, status, reporter, agency, support, resolved, rating, lower(description), created, created,
            created, accepted, accept_due, resolve_due, due, CASE WHEN due < now() THEN due END
     FROM (
       SELECT v.*, created + make_interval(hours => c.accept_within_hours) AS accept_due, created + make_interval(hours => c.resolve_within_hours) AS resolve_due,
              CASE status WHEN 'RECEIVED' THEN created + make_interval(hours => c.accept_within_hours)
                          WHEN 'ACCEPTED' THEN created + make_interval(hours => c.resolve_within_hours)
                          WHEN 'IN_PROGRESS' THEN created + make_interval(hours => c.resolve_within_hours) END AS due
       FROM (
         SELECT i, CASE WHEN k < 0.85 THEN 'COMPLAINT' ELSE 'SUGGESTION' END AS kind, category, description, lat, lng, 'ซอย ' || (i % 200) AS address,
                ($3::text[])[1 + (i % array_length($3::text[], 1))] AS district, channel, status, ($5::uuid[])[1 + (i % array_length($5::uuid[], 1))] AS reporter,
                CASE WHEN status = 'FORWARDED' THEN 'Metropolitan Electricity Authority' END AS agency, (s * 4)::int AS support, created,
                -- Accepted some time before it was resolved (a share of the same 1–97 hours), so some miss the accept target.
                CASE WHEN status IN ('ACCEPTED', 'IN_PROGRESS', 'RESOLVED') THEN created + (1 + s * 96) * a * interval '1 hour' END AS accepted,
                CASE WHEN status = 'RESOLVED' THEN created + (1 + s * 96) * interval '1 hour' END AS resolved,
                CASE WHEN status = 'RESOLVED' AND r < 0.3 THEN 1 + floor(r * 16)::int END AS rating
         FROM (
           SELECT i, k, s, a, r, lat, lng, created, category, channel,
                  'รายงานที่ ' || i || ': ' || category || ' problem near soi ' || (i % 200) || ', reported through ' || channel AS description,
                  CASE WHEN created < now() - interval '30 days'
                       THEN CASE WHEN st < 0.79 THEN 'RESOLVED' WHEN st < 0.90 THEN 'REJECTED' WHEN st < 0.95 THEN 'FORWARDED' WHEN st < 0.97 THEN 'IN_PROGRESS' ELSE 'ACCEPTED' END
                       ELSE CASE WHEN st < 0.40 THEN 'RECEIVED' WHEN st < 0.60 THEN 'ACCEPTED' WHEN st < 0.80 THEN 'IN_PROGRESS' WHEN st < 0.95 THEN 'RESOLVED' ELSE 'REJECTED' END
                  END AS status
           FROM (
             SELECT i, random() AS k, random() AS s, random() AS st, random() AS a, random() AS r,
                    -- In the (i % 50)-th rectangle of DISTRICT_GRID, the district's (see placeIn).
                    ${BANGKOK.minLat + DISTRICT_GRID.margin} + ((i % 50) / ${DISTRICT_GRID.columns} + random()) * ${(BANGKOK.maxLat - BANGKOK.minLat - 2 * DISTRICT_GRID.margin) / DISTRICT_GRID.rows} AS lat,
                    ${BANGKOK.minLng + DISTRICT_GRID.margin} + ((i % 50) % ${DISTRICT_GRID.columns} + random()) * ${(BANGKOK.maxLng - BANGKOK.minLng - 2 * DISTRICT_GRID.margin) / DISTRICT_GRID.columns} AS lng,
                    now() - random() * interval '730 days' AS created,
                    ($4::text[])[1 + floor(random() * array_length($4::text[], 1))::int] AS category,
                    (ARRAY['APP', 'APP', 'APP', 'WEB', 'HOTLINE_1555', 'HOTLINE_1555', 'SOCIAL', 'WALK_IN', 'KIOSK'])[1 + floor(random() * 9)::int] AS channel
             FROM generate_series($1::int, $2::int) AS i
           ) raw
         ) drawn
       ) v
       JOIN report_categories c ON c.code = v.category
     ) d
     RETURNING id, district_code, category_code, status, accepted_at, accept_due_at, resolved_at, resolve_due_at
     )
     -- The deadlines these reports missed, as ReportDeadlineClock records them: accepting late or not yet, resolving late or not yet.
     INSERT INTO report_breaches (report_id, kind, district_code, category_code, due_at, breached_at)
     SELECT id, 'ACCEPT', district_code, category_code, accept_due_at, accept_due_at FROM grown
      WHERE accept_due_at < coalesce(accepted_at, CASE WHEN status = 'RECEIVED' THEN now() END)
     UNION ALL
     SELECT id, 'RESOLVE', district_code, category_code, resolve_due_at, resolve_due_at FROM grown
      WHERE resolve_due_at < coalesce(resolved_at, CASE WHEN status IN ('ACCEPTED', 'IN_PROGRESS') THEN now() END)`,
    [from + 1, total, districts, CATEGORIES, reporters],
  );
}

/** `count` sequential calls of `call` after `warmup` unmeasured (at most `capSeconds`), each timed. */
async function timed(count: number, warmup: number, capSeconds: number, call: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call(-1 - i);
  const samples: number[] = [];
  const until = nowMs() + capSeconds * 1000;
  for (let i = 0; i < count && nowMs() < until; i++) {
    const t = nowMs();
    await call(i);
    samples.push(nowMs() - t);
  }
  return summarize(samples);
}

interface StageReads {
  reports: number;
  empty: LatencySummary;
  /** Each of PUBLIC_READS, by key. */
  http: Record<string, LatencySummary>;
  submit: LatencySummary;
  submitSimilarFound: number;
  sqlEmpty: LatencySummary;
  sqlSimilar: LatencySummary;
  sqlSimilarFound: number;
  plans: Record<string, { ms: number; nodes: string[] }>;
}

/** Every node type (and index) of an EXPLAIN (ANALYZE, FORMAT JSON) plan, and its execution time. */
async function explain(client: Client, sql: string, params: unknown[]): Promise<{ ms: number; nodes: string[] }> {
  const plan = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
  const nodes: string[] = [];
  const walk = (node: any) => {
    nodes.push(node['Index Name'] ? `${node['Node Type']} on ${node['Index Name']}` : node['Node Type']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  return { ms: round(plan['Execution Time'], 3), nodes };
}

export const reports: Scenario = {
  name: 'reports',
  async run(ctx: BenchContext) {
    const stages = ctx.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    const seconds = ctx.quick ? 8 : 20;
    const warmupSeconds = ctx.quick ? 2 : 4;
    const requests = ctx.quick ? 150 : 300;
    const submits = ctx.quick ? 60 : 120;
    const warmup = 20;
    const capSeconds = ctx.quick ? 15 : 30;
    const cleanup: (() => Promise<void>)[] = [];
    try {
      const db = await createDatabase(ctx.postgresUrl, 'reports');
      cleanup.push(() => db.drop());
      // REPORTS_PER_HOUR raised (its maximum) and 500 reporters: the hourly limit must not refuse a submission here.
      const server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl, env: { REPORTS_PER_HOUR: '100000', DB_POOL_SIZE: String(DB_POOL) } });
      cleanup.push(() => server.stop());
      const client = new Client({ connectionString: db.url });
      await client.connect();
      cleanup.push(() => client.end());
      const districts = (await client.query<{ code: string }>(`SELECT code FROM districts ORDER BY code`)).rows.map((r) => r.code);
      if (districts.length !== 50) throw new Error(`reports: ${districts.length} districts, expected 50`);
      const accounts = await bulkResidents(db.url, '1001', 500, 'reporter');

      // ---- reads as the table grows ------------------------------------------------------------------------
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      cleanup.push(async () => agent.destroy());
      const read = (query: string, variables: Record<string, unknown> = {}, token?: string) => postGraphQL(server.url, query, variables, { agent, token });
      const reporters = accounts.slice(0, 100).map((a) => a.uuid);
      const results: StageReads[] = [];
      const loads: { reports: number; seconds: number }[] = [];
      let count = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM reports`)).rows[0].n);
      for (const size of stages) {
        const t = nowMs();
        await growTo(client, count, size, districts, reporters);
        // As autovacuum leaves a settled table: statistics, and the visibility map that index-only scans need.
        await client.query('VACUUM ANALYZE reports');
        await client.query('VACUUM ANALYZE report_breaches');
        count = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM reports`)).rows[0].n);
        loads.push({ reports: count, seconds: round((nowMs() - t) / 1000, 1) });
        ctx.log(`reports: ${count} reports (grown in ${((nowMs() - t) / 1000).toFixed(1)} s)`);
        const next = random(size);
        const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];

        const empty = await timed(requests, warmup, capSeconds, () => read('{ __typename }'));
        const http: Record<string, LatencySummary> = {};
        for (const r of PUBLIC_READS) {
          http[r.key] = await timed(requests, warmup, capSeconds, async (i) => {
            const data = await read(r.query, r.variables(i, districts));
            r.check?.(data);
          });
        }
        // The duplicate search inside a submission, end to end: places next to recent open reports (so it finds them) or anywhere.
        const recent = (
          await client.query<{ latitude: number; longitude: number; category_code: string; district_code: string }>(
            `SELECT latitude, longitude, category_code, district_code FROM reports WHERE status IN ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS') AND created_at >= now() - interval '29 days' ORDER BY id LIMIT 500`,
          )
        ).rows;
        let submitSimilarFound = 0;
        const submit = await timed(submits, 5, capSeconds, async (i) => {
          const input = submission(next, districts, i);
          if (i % 2 === 0 && recent.length) {
            const near = pick(recent);
            Object.assign(input, { categoryCode: near.category_code, districtCode: near.district_code });
            input.place = { ...input.place, latitude: near.latitude + 0.0001, longitude: near.longitude };
          }
          const data = await read(SUBMIT, { i: input }, accounts[Math.floor(next() * accounts.length)].token);
          if (i >= 0) submitSimilarFound += data.submitReport.similarReports.length;
        });
        // The duplicate search's statement on its own, from a pg client, beside SELECT 1 on the same connection.
        const sqlEmpty = await timed(requests, warmup, capSeconds, () => client.query('SELECT 1'));
        let sqlSimilarFound = 0;
        const since = new Date(Date.now() - SIMILAR.days * 86_400_000);
        const sqlSimilar = await timed(requests, warmup, capSeconds, async (i) => {
          const near = i % 2 === 0 && recent.length ? pick(recent) : null;
          const place = near ? { latitude: near.latitude + 0.0001, longitude: near.longitude } : placeIn(next, Math.floor(next() * 50));
          const rows = await client.query(SIMILAR_SQL, similarParams(near?.category_code ?? pick(CATEGORIES), randomUUID(), since, place));
          if (i >= 0) sqlSimilarFound += rows.rowCount ?? 0;
        });
        const sample = recent[0] ?? { latitude: 13.75, longitude: 100.5, category_code: 'ROADS', district_code: '1001' };
        const plans: StageReads['plans'] = {
          similar: await explain(client, SIMILAR_SQL, similarParams(sample.category_code, randomUUID(), since, { latitude: sample.latitude + 0.0001, longitude: sample.longitude })),
        };
        for (const r of PUBLIC_READS) if (r.sql) plans[r.key] = await explain(client, r.sql.text, r.sql.params);
        results.push({ reports: count, empty, http, submit, submitSimilarFound, sqlEmpty, sqlSimilar, sqlSimilarFound, plans });
        const ms = (l: LatencySummary) => `${l.p50.toFixed(2)}/${l.p99.toFixed(2)}`;
        ctx.log(
          `reports: at ${count}: empty p50/p99 ${ms(empty)} ms; ${PUBLIC_READS.map((r) => `${r.key} ${ms(http[r.key])}`).join('; ')}; submit ${ms(submit)}; SQL similar ${ms(sqlSimilar)} vs SELECT 1 ${ms(sqlEmpty)}; plans ${JSON.stringify(plans)}`,
        );
      }

      // ---- submissions per second: ours, then the reference, on the same database at its largest size ----
      await submitThroughput(server, accounts, districts, warmupSeconds, 11);
      const before = await scrape(server.url);
      const ours = await submitThroughput(server, accounts, districts, seconds, 12);
      const after = await scrape(server.url);
      const statements = (metricSum(after, 'db_queries_total') - metricSum(before, 'db_queries_total')) / Math.max(1, metricSum(after, 'graphql_requests_total') - metricSum(before, 'graphql_requests_total'));
      ctx.log(`reports: submitReport ${ours.ok} in ${ours.seconds.toFixed(1)} s (${(ours.ok / ours.seconds).toFixed(1)}/s), ${ours.errors} errors ${ours.firstErrors.join(' | ')}`);
      await rawThroughput(db.url, accounts, districts, warmupSeconds, 13);
      const raw = await rawThroughput(db.url, accounts, districts, seconds, 14);
      ctx.log(`reports: raw SQL ${raw.ok} in ${raw.seconds.toFixed(1)} s (${(raw.ok / raw.seconds).toFixed(1)}/s), ${raw.errors} errors ${raw.firstErrors.join(' | ')}`);

      // ---- figures -------------------------------------------------------------------------------------
      const oursRate = ours.ok / ours.seconds;
      const rawRate = raw.ok / raw.seconds;
      const ratio = oursRate / rawRate;
      const small = results[0];
      const big = results[results.length - 1];
      const bigN = big.reports.toLocaleString('en-US');
      const smallN = small.reports.toLocaleString('en-US');
      const quickMiss = ctx.quick ? `quick run: ${bigN} reports, not 1,000,000` : undefined;
      // What PostgreSQL alone spends on a statement (EXPLAIN ANALYZE once per size) and the plan it chose at the largest.
      const sqlAlone = (plan: string) =>
        ` The statement alone, timed by PostgreSQL at each size: ${results.map((r) => `${r.plans[plan].ms} ms`).join(', ')}; at ${bigN}: ${big.plans[plan].nodes.join(' → ')}.`;
      const againstEmpty = (metric: string, s: (r: StageReads) => LatencySummary, floor: (r: StageReads) => LatencySummary, floorName: string, note: string, withTarget = true): Figure[] => {
        const p99 = s(big).p99;
        const limit = 2 * floor(big).p99;
        const met = p99 <= limit;
        return [
          {
            metric: `${metric} p99 at ${bigN} reports`,
            value: round(p99, 2),
            unit: 'ms',
            reference: { name: `${floorName} p99, same server and moment`, value: round(floor(big).p99, 2) },
            ratio: round(floor(big).p99 / p99, 3),
            ...(withTarget
              ? {
                  target: 'p99 ≤ 2 × empty query',
                  met: met && !ctx.quick,
                  miss: ctx.quick ? quickMiss : met ? undefined : `${(p99 / floor(big).p99).toFixed(2)} × empty, ${(p99 - limit).toFixed(1)} ms over`,
                }
              : {}),
            note: `${note} At each size (p50 / p99 ms, ${floorName} beside): ${results.map((r) => `${r.reports.toLocaleString('en-US')}: ${s(r).p50.toFixed(2)} / ${s(r).p99.toFixed(2)} (${floor(r).p50.toFixed(2)} / ${floor(r).p99.toFixed(2)})`).join('; ')}.`,
          },
          {
            metric: `${metric} p50 at ${bigN} reports`,
            value: round(s(big).p50, 2),
            unit: 'ms',
            reference: { name: `the same at ${smallN} reports`, value: round(s(small).p50, 2) },
            ratio: round(s(small).p50 / s(big).p50, 3),
          },
        ];
      };
      const httpNote = `${requests} sequential anonymous requests per size (at most ${capSeconds} s) after ${warmup} unmeasured, over one kept-alive node:http socket`;
      const figures: Figure[] = [
        {
          metric: `submitReport throughput (${CONNECTIONS} keep-alive clients, 500 reporters)`,
          value: round(oursRate, 1),
          unit: 'reports/s',
          reference: { name: `raw pg, same statements, ${CONNECTIONS} callers on a pool of ${DB_POOL}`, value: round(rawRate, 1) },
          ratio: round(ratio, 3),
          target: '≥ 0.60 × raw pg',
          met: ratio >= 0.6 && ours.errors === 0 && raw.errors === 0 && !ctx.quick,
          miss: ctx.quick ? `quick run: ${seconds} s` : ratio >= 0.6 ? (ours.errors + raw.errors ? `${ours.errors + raw.errors} errors` : undefined) : `${ratio.toFixed(2)} × raw pg, ${Math.round((0.6 - ratio) * 100)} points short`,
          note: `${seconds} s each after a ${warmupSeconds} s warm-up each, ours then the reference, on the same database after the reads (${bigN} reports at the start; ${ours.ok} then ${raw.ok} added), each at a random place of a random district's rectangle, 12 categories; ${ours.errors} errors (ours), ${raw.errors} (reference). The server (REPORTS_PER_HOUR=100000 so the hourly limit never refuses, REDIS_URL set, pool of ${DB_POOL}) ran ${statements.toFixed(2)} SQL statements per submission; it also checks the access token and its session, and counts the submission in Redis (rate limit), which the reference does not. Latency p50 / p99: ours ${ours.latency.p50.toFixed(1)} / ${ours.latency.p99.toFixed(1)} ms, reference ${raw.latency.p50.toFixed(1)} / ${raw.latency.p99.toFixed(1)} ms.`,
        },
        ...PUBLIC_READS.flatMap((r) =>
          againstEmpty(r.metric, (s) => s.http[r.key], (s) => s.empty, 'empty query { __typename }', r.note(httpNote) + (r.sql ? sqlAlone(r.key) : ''), r.target ?? true),
        ),
        ...againstEmpty(
          'duplicate search (similarTo’s SQL)',
          (r) => r.sqlSimilar,
          (r) => r.sqlEmpty,
          'SELECT 1',
          `ReportsService.similarTo's statement (same category, open, last 30 days, within 50 m by the earth_box GiST index then earth_distance, nearest 10), sent from a pg client on one connection, ${requests} times per size after ${warmup} unmeasured: half at a random point, half 11 m from a recent open report of the same category (so it finds it); found ${big.sqlSimilarFound} reports over the ${big.sqlSimilar.count} searches at ${bigN}. The empty query is SELECT 1 on the same connection, so the ratio says what the search costs over a round trip to PostgreSQL.${sqlAlone('similar')}`,
        ),
        {
          metric: `submitReport latency (with its duplicate search) p99 at ${bigN} reports`,
          value: round(big.submit.p99, 2),
          unit: 'ms',
          reference: { name: `the same at ${smallN} reports`, value: round(small.submit.p99, 2) },
          ratio: round(small.submit.p99 / big.submit.p99, 3),
          note: `${submits} sequential submissions per size by random reporters, half next to a recent open report of the same category (similarReports found ${big.submitSimilarFound} at ${bigN}); a write with its commit, so no empty-query target: it shows the search does not grow with the table. p50 / p99 ms at each size: ${results.map((r) => `${r.reports.toLocaleString('en-US')}: ${r.submit.p50.toFixed(2)} / ${r.submit.p99.toFixed(2)}`).join('; ')}.`,
        },
      ];
      if (ctx.quick) figures[0].note = `quick run (${stages.map((s) => s.toLocaleString('en-US')).join(', ')} reports; ${seconds} s of submissions): ` + figures[0].note;
      return {
        scenario: '7. Resident reports',
        figures,
        details: {
          stages,
          seconds,
          warmupSeconds,
          connections: CONNECTIONS,
          dbPool: DB_POOL,
          requests,
          submits,
          warmup,
          capSeconds,
          throughput: { ours: { ...ours, statementsPerSubmission: round(statements, 2) }, raw },
          rawTransaction:
            'SELECT the category (active); BEGIN; SELECT the city’s targets for the category, then the district’s own; INSERT report with its deadlines RETURNING id, status, support_count, created_at, updated_at; INSERT submit transition; the duplicate search (similarTo’s SQL); INSERT audit entry; COMMIT',
          notMirrored: 'the server also checks the access token and its session (reads outside the transaction), counts the submission in Redis for REPORTS_PER_HOUR, checks the input, and claims photos (none here)',
          seed: 'INSERT … SELECT generate_series (setseed per stage): 50 districts round robin, each report at a uniform point of its district’s rectangle (Bangkok’s box cut 5 × 10), 12 categories and 6 channels at random, created uniformly over the 730 days before now; older than 30 days 79% RESOLVED, 11% REJECTED, 5% FORWARDED, 5% still open; newer 80% open',
          growSeconds: loads,
          reads: results,
        },
      };
    } finally {
      for (const step of cleanup.reverse()) await step().catch((error: unknown) => ctx.log(`reports: cleanup failed: ${String(error)}`));
    }
  },
};

