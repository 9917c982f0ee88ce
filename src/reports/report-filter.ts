import { SelectQueryBuilder } from 'typeorm';
import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { normalizeForSearch } from '../common/text/search-words';
import { DistrictsService } from '../districts/districts.service';
import { ReportBoundingBoxInput, ReportFilter } from './dto/report.input';
import { ReportEntity } from './entities/report.entity';

/** A checked box: south < north, west < east, on the globe. */
export interface Box {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Checks a bounding box, naming `<field>.south` and so on; null (with the problems in `check`) when it is not one. */
export function checkBox(check: InputCheck, field: string, box: ReportBoundingBoxInput | null | undefined): Box | null {
  if (!box) return null;
  let bad = false;
  const fail = (side: keyof Box, message: ReturnType<typeof msg>) => {
    check.fail(`${field}.${side}`, message);
    bad = true;
  };
  const degrees = (side: keyof Box, limit: number) => {
    const value = box[side];
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) fail(side, msg('reports.errors.boxDegrees', { min: -limit, max: limit }));
    return value;
  };
  const [south, north, west, east] = [degrees('south', 90), degrees('north', 90), degrees('west', 180), degrees('east', 180)];
  if (bad) return null;
  if (south >= north) fail('north', msg('reports.errors.boxNorth'));
  if (west >= east) fail('east', msg('reports.errors.boxEast'));
  return bad ? null : { south, west, north, east };
}

/**
 * The `reports` filter, checked (problems named `<prefix>.text` and so on, under the check's own prefix) and applied to a query
 * over `reports r`. The box is a plain range on latitude and longitude: IDX_reports_lat_lng answers it,
 * and the planner's estimate of it is good enough to choose between that index and IDX_reports_created.
 */
export async function applyReportFilter(
  query: SelectQueryBuilder<ReportEntity>,
  filter: ReportFilter | null | undefined,
  check: InputCheck,
  districts: DistrictsService,
  prefix: string,
): Promise<void> {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const text = check.text(at('text'), filter?.text, { max: 200, required: false });
  const after = filter?.submittedAfter ? check.dateTime(at('submittedAfter'), filter.submittedAfter) : null;
  const before = filter?.submittedBefore ? check.dateTime(at('submittedBefore'), filter.submittedBefore) : null;
  if ((filter?.categories?.length ?? 0) > 50) check.fail(at('categories'), msg('reports.errors.tooManyCategories', { max: 50 }));
  const within = checkBox(check, at('within'), filter?.within);
  check.done();
  if (filter?.districtCode) query.andWhere('r.district_code = :district', { district: (await districts.require(filter.districtCode, check.path(at('districtCode')))).code });
  if (filter?.categories?.length) query.andWhere('r.category_code IN (:...categories)', { categories: filter.categories });
  if (filter?.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter?.kinds?.length) query.andWhere('r.kind IN (:...kinds)', { kinds: filter.kinds });
  if (after) query.andWhere('r.created_at >= :after', { after });
  if (before) query.andWhere('r.created_at < :before', { before });
  if (text) query.andWhere('r.search_text LIKE :phrase', { phrase: `%${normalizeForSearch(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
  if (within) inBox(query, within, 'within');
}

/** Reports whose place is inside `box`, edges included. */
export function inBox(query: SelectQueryBuilder<ReportEntity>, box: Box, name: string): void {
  query.andWhere(`r.latitude BETWEEN :${name}South AND :${name}North AND r.longitude BETWEEN :${name}West AND :${name}East`, {
    [`${name}South`]: box.south,
    [`${name}North`]: box.north,
    [`${name}West`]: box.west,
    [`${name}East`]: box.east,
  });
}
