import { Client } from 'pg';
import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { TestServer } from '../support/test-server';

/**
 * The public's and the city's reading of reports in bulk (README, "Residents' reports"): the `within`
 * filter, the map grid and the statistics, checked against a fixture whose numbers are worked out by hand.
 * Reports are inserted with known times, as the lifecycle would have left them; breaches as the clock
 * job records them.
 */

const H = 3_600_000;
/** The period of the statistics fixture: March 2026 (UTC). */
const MARCH = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
/** The statistics fixture's district (Bang Rak), and another (Phra Nakhon). */
const DISTRICT = '1004';
const OTHER = '1001';

const SUMMARY = `reports resolved resolvedWithinTarget shareResolvedWithinTarget acceptBreaches resolveBreaches averageRating ratings
  timeToAccept { count median percentile90 } timeToResolve { count median percentile90 }`;
const STATISTICS = `query($i: ReportStatisticsInput!) { reportStatistics(input: $i) {
  district { code } from to summary { ${SUMMARY} } byStatus { status count } byCategory { category { code name } count } } }`;
const TABLE = `query($i: ReportDistrictTableInput!) { reportDistrictTable(input: $i) { rank district { code } summary { ${SUMMARY} } } }`;
const MAP = `query($i: ReportMapInput!) { reportMap(input: $i) { cellSize total cells { south west north east latitude longitude count report { id category { code } } } } }`;
const LIST = `query($f: ReportFilter) { reports(filter: $f, first: 50) { totalCount edges { node { id place { latitude longitude } } } } }`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';
const fields = (res: { errors?: { extensions?: { fields?: { field: string }[] } }[] }) => res.errors?.[0]?.extensions?.fields?.map((f) => f.field);

