import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { BANGKOK } from '../districts/bangkok-area';
import { DistrictsService } from '../districts/districts.service';
import { ReportFilter, ReportMapInput } from './dto/report.input';
import { ReportEntity } from './entities/report.entity';
import { applyReportFilter, checkBox } from './report-filter';
import { ReportMap, ReportMapCell } from './report-statistics.type';

/** At most this many cells in one answer: a map a screen wide at 32-pixel cells has a few hundred. */
export const MAP_MAX_CELLS = 2500;
export const MAP_ZOOM = { min: 0, max: 22 } as const;

/** The side of a grid cell at a web map's zoom level: about 32 pixels on a 256-pixel tile. */
export function cellSize(zoom: number): number {
  return 360 / 2 ** (zoom + 3);
}

/**
 * The zoom levels whose grids `report_map_cells` keeps up to date (migration 1796367000001): a map at zoom
 * z reads the coarsest kept level at least as fine as z and adds up 4^(level − z) kept cells per cell.
 */
export const GRID_LEVELS = [11, 14] as const;

/** A cell's count, the sums of its reports' places (for its centre) and, when it holds one report, that report. */
interface CountedCell {
  row: number;
  col: number;
  count: number;
  latitude: number;
  longitude: number;
  reportId: string | null;
}

/**
 * The map grid: counts of reports per cell, so that a zoomed-out map never downloads the points.
 * Cells are squares of the one global grid of their zoom level (cell (i, j) spans latitudes
 * [i·size, (i+1)·size) and longitudes [j·size, (j+1)·size)), so a cell keeps its count while the map pans;
 * a cell the box cuts counts all its reports. Only cells holding reports are answered.
 *
 * Up to zoom 14, and for a filter of district and statuses only (what a resident's and a district's map
 * ask), the counts come from the kept grid: a few rows per cell whatever the table holds. Any other filter
 * (categories, kinds, dates, words, a `within` box), or a finer zoom (whose box is a few streets), counts
 * the reports themselves.
 */
