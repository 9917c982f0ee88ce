import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { ReportDistrictOrder, ReportDistrictTableInput, ReportStatisticsInput } from './dto/report.input';
import { ReportCategoryEntity, ReportStatus } from './entities/report.entity';
import { ReportCategory } from './report.type';
import { ReportDistrictStanding, ReportStatistics, ReportSummary } from './report-statistics.type';

/** The longest period statistics are computed for, in years: a period is read at once, not streamed. */
export const STATISTICS_MAX_YEARS = 5;

/** One row of the summary query: a district's (or, without `code`, the city's) numbers. */
interface SummaryRow {
  code?: string;
  reports: number | null;
  accepted: number | null;
  accept_median: number | null;
  accept_p90: number | null;
  resolved: number | null;
  resolve_median: number | null;
  resolve_p90: number | null;
  within_target: number | null;
  average_rating: number | null;
  ratings: number | null;
  accept_breaches: number | null;
  resolve_breaches: number | null;
}

/**
 * The reports a district received in [$1, $2) (optionally one district, $3): counts, times from receipt
 * to acceptance and to resolution (seconds, percentile_cont ignores the nulls of reports not there yet),
 * resolutions by their deadline, ratings. `resolved` is the reports RESOLVED now: a reopened one is not.
 */
const REPORT_NUMBERS = `
  SELECT {group} count(*)::int AS reports,
    count(r.accepted_at)::int AS accepted,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.received_at)::float8) AS accept_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.received_at)::float8) AS accept_p90,
    count(*) FILTER (WHERE r.status = 'RESOLVED' AND r.resolved_at IS NOT NULL)::int AS resolved,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN r.status = 'RESOLVED' THEN extract(epoch FROM r.resolved_at - r.received_at)::float8 END) AS resolve_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY CASE WHEN r.status = 'RESOLVED' THEN extract(epoch FROM r.resolved_at - r.received_at)::float8 END) AS resolve_p90,
    count(*) FILTER (WHERE r.status = 'RESOLVED' AND r.resolved_at <= r.resolve_due_at)::int AS within_target,
    avg(r.rating)::float8 AS average_rating,
    count(r.rating)::int AS ratings
  FROM reports r
  WHERE r.received_at >= $1 AND r.received_at < $2 {district}`;

/** The deadlines missed in [$1, $2), counted in the district that owned the report when it missed them. */
const BREACH_NUMBERS = `
  SELECT {group} count(*) FILTER (WHERE b.kind = 'ACCEPT')::int AS accept_breaches, count(*) FILTER (WHERE b.kind = 'RESOLVE')::int AS resolve_breaches
  FROM report_breaches b
  WHERE b.breached_at >= $1 AND b.breached_at < $2 {district}`;

/** How the city's table is ordered: best first, nulls (no such report) last, ties by district code. */
const TABLE_ORDER: Record<ReportDistrictOrder, string> = {
  [ReportDistrictOrder.RESOLVED_WITHIN_TARGET]: 'share DESC NULLS LAST, resolve_median ASC NULLS LAST',
  [ReportDistrictOrder.FASTEST_RESOLUTION]: 'resolve_median ASC NULLS LAST, share DESC NULLS LAST',
  [ReportDistrictOrder.FASTEST_ACCEPTANCE]: 'accept_median ASC NULLS LAST, share DESC NULLS LAST',
  [ReportDistrictOrder.BEST_RATED]: 'average_rating DESC NULLS LAST, ratings DESC',
  [ReportDistrictOrder.FEWEST_BREACHES]: 'coalesce(b.accept_breaches, 0) + coalesce(b.resolve_breaches, 0) ASC, reports DESC',
  [ReportDistrictOrder.MOST_REPORTS]: 'reports DESC',
};

const seconds = (value: number | string | null) => (value === null ? null : Math.round(Number(value)));

/**
 * Statistics of residents' reports for a period, of a district or of the whole city, and the city's
 * table of its 50 districts. Aggregates only: counts, durations and averages, never a person.
 */
