import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { AppError, msg } from '../common/errors/app-error';
import { parseGlobalId, toGlobalId, UUID } from '../common/relay/global-id';
import { DistrictsService } from '../districts/districts.service';
import { Locale } from '../i18n/locale';
import { photoPaths } from '../photos/photos.service';
import { ReportCategoryEntity, ReportChannel, ReportEntity, ReportKind, ReportStatus } from '../reports/entities/report.entity';
import { ReportCategoriesService } from '../reports/report-categories.service';
import { ReportsService } from '../reports/reports.service';
import { Open311KeysService } from './open311-keys.service';

/** GeoReport v2 has two statuses: ours map onto them. */
export const OPEN311_STATUS: Record<ReportStatus, 'open' | 'closed'> = {
  [ReportStatus.RECEIVED]: 'open',
  [ReportStatus.ACCEPTED]: 'open',
  [ReportStatus.IN_PROGRESS]: 'open',
  [ReportStatus.RESOLVED]: 'closed',
  [ReportStatus.REJECTED]: 'closed',
  [ReportStatus.FORWARDED]: 'closed',
  [ReportStatus.MERGED]: 'closed',
};

/** The spec's defaults for GET requests: the last 90 days, at most 1000 requests (the newest). */
export const OPEN311_LIST = { days: 90, max: 1000, ids: 1000 } as const;
const DAY = 86_400_000;
/** Bangkok time, which has no daylight saving: +07:00 all year. */
const BANGKOK_OFFSET_MS = 7 * 3600_000;

/** A GeoReport v2 service: one of our report categories. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** A GeoReport v2 service request: a report as the public sees it, without anyone behind it. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** The filters of GET requests.json, as the query string gives them (each may be missing). */
export interface Open311Query {
  service_request_id?: unknown;
  service_code?: unknown;
  start_date?: unknown;
  end_date?: unknown;
  status?: unknown;
  district_code?: unknown;
}

/** The parameters of POST requests.json that we read (form-encoded or JSON). */
export interface Open311Submission {
  service_code?: unknown;
  lat?: unknown;
  long?: unknown;
  address_string?: unknown;
  address_id?: unknown;
  description?: unknown;
  media_url?: unknown;
  district_code?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  phone?: unknown;
}