describe('reports in bulk: the within filter, the map grid, statistics', () => {
  let api: TestServer;
  let db: Client;

  interface Row {
    district?: string;
    category?: string;
    status?: string;
    received: string;
    accepted?: string;
    resolved?: string;
    resolveDue?: string;
    rating?: number;
    place?: [number, number];
  }
  /** A report as the lifecycle leaves it, straight into the table; its id. */
  const insert = async (row: Row): Promise<string> => {
    const { rows } = await db.query(
      `INSERT INTO reports (kind, category_code, description, latitude, longitude, district_code, channel, status, received_at, accepted_at, resolved_at,
         accept_due_at, resolve_due_at, rating, created_at)
       VALUES ('COMPLAINT', $1, 'ถนนชำรุด เป็นหลุมลึก', $2, $3, $4, 'APP', $5, $6, $7, $8, $6::timestamptz + interval '24 hours', $9, $10, $6) RETURNING id`,
      [row.category ?? 'ROADS', row.place?.[0] ?? 13.85, row.place?.[1] ?? 100.6, row.district ?? DISTRICT, row.status ?? 'RECEIVED', row.received, row.accepted ?? null, row.resolved ?? null,
        row.resolveDue ?? new Date(Date.parse(row.received) + 168 * H).toISOString(), row.rating ?? null],
    );
    return rows[0].id;
  };
  const breach = async (reportId: string, kind: 'ACCEPT' | 'RESOLVE', district: string, breachedAt: string) =>
    db.query(`INSERT INTO report_breaches (report_id, kind, district_code, category_code, due_at, breached_at) VALUES ($1, $2, $3, 'ROADS', $4, $4)`, [reportId, kind, district, breachedAt]);

  /** The map fixture (district Pathum Wan, in June, away from the statistics' places): cell (row, column) at zoom 12. */
  const MAP_PLACES = {
    a: [[13.7001, 100.495], [13.705, 100.5], [13.71, 100.502], [13.69996, 100.4925]] as [number, number][],
    b: [[13.705, 100.508]] as [number, number][],
    c: [[13.715, 100.516], [13.72, 100.52]] as [number, number][],
  };
  const ZOOM12 = 360 / 2 ** 15;
  const BOX = { south: 13.7, west: 100.49, north: 13.72, east: 100.52 };
  let single: string;
  let waste: string;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    // March, Bang Rak: accepted after 2, 4, 6 and 8 hours; resolved after 10 (target 168), 20 (target 12) and 30 hours (target 48).
    const r1 = await insert({ status: 'RESOLVED', received: at(0), accepted: at(2), resolved: at(10), rating: 5 });
    const r2 = await insert({ status: 'RESOLVED', received: at(24), accepted: at(28), resolved: at(44), resolveDue: at(36), rating: 3 });
    await insert({ category: 'WASTE', status: 'RESOLVED', received: at(48), accepted: at(54), resolved: at(78), resolveDue: at(96) });
    await insert({ category: 'WASTE', status: 'ACCEPTED', received: at(72), accepted: at(80) });
    const r5 = await insert({ category: 'STREET_LIGHTS', received: at(96) });
    await insert({ category: 'OTHER', status: 'REJECTED', received: at(120) });
    // Outside the period: February and April; another district in March.
    await insert({ status: 'RESOLVED', received: '2026-02-27T00:00:00.000Z', accepted: '2026-02-27T01:00:00.000Z', resolved: '2026-02-28T00:00:00.000Z', rating: 1 });
    await insert({ received: '2026-04-01T00:00:00.000Z' });
    const other = await insert({ district: OTHER, category: 'FLOODING_AND_DRAINAGE', received: at(10) });
    // Missed deadlines: counted where and when they were missed.
    await breach(r2, 'RESOLVE', DISTRICT, at(36));
    await breach(r5, 'ACCEPT', DISTRICT, at(120));
    await breach(r1, 'RESOLVE', DISTRICT, '2026-04-02T00:00:00.000Z');
    await breach(other, 'ACCEPT', OTHER, at(34));
    // The map: three cells in Pathum Wan in June.
    const june = '2026-06-01T00:00:00.000Z';
    for (const place of MAP_PLACES.a) await insert({ district: '1007', received: june, place });
    single = await insert({ district: '1007', received: june, place: MAP_PLACES.b[0] });
    waste = await insert({ district: '1007', category: 'WASTE', received: june, place: MAP_PLACES.c[0] });
    await insert({ district: '1007', received: june, place: MAP_PLACES.c[1] });
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  describe('statistics', () => {
    it('counts a district’s month as worked out by hand: medians and 90th percentiles, target share, breaches, ratings', async () => {
      const { reportStatistics: s } = await api.ok(STATISTICS, { i: { districtCode: DISTRICT, ...MARCH } });
      expect(s.district).toEqual({ code: DISTRICT });
      expect([s.from, s.to]).toEqual([MARCH.from, MARCH.to]);
      expect(s.summary).toEqual({
        reports: 6,
        // Accepted after 2, 4, 6, 8 h: the median between 4 and 6 h; the 90th percentile at 2.7 of 0..3, 6 h + 0.7 × 2 h.
        timeToAccept: { count: 4, median: 5 * 3600, percentile90: 6 * 3600 + 0.7 * 2 * 3600 },
        // Resolved after 10, 20, 30 h: the median 20 h; the 90th percentile at 1.8 of 0..2, 20 h + 0.8 × 10 h.
        timeToResolve: { count: 3, median: 20 * 3600, percentile90: 28 * 3600 },
        resolved: 3,
        resolvedWithinTarget: 2,
        shareResolvedWithinTarget: 2 / 3,
        acceptBreaches: 1,
        resolveBreaches: 1,
        averageRating: 4,
        ratings: 2,
      });
      expect(s.byStatus).toEqual([
        { status: 'RECEIVED', count: 1 },
        { status: 'ACCEPTED', count: 1 },
        { status: 'IN_PROGRESS', count: 0 },
        { status: 'RESOLVED', count: 3 },
        { status: 'REJECTED', count: 1 },
        { status: 'FORWARDED', count: 0 },
        { status: 'MERGED', count: 0 },
      ]);
      const counts = Object.fromEntries(s.byCategory.map((c: any) => [c.category.code, c.count]));
      expect(counts).toEqual({ ROADS: 2, FOOTPATHS: 0, FLOODING_AND_DRAINAGE: 0, STREET_LIGHTS: 1, WASTE: 2, TREES: 0, NOISE: 0, SAFETY: 0, TRAFFIC: 0, STRAY_ANIMALS: 0, PUBLIC_HEALTH: 0, OTHER: 1 });
      // Categories are named in the reader's language, as everywhere.
      expect(s.byCategory.find((c: any) => c.category.code === 'ROADS').category.name).toMatch(/[\u0E00-\u0E7F]/);
    });

    it('city-wide adds every district, and its breaches', async () => {
      const { reportStatistics: s } = await api.ok(STATISTICS, { i: MARCH });
      expect(s.district).toBeNull();
      expect(s.summary).toMatchObject({ reports: 7, resolved: 3, acceptBreaches: 2, resolveBreaches: 1, ratings: 2, averageRating: 4 });
      expect(s.summary.timeToAccept).toEqual({ count: 4, median: 5 * 3600, percentile90: 6 * 3600 + 0.7 * 2 * 3600 });
      expect(s.byStatus.find((row: any) => row.status === 'RECEIVED').count).toBe(2);
    });

    it('answers zeros and nulls for a district without reports, and for a period without any', async () => {
      const empty = {
        reports: 0,
        timeToAccept: { count: 0, median: null, percentile90: null },
        timeToResolve: { count: 0, median: null, percentile90: null },
        resolved: 0,
        resolvedWithinTarget: 0,
        shareResolvedWithinTarget: null,
        acceptBreaches: 0,
        resolveBreaches: 0,
        averageRating: null,
        ratings: 0,
      };
      for (const input of [{ districtCode: '1050', ...MARCH }, { from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' }]) {
        const { reportStatistics: s } = await api.ok(STATISTICS, { i: input });
        expect(s.summary).toEqual(empty);
        expect(s.byStatus.every((row: any) => row.count === 0)).toBe(true);
        expect(s.byCategory.every((row: any) => row.count === 0)).toBe(true);
      }
    });

    it('is public: the same numbers for anyone, signed in or not', async () => {
      const anonymous = await api.gql(STATISTICS, { i: { districtCode: DISTRICT, ...MARCH } });
      expect(code(anonymous)).toBe('OK');
    });

    it('refuses a period that ends before it starts, is empty or is longer than 5 years, and a district that is not one', async () => {
      const refused = async (input: Record<string, unknown>) => {
        const res = await api.gql(STATISTICS, { i: input }, undefined, { 'accept-language': 'en' });
        return { code: code(res), fields: fields(res), message: (res.errors?.[0]?.extensions as any)?.fields?.[0]?.message };
      };
      expect(await refused({ from: MARCH.to, to: MARCH.from })).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.to'], message: t(Locale.en, 'reports.errors.periodOrder') });
      expect(await refused({ from: MARCH.from, to: MARCH.from })).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.to'] });
      expect(await refused({ from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00.001Z' })).toEqual({
        code: 'BAD_USER_INPUT',
        fields: ['input.to'],
        message: t(Locale.en, 'reports.errors.periodTooLong', { years: 5 }),
      });
      // Exactly five years is allowed.
      expect((await refused({ from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).code).toBe('OK');
      expect((await refused({ from: 'yesterday', to: MARCH.to })).code).toBe('BAD_USER_INPUT');
      expect((await refused({ districtCode: '9999', ...MARCH })).code).toBe('NOT_FOUND');
      expect((await refused({ districtCode: "1001' OR 1=1 --", ...MARCH })).code).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
      const table = await api.gql(TABLE, { i: { from: MARCH.to, to: MARCH.from } });
      expect([code(table), fields(table)]).toEqual(['BAD_USER_INPUT', ['input.to']]);
    });
  });

  describe('the districts’ table', () => {
    it('ranks all 50 districts, those without reports included, by the share resolved within target', async () => {
      const { reportDistrictTable: rows } = await api.ok(TABLE, { i: MARCH });
      expect(rows).toHaveLength(50);
      expect(rows.map((row: any) => row.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // Bang Rak alone resolved anything; Phra Nakhon had a report; the rest follow by code.
      expect(rows.slice(0, 3).map((row: any) => row.district.code)).toEqual([DISTRICT, '1001', '1002']);
      const { reportStatistics: s } = await api.ok(STATISTICS, { i: { districtCode: DISTRICT, ...MARCH } });
      expect(rows[0].summary).toEqual(s.summary);
      expect(rows[1].summary).toMatchObject({ reports: 1, resolved: 0, shareResolvedWithinTarget: null, acceptBreaches: 1 });
      expect(rows[2].summary).toMatchObject({ reports: 0, ratings: 0, acceptBreaches: 0, averageRating: null });
      expect(new Set(rows.map((row: any) => row.district.code)).size).toBe(50);
    });

    it('orders by what is asked: most reports, fewest breaches, fastest acceptance', async () => {
      const order = async (orderBy: string) => (await api.ok(TABLE, { i: { ...MARCH, orderBy } })).reportDistrictTable.map((row: any) => row.district.code);
      expect((await order('MOST_REPORTS')).slice(0, 3)).toEqual([DISTRICT, '1001', '1002']);
      expect((await order('FEWEST_BREACHES')).slice(-2)).toEqual(['1001', DISTRICT]);
      expect((await order('FASTEST_ACCEPTANCE'))[0]).toBe(DISTRICT);
      expect((await order('BEST_RATED'))[0]).toBe(DISTRICT);
    });
  });

  describe('the within filter', () => {
    it('lists the reports inside a box, edges included, and nothing outside it', async () => {
      const { reports } = await api.ok(LIST, { f: { within: BOX } });
      const places = reports.edges.map((e: any) => [e.node.place.latitude, e.node.place.longitude]).sort();
      expect(places).toEqual([...MAP_PLACES.a.slice(0, 3), ...MAP_PLACES.b, ...MAP_PLACES.c].sort());
      expect(reports.totalCount).toBe(6);
      const edge = await api.ok(LIST, { f: { within: { south: 13.72, west: 100.52, north: 13.73, east: 100.53 } } });
      expect(edge.reports.totalCount).toBe(1);
      // With the other filters.
      expect((await api.ok(LIST, { f: { within: BOX, categories: ['WASTE'] } })).reports.totalCount).toBe(1);
    });

    it('refuses a box that is not one, naming the side', async () => {
      const cases: [Record<string, number>, string[]][] = [
        [{ ...BOX, south: 13.73 }, ['filter.within.north']],
        [{ ...BOX, west: 100.6 }, ['filter.within.east']],
        [{ ...BOX, north: 95 }, ['filter.within.north']],
        [{ ...BOX, west: -181, east: 181 }, ['filter.within.west', 'filter.within.east']],
      ];
      for (const [within, names] of cases) {
        const res = await api.gql(LIST, { f: { within } });
        expect([code(res), fields(res)]).toEqual(['BAD_USER_INPUT', names]);
      }
      expect(code(await api.gql(LIST, { f: { within: { south: 13.7, west: 100.49, north: 13.72 } } }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('the map grid', () => {
    it('counts whole cells of the zoom level’s grid, with the one report of a cell that holds one', async () => {
      const { reportMap: map } = await api.ok(MAP, { i: { bbox: BOX, zoom: 12 } });
      expect(map.cellSize).toBe(ZOOM12);
      const cell = (row: number, col: number) => ({ south: row * ZOOM12, north: (row + 1) * ZOOM12, west: col * ZOOM12, east: (col + 1) * ZOOM12 });
      expect(map.cells.map(({ south, west, north, east, count }: any) => ({ south, west, north, east, count }))).toEqual([
        // Cell (1247, 9147) also holds a report just south of the box: a cell is counted whole.
        { ...cell(1247, 9147), count: 4 },
        { ...cell(1247, 9148), count: 1 },
        { ...cell(1248, 9149), count: 2 },
      ]);
      expect(map.total).toBe(7);
      expect(map.cells[0].latitude).toBeCloseTo((13.7001 + 13.705 + 13.71 + 13.69996) / 4, 9);
      expect(map.cells[0].longitude).toBeCloseTo((100.495 + 100.5 + 100.502 + 100.4925) / 4, 9);
      expect([map.cells[0].report, map.cells[2].report]).toEqual([null, null]);
      expect(Buffer.from(map.cells[1].report.id, 'base64url').toString()).toBe(`Report:${single}`);
    });

    it('counts what the filter lets through', async () => {
      const { reportMap: map } = await api.ok(MAP, { i: { bbox: BOX, zoom: 12, filter: { categories: ['WASTE'], districtCode: '1007' } } });
      expect(map.cells.map((c: any) => [c.count, c.report?.category.code])).toEqual([[1, 'WASTE']]);
      expect(Buffer.from(map.cells[0].report.id, 'base64url').toString()).toBe(`Report:${waste}`);
      const none = await api.ok(MAP, { i: { bbox: BOX, zoom: 12, filter: { statuses: ['MERGED'] } } });
      expect(none.reportMap).toEqual({ cellSize: ZOOM12, total: 0, cells: [] });
    });

    it('zoomed out, one cell holds the whole city', async () => {
      const { reportMap: map } = await api.ok(MAP, { i: { bbox: { south: 13.45, west: 100.3, north: 14, east: 100.95 }, zoom: 0 } });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM reports`);
      expect(map.cells.map((c: any) => c.count)).toEqual([rows[0].n]);
    });

    it('refuses a box that would make more than 2,500 cells, and a zoom out of range; a box outside Bangkok is empty', async () => {
      const city = { south: 13.45, west: 100.3, north: 14, east: 100.95 };
      const tooMany = await api.gql(MAP, { i: { bbox: city, zoom: 14 } }, undefined, { 'accept-language': 'en' });
      expect([code(tooMany), fields(tooMany)]).toEqual(['BAD_USER_INPUT', ['input.bbox']]);
      // 0.55° by 0.65° in cells of 360 / 2^17 degrees: 201 rows by 237 columns (or one more of each, by where the grid falls).
      expect((tooMany.errors![0].extensions as any).fields[0].message).toMatch(/^this box at this zoom makes \d+ cells, more than 2500/);
      expect(code(await api.gql(MAP, { i: { bbox: city, zoom: 9 } }))).toBe('OK');
      for (const zoom of [-1, 23]) {
        const res = await api.gql(MAP, { i: { bbox: BOX, zoom } });
        expect([code(res), fields(res)]).toEqual(['BAD_USER_INPUT', ['input.zoom']]);
      }
      const reversed = await api.gql(MAP, { i: { bbox: { ...BOX, south: 13.8 }, zoom: 12 } });
      expect([code(reversed), fields(reversed)]).toEqual(['BAD_USER_INPUT', ['input.bbox.north']]);
      const filter = await api.gql(MAP, { i: { bbox: BOX, zoom: 12, filter: { text: '<b>x</b>', within: { ...BOX, east: 0 } } } });
      expect([code(filter), fields(filter)]).toEqual(['BAD_USER_INPUT', ['input.filter.text', 'input.filter.within.east']]);
      const chiangMai = await api.ok(MAP, { i: { bbox: { south: 18.7, west: 98.9, north: 18.9, east: 99.1 }, zoom: 22 } });
      expect(chiangMai.reportMap.cells).toEqual([]);
    });
  });
});
