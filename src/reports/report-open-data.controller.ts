import { once } from 'node:events';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuthService } from '../accounts/auth.service';
import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { attachment, csvField, UTF8_BOM } from '../common/http/download';
import { toGlobalId } from '../common/relay/global-id';
import { DistrictsService } from '../districts/districts.service';
import { requestedLocale } from '../i18n/http-locale';
import { t } from '../i18n/i18n';
import { Locale, resolveLocale } from '../i18n/locale';
import { ReportEntity } from './entities/report.entity';

/** Rows read per query: a keyset batch, so that a million reports never sit in memory at once. */
const BATCH = 5000;
/** Decimal places of a coordinate: 4 is about 11 m, enough for a map and too coarse to point at one house. */
const PLACES = 4;

/**
 * The columns of the open data, in their fixed order: the JSON's field names; the CSV's English headers are
 * the same in snake_case. Nothing here names or reaches a person: no reporter, supporter, staff member,
 * caller or phone, and no text anyone wrote (description, address, landmark, notes, the rating's comment,
 * which may hold names and phone numbers). A report's own rating is left out too: the API shows it to the
 * reporter and the district's staff only (averages are in `reportStatistics`).
 */
export const OPEN_DATA_COLUMNS = [
  'id',
  'kind',
  'category',
  'status',
  'district',
  'channel',
  'latitude',
  'longitude',
  'submittedAt',
  'receivedAt',
  'acceptedAt',
  'resolvedAt',
  'acceptDueAt',
  'resolveDueAt',
  'supportCount',
] as const;
type OpenDataRow = Record<(typeof OPEN_DATA_COLUMNS)[number], string | number | null>;

/** The catalogue keys of the CSV's headers, one per column. */
export function openDataColumnKeys(): string[] {
  return OPEN_DATA_COLUMNS.map((column) => `exports.reports.columns.${column}`);
}

/** The query string: `district` (a code), `category` (codes, comma-separated), `from`, `to` (ISO 8601, on the submission time; from included, to excluded). */
interface OpenDataQuery {
  district?: unknown;
  category?: unknown;
  from?: unknown;
  to?: unknown;
}

/**
 * Open data of residents' reports: every report (or those of a district, categories, a period) as CSV
 * and JSON, oldest first, streamed in keyset batches. Public. The CSV follows the other downloads
 * (README, "CSV exports"): a byte-order mark, headers in the reader's language, fixed column order, file
 * names in ASCII and UTF-8. Each batch is read as it is then: a report that changes while a long download
 * runs appears once, as its batch found it.
 */