@Injectable()
export class ReportStatisticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictsService,
  ) {}

  async statistics(input: ReportStatisticsInput): Promise<ReportStatistics> {
    const check = new InputCheck('input');
    const { from, to } = period(check, input);
    check.done();
    const district = input.districtCode ? await this.districts.require(input.districtCode, 'input.districtCode') : null;
    const params: unknown[] = district ? [from, to, district.code] : [from, to];
    const where = (alias: string) => (district ? `AND ${alias}.district_code = $3` : '');
    const [numbers] = await this.dataSource.query(REPORT_NUMBERS.replace('{group}', '').replace('{district}', where('r')), params);
    const [breaches] = await this.dataSource.query(BREACH_NUMBERS.replace('{group}', '').replace('{district}', where('b')), params);
    const statuses: { status: ReportStatus; count: number }[] = await this.dataSource.query(
      `SELECT r.status, count(*)::int AS count FROM reports r WHERE r.received_at >= $1 AND r.received_at < $2 ${where('r')} GROUP BY r.status`,
      params,
    );
    const categories: (Record<string, unknown> & { count: number })[] = await this.dataSource.query(
      `SELECT c.code, c.name_th, c.name_en, c.active, count(r.id)::int AS count
       FROM report_categories c
       LEFT JOIN reports r ON r.category_code = c.code AND r.received_at >= $1 AND r.received_at < $2 ${where('r')}
       GROUP BY c.code
       HAVING c.active OR count(r.id) > 0
       ORDER BY c.position, c.code`,
      params,
    );
    return Object.assign(new ReportStatistics(), {
      district: district ? District.from(district) : null,
      from,
      to,
      summary: summaryOf({ ...numbers, ...breaches }),
      byStatus: Object.values(ReportStatus).map((status) => ({ status, count: statuses.find((row) => row.status === status)?.count ?? 0 })),
      byCategory: categories.map((row) => ({
        category: ReportCategory.from(Object.assign(new ReportCategoryEntity(), { code: row.code, nameTh: row.name_th, nameEn: row.name_en, active: row.active })),
        count: row.count,
      })),
    });
  }

  /** Every district, ranked by `orderBy`, each with its numbers for the period (zeros and nulls when it had no report). */
  async districtTable(input: ReportDistrictTableInput): Promise<ReportDistrictStanding[]> {
    const check = new InputCheck('input');
    const { from, to } = period(check, input);
    const order = check.oneOf('orderBy', input.orderBy ?? ReportDistrictOrder.RESOLVED_WITHIN_TARGET, Object.values(ReportDistrictOrder));
    check.done();
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT n.*, coalesce(b.accept_breaches, 0) AS accept_breaches, coalesce(b.resolve_breaches, 0) AS resolve_breaches
       FROM (
         SELECT d.code, coalesce(n.reports, 0) AS reports, n.accepted, n.accept_median, n.accept_p90, n.resolved, n.resolve_median, n.resolve_p90,
           n.within_target, n.average_rating, coalesce(n.ratings, 0) AS ratings,
           n.within_target::float8 / nullif(n.resolved, 0) AS share
         FROM districts d LEFT JOIN (${REPORT_NUMBERS.replace('{group}', 'r.district_code,').replace('{district}', '')} GROUP BY r.district_code) n ON n.district_code = d.code
       ) n
       LEFT JOIN (${BREACH_NUMBERS.replace('{group}', 'b.district_code,').replace('{district}', '')} GROUP BY b.district_code) b ON b.district_code = n.code
       ORDER BY ${TABLE_ORDER[order]}, n.code`,
      [from, to],
    );
    const districts = new Map((await this.districts.list()).map((d) => [d.code, d]));
    return rows.map((row, i) => Object.assign(new ReportDistrictStanding(), { rank: i + 1, district: District.from(districts.get(row.code!)!), summary: summaryOf(row) }));
  }
}

/** A checked period: `from` before `to`, at most STATISTICS_MAX_YEARS years apart. */
function period(check: InputCheck, input: { from: Date; to: Date }): { from: Date; to: Date } {
  const from = check.dateTime('from', input.from);
  const to = check.dateTime('to', input.to);
  if (from && to) {
    const longest = new Date(from);
    longest.setUTCFullYear(longest.getUTCFullYear() + STATISTICS_MAX_YEARS);
    if (to.getTime() <= from.getTime()) check.fail('to', msg('reports.errors.periodOrder'));
    else if (to.getTime() > longest.getTime()) check.fail('to', msg('reports.errors.periodTooLong', { years: STATISTICS_MAX_YEARS }));
  }
  return { from: from ?? new Date(0), to: to ?? new Date(0) };
}

function summaryOf(row: SummaryRow): ReportSummary {
  const resolved = row.resolved ?? 0;
  const within = row.within_target ?? 0;
  return Object.assign(new ReportSummary(), {
    reports: row.reports ?? 0,
    timeToAccept: { count: row.accepted ?? 0, median: seconds(row.accept_median), percentile90: seconds(row.accept_p90) },
    timeToResolve: { count: resolved, median: seconds(row.resolve_median), percentile90: seconds(row.resolve_p90) },
    resolved,
    resolvedWithinTarget: within,
    shareResolvedWithinTarget: resolved ? within / resolved : null,
    acceptBreaches: row.accept_breaches ?? 0,
    resolveBreaches: row.resolve_breaches ?? 0,
    averageRating: row.average_rating === null ? null : Number(row.average_rating),
    ratings: row.ratings ?? 0,
  });
}