/** Where our checks name a field, the Open311 parameter it came from. */
export const OPEN311_FIELDS: Record<string, string> = {
  'input.description': 'description',
  'input.place.latitude': 'lat',
  'input.place.longitude': 'long',
  'input.place.address': 'address_string',
  'input.caller.name': 'first_name',
  'input.caller.phone': 'phone',
  'input.categoryCode': 'service_code',
  'input.districtCode': 'district_code',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** ISO 8601 in Bangkok time: 2026-12-03T14:40:00+07:00. */
export function bangkokIso(date: Date): string {
  return `${new Date(date.getTime() + BANGKOK_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/**
 * The GeoReport v2 view of the reports (src/open311/open311.controller.ts serves it): categories as
 * services, reports as service requests without any personal data, and filing through a key with the
 * rules of ReportsService.submitThroughKey.
 */
@Injectable()
export class Open311ViewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsService,
    private readonly categories: ReportCategoriesService,
    private readonly districts: DistrictsService,
    private readonly keys: Open311KeysService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The categories a report may be filed under now. */
  async services(locale: Locale): Promise<Open311Service[]> {
    return (await this.categories.active()).map((category) => {
      const name = ReportCategoriesService.nameIn(locale, category);
      return { service_code: category.code, service_name: name, description: name, metadata: false, type: 'realtime', keywords: '', group: '' };
    });
  }

  /** A category's definition: ours ask nothing beyond the standard parameters. */
  async definition(code: string): Promise<{ service_code: string; attributes: never[] }> {
    const category = await this.dataSource.getRepository(ReportCategoryEntity).findOneBy({ code });
    if (!category || !category.active) throw AppError.notFound(msg('open311.errors.noSuchService', { code }));
    return { service_code: category.code, attributes: [] };
  }

  async request(id: string, locale: Locale, origin: string): Promise<Open311Request[]> {
    const uuid = Open311ViewService.reportUuid(id);
    const report = uuid ? await this.dataSource.getRepository(ReportEntity).findOneBy({ id: uuid }) : null;
    if (!report) throw AppError.notFound(msg('open311.errors.noSuchRequest', { id }));
    return this.views([report], locale, origin);
  }

  /**
   * Newest first. With service_request_id (a comma-separated list) the other filters are ignored, as the
   * spec says; otherwise requested_datetime within [start_date, end_date) (end: now, start: 90 days
   * before the end when not given), at most OPEN311_LIST.max.
   */
  async requests(query: Open311Query, locale: Locale, origin: string): Promise<Open311Request[]> {
    const problems: { field: string; message: ReturnType<typeof msg> }[] = [];
    const builder = this.dataSource.getRepository(ReportEntity).createQueryBuilder('r');
    const ids = text(query.service_request_id);
    if (ids !== undefined) {
      const wanted = ids.split(',').map((id) => id.trim()).filter(Boolean);
      if (wanted.length > OPEN311_LIST.ids) problems.push({ field: 'service_request_id', message: msg('open311.errors.tooManyIds', { max: OPEN311_LIST.ids }) });
      const uuids = wanted.map(Open311ViewService.reportUuid).filter((id): id is string => id !== null);
      Open311ViewService.refuse(problems);
      if (!uuids.length) return [];
      builder.where('r.id IN (:...uuids)', { uuids });
    } else {
      const codes = text(query.service_code)?.split(',').map((c) => c.trim()).filter(Boolean);
      const statuses = text(query.status)?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      if (statuses?.some((s) => s !== 'open' && s !== 'closed')) problems.push({ field: 'status', message: msg('open311.errors.statusValues') });
      // The spec's default span is 90 days: from the end back, or from the start on, or up to now.
      const givenEnd = Open311ViewService.date(query.end_date, 'end_date', problems);
      const givenStart = Open311ViewService.date(query.start_date, 'start_date', problems);
      const end = givenEnd ?? (givenStart ? new Date(givenStart.getTime() + OPEN311_LIST.days * DAY) : this.clock.now());
      const start = givenStart ?? new Date(end.getTime() - OPEN311_LIST.days * DAY);
      if (start.getTime() > end.getTime()) problems.push({ field: 'start_date', message: msg('open311.errors.startAfterEnd') });
      const district = await this.district(query.district_code, problems);
      Open311ViewService.refuse(problems);
      if (district !== undefined) builder.andWhere('r.district_code = :district', { district });
      if (codes?.length) builder.andWhere('r.category_code IN (:...codes)', { codes });
      if (statuses?.length === 1) {
        const wanted = Object.entries(OPEN311_STATUS).filter(([, open]) => open === statuses[0]).map(([status]) => status);
        builder.andWhere('r.status IN (:...wanted)', { wanted });
      }
      builder.andWhere('r.created_at >= :start AND r.created_at < :end', { start, end });
    }
    const rows = await builder.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(OPEN311_LIST.max).getMany();
    return this.views(rows, locale, origin);
  }

  /** Files a report through a key; answers the spec's `[{ service_request_id, service_notice, account_id }]`. */
  async submit(apiKey: unknown, body: Open311Submission): Promise<{ service_request_id: string; service_notice: string | null; account_id: string | null }[]> {
    if (typeof apiKey !== 'string' || apiKey.length === 0) throw AppError.unauthenticated(msg('open311.errors.keyRequired'));
    const key = apiKey.length <= 200 ? await this.keys.authenticate(apiKey) : null;
    if (!key) throw AppError.forbidden(msg('open311.errors.keyInvalid'));
    const problems: { field: string; message: ReturnType<typeof msg> }[] = [];
    const lat = text(body.lat);
    const long = text(body.long);
    if (lat === undefined && long === undefined && (text(body.address_string) || text(body.address_id))) {
      problems.push({ field: 'lat', message: msg('open311.errors.noGeocoding') });
    } else {
      if (lat === undefined || lat.trim() === '') problems.push({ field: 'lat', message: msg('open311.errors.required') });
      if (long === undefined || long.trim() === '') problems.push({ field: 'long', message: msg('open311.errors.required') });
    }
    if (text(body.service_code) === undefined) problems.push({ field: 'service_code', message: msg('open311.errors.required') });
    if (text(body.district_code) === undefined) problems.push({ field: 'district_code', message: msg('open311.errors.districtRequired') });
    else await this.district(body.district_code, problems);
    if (text(body.media_url)) problems.push({ field: 'media_url', message: msg('open311.errors.mediaRefused') });
    Open311ViewService.refuse(problems);
    const name = [text(body.first_name)?.trim(), text(body.last_name)?.trim()].filter(Boolean).join(' ');
    const phone = text(body.phone)?.trim();
    const report = await this.reports.submitThroughKey(key.id, {
      kind: ReportKind.COMPLAINT,
      channel: ReportChannel.APP,
      categoryCode: text(body.service_code)!,
      districtCode: text(body.district_code)!,
      description: text(body.description) ?? '',
      place: { latitude: Number(lat), longitude: Number(long), address: text(body.address_string) ?? null, landmark: null },
      // A way to call the person back, kept as a 1555 caller's is (the district's staff only): a name alone is not one.
      caller: name && phone ? { name, phone } : null,
      photoIds: [],
    });
    return [{ service_request_id: toGlobalId('Report', report.id), service_notice: null, account_id: null }];
  }

  /** A district code given as a parameter: undefined when not given; an unknown one is a bad parameter (400), not a missing resource. */
  private async district(value: unknown, problems: { field: string; message: ReturnType<typeof msg> }[]): Promise<string | undefined> {
    const code = text(value)?.trim();
    if (code === undefined) return undefined;
    if (!(await this.districts.find(code))) problems.push({ field: 'district_code', message: msg('open311.errors.noSuchDistrict', { code }) });
    return code;
  }

  private static refuse(problems: { field: string; message: ReturnType<typeof msg> }[]): void {
    if (problems.length) throw AppError.badInput(problems);
  }

  private static date(value: unknown, field: string, problems: { field: string; message: ReturnType<typeof msg> }[]): Date | null {
    const given = text(value);
    if (given === undefined || given === '') return null;
    // ISO 8601 with a time zone, as the spec asks (a date alone is midnight UTC).
    const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(given) ? new Date(given) : null;
    if (!date || Number.isNaN(date.getTime())) {
      problems.push({ field, message: msg('open311.errors.dateShape') });
      return null;
    }
    return date;
  }

  /** The uuid inside a report's global id (its service_request_id), or null when it is not one. */
  private static reportUuid(id: string): string | null {
    const parsed = parseGlobalId(id);
    return parsed && parsed.type === 'Report' && UUID.test(parsed.id) ? parsed.id.toLowerCase() : null;
  }

  /** The public view of reports: the last staff note, the first photo; never the reporter, caller or key. */
  private async views(reports: ReportEntity[], locale: Locale, origin: string): Promise<Open311Request[]> {
    if (!reports.length) return [];
    const ids = reports.map((r) => r.id);
    const [categories, districts, notes, photos] = await Promise.all([
      this.dataSource.getRepository(ReportCategoryEntity).find(),
      this.districts.list(),
      // The newest step of each report: its note when the district's staff wrote it (a reporter's reopening reason is theirs).
      this.dataSource.query(
        `SELECT DISTINCT ON (report_id) report_id, note, by_staff FROM report_transitions WHERE report_id = ANY($1::uuid[]) ORDER BY report_id, created_at DESC, id DESC`,
        [ids],
      ) as Promise<{ report_id: string; note: string | null; by_staff: boolean }[]>,
      this.dataSource.query(`SELECT report_id, photo_id FROM report_photos WHERE report_id = ANY($1::uuid[]) AND position = 0`, [ids]) as Promise<{ report_id: string; photo_id: string }[]>,
    ]);
    const category = new Map(categories.map((c) => [c.code, c]));
    const district = new Map(districts.map((d) => [d.code, d]));
    const note = new Map(notes.map((n) => [n.report_id, n.by_staff ? n.note : null]));
    const photo = new Map(photos.map((p) => [p.report_id, p.photo_id]));
    return reports.map((report) => {
      const owner = district.get(report.districtCode);
      const photoId = photo.get(report.id);
      return {
        service_request_id: toGlobalId('Report', report.id),
        status: OPEN311_STATUS[report.status],
        status_notes: note.get(report.id) ?? null,
        service_name: ReportCategoriesService.nameIn(locale, category.get(report.categoryCode)!),
        service_code: report.categoryCode,
        description: report.description,
        agency_responsible: report.status === ReportStatus.FORWARDED && report.forwardedToAgency ? report.forwardedToAgency : owner ? (locale === Locale.en ? owner.nameEn : owner.nameTh) : report.districtCode,
        service_notice: null,
        requested_datetime: bangkokIso(report.createdAt),
        updated_datetime: bangkokIso(report.updatedAt),
        expected_datetime: null,
        address: report.address ?? report.landmark ?? null,
        address_id: null,
        zipcode: null,
        lat: report.latitude,
        long: report.longitude,
        media_url: photoId ? `${origin}${photoPaths(photoId).url}` : null,
      };
    });
  }
}
