import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ReportMapGrid1796367000001 } from '../../migrations/1796367000001-ReportMapGrid';
import { Account, loginAdmin, moveReport, register, submitReport } from '../support/factories';
import { TestServer } from '../support/test-server';

/**
 * The map grid kept per cell (README, "Residents' reports"; migration 1796367000001): whatever happens to
 * reports (a bulk load, submissions side by side, every step of the lifecycle, a forward to another
 * district, a merge, a moved place, a deletion, a rolled-back insert, the migration undone and redone), a
 * zoomed-out `reportMap` read from the grid answers what counting the reports themselves answers.
 *
 * The reports are counted themselves when the filter names kinds, so the same map asked with both kinds
 * is the reference for the map asked without.
 */

const MAP = `query($i: ReportMapInput!) { reportMap(input: $i) { cellSize total cells { south west north east latitude longitude count report { id } } } }`;
const CITY = { south: 13.45, west: 100.3, north: 14, east: 100.95 };
/** Where the fixture's reports are: a box over the old town, Pathum Wan and Bang Rak. */
const AREA = { south: 13.7, west: 100.45, north: 13.8, east: 100.6 };
const OPEN = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'];
const STATUSES = [...OPEN, 'RESOLVED', 'REJECTED', 'FORWARDED', 'MERGED'];
const DISTRICTS = ['1001', '1004', '1007'];
const size = (zoom: number) => 360 / 2 ** (zoom + 3);

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the map grid kept per cell', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let residents: Account[];
  const next = random(15);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];

  /** `count` reports in one INSERT, at random places of AREA (and some on the lines between cells), with random districts, kinds and statuses. */
  async function bulkInsert(count: number): Promise<void> {
    const rows: unknown[][] = [];
    for (let i = 0; i < count; i++) {
      let latitude = AREA.south + next() * (AREA.north - AREA.south);
      let longitude = AREA.west + next() * (AREA.east - AREA.west);
      // One in five exactly on a line of the zoom 11 or zoom 14 grid: it belongs to the cell north (east) of the line.
      if (i % 5 === 0) latitude = Math.ceil(latitude / size(i % 2 ? 11 : 14)) * size(i % 2 ? 11 : 14);
      if (i % 10 === 0) longitude = Math.floor(longitude / size(14)) * size(14);
      rows.push([pick(['COMPLAINT', 'SUGGESTION']), pick(['ROADS', 'WASTE', 'STREET_LIGHTS']), latitude, longitude, pick(DISTRICTS), pick(STATUSES)]);
    }
    await db.query(
      `INSERT INTO reports (kind, category_code, description, latitude, longitude, district_code, channel, status, received_at, accept_due_at, resolve_due_at)
       SELECT r.kind, r.category, 'ทางเท้าชำรุด', r.latitude, r.longitude, r.district, 'WEB', r.status, now(), now() + interval '1 day', now() + interval '7 days'
         FROM jsonb_to_recordset($1::jsonb) AS r(kind text, category text, latitude float8, longitude float8, district text, status text)`,
      [JSON.stringify(rows.map(([kind, category, latitude, longitude, district, status]) => ({ kind, category, latitude, longitude, district, status })))],
    );
  }

  /** The kept cells with reports in them, beside the same cells worked out from the reports now. */
  async function keptAndCounted(): Promise<{ kept: unknown[]; counted: unknown[]; negative: number }> {
    const kept = await db.query(`SELECT level, "row", col, district_code, status, reports FROM report_map_cells WHERE reports <> 0 ORDER BY 1, 2, 3, 4, 5`);
    const counted = await db.query(
      `SELECT l.level, floor(r.latitude / (360 / 2 ^ (l.level + 3)))::int AS "row", floor(r.longitude / (360 / 2 ^ (l.level + 3)))::int AS col, r.district_code, r.status, count(*)::int AS reports
         FROM reports r CROSS JOIN (VALUES (11::smallint), (14::smallint)) AS l(level)
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    );
    const negative = (await db.query(`SELECT count(*)::int AS n FROM report_map_cells WHERE reports < 0`)).rows[0].n;
    return { kept: kept.rows, counted: counted.rows, negative };
  }

  /** Asks one map both ways; the answers, with the centres rounded to what float sums keep (1e-9 degrees, a millimetre). */
  async function bothWays(zoom: number, bbox: object, filter: Record<string, unknown>): Promise<[unknown, unknown]> {
    const round = (map: any) => ({
      ...map,
      cells: map.cells.map((cell: any) => ({ ...cell, latitude: Math.round(cell.latitude * 1e9) / 1e9, longitude: Math.round(cell.longitude * 1e9) / 1e9 })),
    });
    const kept = (await api.ok(MAP, { i: { zoom, bbox, filter } })).reportMap;
    const counted = (await api.ok(MAP, { i: { zoom, bbox, filter: { ...filter, kinds: ['COMPLAINT', 'SUGGESTION'] } } })).reportMap;
    return [round(kept), round(counted)];
  }

  /** Every zoom the grid answers (and one it does not), over the city and the area, with the filters the grid answers. */
  async function expectSameMaps(): Promise<void> {
    const { kept, counted, negative } = await keptAndCounted();
    expect(negative).toBe(0);
    expect(kept).toEqual(counted);
    const filters = [{}, { districtCode: '1004' }, { statuses: OPEN }, { districtCode: '1007', statuses: ['RESOLVED', 'MERGED'] }];
    const maps: [number, object][] = [
      [0, CITY],
      [8, CITY],
      [10, CITY],
      [11, CITY],
      [12, AREA],
      [13, AREA],
      [14, AREA],
      [15, { south: 13.74, west: 100.5, north: 13.76, east: 100.53 }],
    ];
    for (const [zoom, bbox] of maps) {
      for (const filter of filters) {
        const [fromGrid, fromReports] = await bothWays(zoom, bbox, filter);
        expect({ zoom, filter, map: fromGrid }).toEqual({ zoom, filter, map: fromReports });
      }
    }
  }

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    residents = [];
    for (let i = 0; i < 4; i++) residents.push(await register(api, { displayName: `ผู้แจ้ง ${i}` }));
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('a bulk load of 600 reports, some on the lines between cells, is counted in the cells it falls in', async () => {
    await bulkInsert(600);
    const { kept } = await keptAndCounted();
    expect(kept.length).toBeGreaterThan(100);
    await expectSameMaps();
    // The zoomed-out map over the city counts all of them.
    expect((await api.ok(MAP, { i: { zoom: 0, bbox: CITY } })).reportMap.total).toBe(600);
  });

  it('submissions side by side in one cell each count once, and every step of the lifecycle moves a report between cells', async () => {
    const place = { latitude: 13.7563, longitude: 100.5018, address: 'ถนนราชดำเนิน' };
    const ids = await Promise.all(residents.flatMap((resident) => [0, 1, 2, 3].map(() => submitReport(api, resident, { place, districtCode: '1001' }))));
    expect(new Set(ids).size).toBe(16);
    const cell = await api.ok(MAP, { i: { zoom: 14, bbox: { south: 13.756, west: 100.501, north: 13.7566, east: 100.5022 }, filter: { statuses: ['RECEIVED'], districtCode: '1001' } } });
    expect(cell.reportMap.cells.map((c: any) => c.count)).toEqual([16]);
    await expectSameMaps();

    await moveReport(api, admin, ids[0], 'acceptReport');
    await moveReport(api, admin, ids[1], 'acceptReport', 'startReportWork');
    await moveReport(api, admin, ids[2], 'acceptReport', 'startReportWork', 'resolveReport');
    await api.ok(`mutation($id: ID!) { rejectReport(input: { reportId: $id, reason: "ซ้ำกับงานที่ทำอยู่" }) { report { id } } }`, { id: ids[3] }, admin.token);
    await api.ok(`mutation($id: ID!) { forwardReport(input: { reportId: $id, toDistrictCode: "1004" }) { report { id } } }`, { id: ids[4] }, admin.token);
    await api.ok(`mutation($id: ID!, $s: ID!) { mergeReport(input: { reportId: $id, survivorId: $s }) { report { id } } }`, { id: ids[5], s: ids[6] }, admin.token);
    const statuses = await db.query(`SELECT status, district_code, count(*)::int AS n FROM reports WHERE latitude = $1 AND longitude = $2 GROUP BY 1, 2 ORDER BY 1, 2`, [place.latitude, place.longitude]);
    expect(statuses.rows.length).toBeGreaterThanOrEqual(6);
    await expectSameMaps();
  });

  it('places moved within a cell and across cells, a bulk change of status, deletions and a rolled-back insert', async () => {
    // Within its zoom 14 cell (the centre moves, the count does not), and far across the area.
    await db.query(`UPDATE reports SET latitude = latitude + 1e-7 WHERE id IN (SELECT id FROM reports ORDER BY id LIMIT 20)`);
    await db.query(`UPDATE reports SET latitude = 13.799, longitude = 100.451 WHERE id IN (SELECT id FROM reports ORDER BY id DESC LIMIT 15)`);
    // Many reports of the same cells in one statement.
    await db.query(`UPDATE reports SET status = 'RESOLVED', resolved_at = now() WHERE status = 'IN_PROGRESS'`);
    // A change the grid does not keep writes nothing to it.
    const before = await db.query(`SELECT * FROM report_map_cells ORDER BY 1, 2, 3, 4, 5`);
    await db.query(`UPDATE reports SET description = description || ' (ตรวจแล้ว)'`);
    expect((await db.query(`SELECT * FROM report_map_cells ORDER BY 1, 2, 3, 4, 5`)).rows).toEqual(before.rows);
    // The bulk-loaded reports have no history to keep them.
    await db.query(`DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE description LIKE 'ทางเท้าชำรุด%' ORDER BY latitude LIMIT 40)`);
    await db.query('BEGIN');
    await bulkInsert(25);
    await db.query('ROLLBACK');
    await expectSameMaps();
  });

  it('a map read from the grid is read from the grid (a count changed there shows), and the migration undone and redone rebuilds it from the reports', async () => {
    const ask = () => api.ok(MAP, { i: { zoom: 0, bbox: CITY } }).then((data) => data.reportMap.total as number);
    const total = await ask();
    await db.query(`UPDATE report_map_cells SET reports = reports + 1000 WHERE (level, "row", col, district_code, status) IN (SELECT level, "row", col, district_code, status FROM report_map_cells WHERE level = 11 AND reports > 0 LIMIT 1)`);
    expect(await ask()).toBe(total + 1000);

    const runner = api.server.app.get(DataSource).createQueryRunner();
    try {
      await new ReportMapGrid1796367000001().down(runner);
      expect((await db.query(`SELECT to_regclass('report_map_cells') AS t`)).rows[0].t).toBeNull();
      await new ReportMapGrid1796367000001().up(runner);
    } finally {
      await runner.release();
    }
    expect(await ask()).toBe(total);
    await expectSameMaps();
    // And the triggers are back: a new report is counted.
    await submitReport(api, residents[0], { districtCode: '1007' });
    expect(await ask()).toBe(total + 1);
    await expectSameMaps();
  });
});