@Injectable()
export class ReportMapService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictsService,
  ) {}

  async grid(input: ReportMapInput): Promise<ReportMap> {
    const check = new InputCheck('input');
    const zoom = check.integer('zoom', input.zoom, MAP_ZOOM);
    const box = checkBox(check, 'bbox', input.bbox);
    const size = cellSize(zoom);
    // Reports are all in Bangkok: the part of the box outside it holds no cell worth counting.
    const clipped = box && {
      south: Math.max(box.south, BANGKOK.minLat),
      north: Math.min(box.north, BANGKOK.maxLat),
      west: Math.max(box.west, BANGKOK.minLng),
      east: Math.min(box.east, BANGKOK.maxLng),
    };
    const inside = !!clipped && clipped.south <= clipped.north && clipped.west <= clipped.east;
    const rows = inside ? { first: Math.floor(clipped.south / size), last: Math.floor(clipped.north / size) } : { first: 0, last: -1 };
    const columns = inside ? { first: Math.floor(clipped.west / size), last: Math.floor(clipped.east / size) } : { first: 0, last: -1 };
    const cells = (rows.last - rows.first + 1) * (columns.last - columns.first + 1);
    if (cells > MAP_MAX_CELLS) check.fail('bbox', msg('reports.errors.tooManyCells', { cells, max: MAP_MAX_CELLS }));
    const query = this.dataSource.getRepository(ReportEntity).createQueryBuilder('r');
    await applyReportFilter(query, input.filter, check, this.districts, 'filter');
    const answer = Object.assign(new ReportMap(), { cellSize: size, total: 0, cells: [] as ReportMapCell[] });
    if (!inside) return answer;
    const area = { rows: { first: rows.first, end: rows.last + 1 }, columns: { first: columns.first, end: columns.last + 1 } };
    const level = GRID_LEVELS.find((kept) => kept >= zoom);
    const found = level !== undefined && ReportMapService.keptFilter(input.filter) ? await this.fromGrid(level, zoom, area, input.filter) : await this.fromReports(query, size, area);
    answer.cells = found.map((cell) =>
      Object.assign(new ReportMapCell(), {
        south: cell.row * size,
        north: (cell.row + 1) * size,
        west: cell.col * size,
        east: (cell.col + 1) * size,
        latitude: cell.latitude,
        longitude: cell.longitude,
        count: cell.count,
        reportId: cell.reportId,
      }),
    );
    answer.total = answer.cells.reduce((sum, cell) => sum + cell.count, 0);
    return answer;
  }

  /** Whether the kept grid can answer this filter: one that narrows by district and statuses at most. */
  private static keptFilter(filter: ReportFilter | null | undefined): boolean {
    if (!filter) return true;
    const { categories, kinds, submittedAfter, submittedBefore, text, within } = filter;
    return !categories?.length && !kinds?.length && !submittedAfter && !submittedBefore && !text && !within;
  }

  /** Counts the reports themselves, in whole cells (half-open, so that a report on a line between two cells counts in one). */
  private async fromReports(query: SelectQueryBuilder<ReportEntity>, size: number, area: Area): Promise<CountedCell[]> {
    const found: { row: number; col: number; count: number; latitude: number; longitude: number; report_id: string | null }[] = await query
      .select('floor(r.latitude / :size)::int', 'row')
      .addSelect('floor(r.longitude / :size)::int', 'col')
      .addSelect('count(*)::int', 'count')
      .addSelect('avg(r.latitude)', 'latitude')
      .addSelect('avg(r.longitude)', 'longitude')
      .addSelect('CASE WHEN count(*) = 1 THEN min(r.id::text) END', 'report_id')
      .andWhere('r.latitude >= :south AND r.latitude < :north AND r.longitude >= :west AND r.longitude < :east', {
        south: area.rows.first * size,
        north: area.rows.end * size,
        west: area.columns.first * size,
        east: area.columns.end * size,
      })
      .setParameter('size', size)
      .groupBy('1')
      .addGroupBy('2')
      .orderBy('1')
      .addOrderBy('2')
      .getRawMany();
    return found.map((cell) => ({ row: cell.row, col: cell.col, count: cell.count, latitude: Number(cell.latitude), longitude: Number(cell.longitude), reportId: cell.report_id }));
  }

  /**
   * Adds up the kept cells of `level` under each cell of `zoom`; then, for the cells holding one report,
   * finds that report through the index on places (one probe a cell).
   */
  private async fromGrid(level: number, zoom: number, area: Area, filter: ReportFilter | null | undefined): Promise<CountedCell[]> {
    const shift = level - zoom;
    const district = filter?.districtCode ? (await this.districts.require(filter.districtCode, 'input.filter.districtCode')).code : null;
    const statuses = filter?.statuses?.length ? filter.statuses : null;
    const found: { row: number; col: number; count: number; latitude: number; longitude: number }[] = await this.dataSource.query(
      `SELECT c."row" >> $1 AS "row", c."col" >> $1 AS "col", sum(c."reports")::int AS "count",
              sum(c."latitude_sum") / sum(c."reports") AS "latitude", sum(c."longitude_sum") / sum(c."reports") AS "longitude"
         FROM "report_map_cells" c
        WHERE c."level" = $2 AND c."row" >= $3 AND c."row" < $4 AND c."col" >= $5 AND c."col" < $6
          AND ($7::varchar IS NULL OR c."district_code" = $7) AND ($8::varchar[] IS NULL OR c."status" = ANY($8))
        GROUP BY 1, 2
       HAVING sum(c."reports") > 0
        ORDER BY 1, 2`,
      [shift, level, area.rows.first << shift, area.rows.end << shift, area.columns.first << shift, area.columns.end << shift, district, statuses],
    );
    const cells: CountedCell[] = found.map((cell) => ({ row: cell.row, col: cell.col, count: cell.count, latitude: Number(cell.latitude), longitude: Number(cell.longitude), reportId: null }));
    const single = cells.filter((cell) => cell.count === 1);
    if (single.length) {
      const size = cellSize(zoom);
      const ids: { row: number; col: number; id: string }[] = await this.dataSource.query(
        `SELECT s."row", s."col",
                (SELECT r."id"::text FROM "reports" r
                  WHERE r."latitude" >= s."row" * $3::float8 AND r."latitude" < (s."row" + 1) * $3::float8
                    AND r."longitude" >= s."col" * $3::float8 AND r."longitude" < (s."col" + 1) * $3::float8
                    AND ($4::varchar IS NULL OR r."district_code" = $4) AND ($5::varchar[] IS NULL OR r."status" = ANY($5))
                  LIMIT 1) AS "id"
           FROM unnest($1::int[], $2::int[]) AS s("row", "col")`,
        [single.map((cell) => cell.row), single.map((cell) => cell.col), size, district, statuses],
      );
      const byCell = new Map(ids.map((found) => [`${found.row}/${found.col}`, found.id]));
      for (const cell of single) cell.reportId = byCell.get(`${cell.row}/${cell.col}`) ?? null;
    }
    return cells;
  }
}

/** The whole cells a map covers, as half-open ranges of rows and columns of its zoom's grid. */
interface Area {
  rows: { first: number; end: number };
  columns: { first: number; end: number };
}