@Controller('reports')
export class ReportOpenDataController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictsService,
    private readonly auth: AuthService,
  ) {}

  @Get('open-data.csv')
  async csv(@Query() query: OpenDataQuery, @Req() req: Request & { locale?: Locale }, @Res() res: Response): Promise<void> {
    const locale = await this.locale(req);
    const filter = await this.filter(query);
    attachment(res, 'reports-open-data.csv', `${t(locale, 'exports.reports.file')}.csv`);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Language', locale);
    // The headers differ by language: a shared cache keeps one copy per language.
    res.setHeader('Vary', 'Accept-Language');
    await this.stream(res, filter, UTF8_BOM + openDataColumnKeys().map((key) => csvField(t(locale, key))).join(',') + '\n', '', (row) =>
      OPEN_DATA_COLUMNS.map((key) => csvField(row[key] === null ? '' : String(row[key]))).join(',') + '\n',
    );
  }

  @Get('open-data.json')
  async json(@Query() query: OpenDataQuery, @Req() req: Request & { locale?: Locale }, @Res() res: Response): Promise<void> {
    await this.locale(req);
    const filter = await this.filter(query);
    res.attachment('reports-open-data.json');
    res.type('application/json');
    let first = true;
    await this.stream(res, filter, '{"reports":[', ']}', (row) => {
      const text = `${first ? '' : ','}${JSON.stringify(row)}`;
      first = false;
      return text;
    });
  }

  /** The language of the CSV's headers and of a refusal (HttpErrorFilter reads req.locale): the account's, else ?lang=, else Accept-Language, else Thai. */
  private async locale(req: Request & { locale?: Locale }): Promise<Locale> {
    const { viewer } = await this.auth.authenticate(req.headers.authorization);
    req.locale = resolveLocale(viewer?.locale, requestedLocale(req));
    return req.locale;
  }

  /** The query string checked: BAD_USER_INPUT naming each bad parameter; NOT_FOUND for a district that is not one. */
  private async filter(query: OpenDataQuery): Promise<{ district: string | null; categories: string[]; from: Date | null; to: Date | null }> {
    const check = new InputCheck('');
    const single = (name: keyof OpenDataQuery): string | null => {
      const value = query[name];
      if (value === undefined || value === '') return null;
      if (typeof value !== 'string') {
        check.fail(name, msg('reports.errors.openDataOnce'));
        return null;
      }
      return check.text(name, value, { max: 500, required: false });
    };
    const instant = (name: 'from' | 'to'): Date | null => {
      const value = single(name);
      if (value === null) return null;
      const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value) : null;
      if (!date || Number.isNaN(date.getTime())) check.fail(name, msg('errors.input.notDateTime'));
      return date;
    };
    const district = single('district');
    const categories = (single('category') ?? '').split(',').map((code) => code.trim()).filter(Boolean);
    if (categories.length > 50) check.fail('category', msg('reports.errors.tooManyCategories', { max: 50 }));
    const from = instant('from');
    const to = instant('to');
    if (from && to && from.getTime() >= to.getTime()) check.fail('to', msg('reports.errors.periodOrder'));
    check.done();
    return { district: district ? (await this.districts.require(district, 'district')).code : null, categories, from, to };
  }

  /** Writes `head`, every matching report oldest first through `line`, then `tail`; waits for a slow reader, stops for a gone one. */
  private async stream(res: Response, filter: Awaited<ReturnType<ReportOpenDataController['filter']>>, head: string, tail: string, line: (row: OpenDataRow) => string): Promise<void> {
    res.write(head);
    let after: { createdAt: Date; id: string } | null = null;
    try {
      for (;;) {
        const query = this.dataSource
          .getRepository(ReportEntity)
          .createQueryBuilder('r')
          // Named columns only: a column added to reports later stays out of the open data until someone adds it here.
          .select(['r.id', 'r.kind', 'r.categoryCode', 'r.status', 'r.districtCode', 'r.channel', 'r.latitude', 'r.longitude', 'r.createdAt', 'r.receivedAt', 'r.acceptedAt', 'r.resolvedAt', 'r.acceptDueAt', 'r.resolveDueAt', 'r.supportCount'])
          .orderBy('r.created_at', 'ASC')
          .addOrderBy('r.id', 'ASC')
          .limit(BATCH);
        if (filter.district) query.andWhere('r.district_code = :district', { district: filter.district });
        if (filter.categories.length) query.andWhere('r.category_code IN (:...categories)', { categories: filter.categories });
        if (filter.from) query.andWhere('r.created_at >= :from', { from: filter.from });
        if (filter.to) query.andWhere('r.created_at < :to', { to: filter.to });
        if (after) query.andWhere('(r.created_at, r.id) > (:afterAt, :afterId)', { afterAt: after.createdAt, afterId: after.id });
        const batch = await query.getMany();
        for (const report of batch) {
          if (!res.write(line(openDataRow(report)))) await once(res, 'drain');
          if (res.destroyed) return;
        }
        if (batch.length < BATCH) break;
        const last = batch[batch.length - 1];
        after = { createdAt: last.createdAt, id: last.id };
      }
    } catch (error) {
      // The status line is gone already: a cut connection, not a short file that looks whole.
      res.destroy(error as Error);
      return;
    }
    res.end(tail);
  }
}

const round = (degrees: number) => Number(degrees.toFixed(PLACES));
const iso = (date: Date | null) => (date ? date.toISOString() : null);

function openDataRow(report: ReportEntity): OpenDataRow {
  return {
    id: toGlobalId('Report', report.id),
    kind: report.kind,
    category: report.categoryCode,
    status: report.status,
    district: report.districtCode,
    channel: report.channel,
    latitude: round(report.latitude),
    longitude: round(report.longitude),
    submittedAt: iso(report.createdAt),
    receivedAt: iso(report.receivedAt),
    acceptedAt: iso(report.acceptedAt),
    resolvedAt: iso(report.resolvedAt),
    acceptDueAt: iso(report.acceptDueAt),
    resolveDueAt: iso(report.resolveDueAt),
    supportCount: report.supportCount,
  };
}
