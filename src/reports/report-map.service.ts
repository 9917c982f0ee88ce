import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { BANGKOK } from '../districts/bangkok-area';
import { DistrictsService } from '../districts/districts.service';
import { ReportMapInput } from './dto/report.input';
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
 * The map grid: counts of reports per cell, so that a zoomed-out map never downloads the points.
 * Cells are squares of the one global grid of their zoom level (cell (i, j) spans latitudes
 * [i·size, (i+1)·size) and longitudes [j·size, (j+1)·size)), so a cell keeps its count while the map pans;
 * a cell the box cuts counts all its reports. Only cells holding reports are answered.
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
    const found: { row: number; col: number; count: number; latitude: number; longitude: number; report_id: string | null }[] = await query
      .select('floor(r.latitude / :size)::int', 'row')
      .addSelect('floor(r.longitude / :size)::int', 'col')
      .addSelect('count(*)::int', 'count')
      .addSelect('avg(r.latitude)', 'latitude')
      .addSelect('avg(r.longitude)', 'longitude')
      .addSelect('CASE WHEN count(*) = 1 THEN min(r.id::text) END', 'report_id')
      // Whole cells, half-open, so that a report on a line between two cells counts in one.
      .andWhere('r.latitude >= :south AND r.latitude < :north AND r.longitude >= :west AND r.longitude < :east', {
        south: rows.first * size,
        north: (rows.last + 1) * size,
        west: columns.first * size,
        east: (columns.last + 1) * size,
      })
      .setParameter('size', size)
      .groupBy('1')
      .addGroupBy('2')
      .orderBy('1')
      .addOrderBy('2')
      .getRawMany();
    answer.cells = found.map((cell) =>
      Object.assign(new ReportMapCell(), {
        south: cell.row * size,
        north: (cell.row + 1) * size,
        west: cell.col * size,
        east: (cell.col + 1) * size,
        latitude: Number(cell.latitude),
        longitude: Number(cell.longitude),
        count: cell.count,
        reportId: cell.report_id,
      }),
    );
    answer.total = answer.cells.reduce((sum, cell) => sum + cell.count, 0);
    return answer;
  }
}
