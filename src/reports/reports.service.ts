import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { RateLimiter } from '../common/limits/rate-limiter';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { normalizeForSearch } from '../common/text/search-words';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { checkBangkokPoint } from '../districts/bangkok-area';
import { DistrictsService } from '../districts/districts.service';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { ForwardReportInput, MergeReportInput, RateReportInput, ReportFilter, SubmitReportInput } from './dto/report.input';
import { PhotoEntity } from '../photos/photo.entity';
import { PHOTO_TYPE, PhotosService } from '../photos/photos.service';
import { ReportChannel, ReportEntity, ReportKind, ReportPhotoEntity, ReportStatus, ReportSupportEntity, ReportTransitionEntity, ReportTransitionPhotoEntity } from './entities/report.entity';
import { ReportCategoriesService } from './report-categories.service';
import { applyReportFilter } from './report-filter';
import { keepDue, receive, reopenDeadline, targetsFor } from './report-deadlines';
import { nextReportStatus, OPEN_STATUSES, REOPEN_DAYS, ReportAction } from './report-lifecycle';
import { ReportLive, ReportNews, ReportQueueUpdateKind as Q, ReportUpdateKind as U } from './report-live';

export const REPORT_LIMITS = { description: 5000, address: 500, landmark: 300, note: 1000, agency: 200, callerName: 200, comment: 1000, photos: 3 } as const;
/** Reports of the same category this close (metres) and this recent (days) may be the same problem. */
export const SIMILAR = { metres: 50, days: 30, max: 10 } as const;
const PHONE = /^\+?[0-9][0-9 -]{4,28}[0-9]$/;
const DAY = 86_400_000;

/** What a staff action carries besides its note. */
interface Step {
  note: string | null;
  toDistrictCode?: string;
  agency?: string;
  mergedIntoId?: string;
  /** "After" photos (the step's actor's own unattached uploads). */
  photoIds?: string[];
}

/**
 * Residents' reports: submitting (for oneself, or by a district's staff for a caller), the lifecycle
 * (one state machine, every step recorded and told to the reporter and supporters), "me too", the
 * reporter's rating, and who may see what of it.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly categories: ReportCategoriesService,
    private readonly notifications: NotificationsService,
    private readonly limiter: RateLimiter,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly photos: PhotosService,
    private readonly live: ReportLive,
  ) {}

  // ---- loaders -------------------------------------------------------------------------------

  readonly byId = loaderById((ids) => this.dataSource.getRepository(ReportEntity).findBy({ id: In(ids) }));

  readonly historyOf: LoaderDefinition<string, ReportTransitionEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(ReportTransitionEntity).find({ where: { reportId: In([...ids]) }, order: { createdAt: 'ASC', id: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.reportId === id));
      }),
  };

  /** Keyed by `${reportId}:${userId}`: whether that account supports that report. */
  /** A report's photos, in their order. */
  readonly photosOf: LoaderDefinition<string, PhotoEntity[]> = {
    create: () =>
      new DataLoader(async (reportIds) => {
        const rows = await this.dataSource
          .getRepository(ReportPhotoEntity)
          .createQueryBuilder('rp')
          .innerJoinAndSelect('rp.photo', 'photo')
          .where('rp.report_id = ANY(:ids)', { ids: [...reportIds] })
          .orderBy('rp.position')
          .getMany();
        return reportIds.map((id) => rows.filter((row) => row.reportId === id).map((row) => row.photo!));
      }),
  };

  readonly supported: LoaderDefinition<string, boolean> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows = await this.dataSource
          .getRepository(ReportSupportEntity)
          .createQueryBuilder('s')
          .where('(s.report_id, s.user_id) IN (SELECT * FROM unnest(:reports::uuid[], :users::uuid[]))', { reports: pairs.map((p) => p[0]), users: pairs.map((p) => p[1]) })
          .getMany();
        const found = new Set(rows.map((row) => `${row.reportId}:${row.userId}`));
        return keys.map((key) => found.has(key));
      }),
  };

  // ---- who may do what -----------------------------------------------------------------------

  /** The district's staff (its hosts) and administrators: they act on its reports and see their private fields. */
  static isStaff(viewer: Viewer | null, report: Pick<ReportEntity, 'districtCode'>): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(report.districtCode));
  }

  static isReporter(viewer: Viewer | null, report: Pick<ReportEntity, 'reporterId'>): boolean {
    return !!viewer && report.reporterId !== null && report.reporterId === viewer.id;
  }

  /** Every report is public (who reported or supported it is not): null only when there is none. */
  find(rc: RequestContext, id: string): Promise<ReportEntity | null> {
    return rc.loader(this.byId).load(id);
  }

  /** Locked for the rest of the transaction, so concurrent steps on one report queue up; NOT_FOUND when there is none. */
  private async lock(tx: Tx, id: string): Promise<ReportEntity> {
    const report = await tx.em.findOne(ReportEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!report) throw AppError.notFound('Report');
    auditAbout({ district: report.districtCode, subject: toGlobalId('Report', report.id) });
    return report;
  }

  // ---- submitting ----------------------------------------------------------------------------

  /**
   * A report for oneself (a person or an organisation), or, with `caller`, filed by a host of the
   * district for someone without an account (a 1555 call, a walk-in). At most REPORTS_PER_HOUR per
   * account, counted by the shared rate limiter. Answers the report and the open reports near it of
   * the same category, which may be the same problem.
   */
  async submit(rc: RequestContext, input: SubmitReportInput): Promise<{ report: ReportEntity; similar: ReportEntity[] }> {
    const viewer = rc.requireViewer();
    const fields = ReportsService.checkSubmission(input);
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    if (fields.caller && !ReportsService.isStaff(viewer, { districtCode: district.code })) throw AppError.forbidden(msg('reports.errors.callerStaffOnly'));
    // A category retired between here and the insert is harmless: the report keeps it, as older ones do.
    const category = await this.categories.requireActive(input.categoryCode, 'input.categoryCode');
    await this.countSubmission(`reports:${viewer.id}`, this.config.reportsPerHour);
    return this.unitOfWork.run(async (tx) => {
      const report = await this.insert(tx, fields, district.code, category.code, {
        reporterId: fields.caller ? null : viewer.id,
        filedById: fields.caller ? viewer.id : null,
        actorId: viewer.id,
        byStaff: fields.caller !== null,
        open311KeyId: null,
      });
      // Only the caller's own uploads not attached to anything yet; a wrong one refuses the whole report.
      const photos = await this.photos.claim(fields.photoIds, viewer.id, tx.em);
      if (photos.length) await tx.em.insert(ReportPhotoEntity, photos.map((photo, position) => ({ reportId: report.id, photoId: photo.id, position })));
      return { report, similar: await this.similarTo(tx, report) };
    });
  }

  /**
   * A report filed by a client application through its Open311 key (src/open311): the same checks as
   * `submit`, without an account behind it (reporter and filedBy null, the key recorded), photos not
   * taken, at most OPEN311_REPORTS_PER_HOUR per key. A `caller` is kept as a 1555 caller's is: the
   * district's staff and administrators only.
   */
  async submitThroughKey(keyId: string, input: SubmitReportInput): Promise<ReportEntity> {
    const fields = ReportsService.checkSubmission(input);
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    const category = await this.categories.requireActive(input.categoryCode, 'input.categoryCode');
    await this.countSubmission(`reports:open311:${keyId}`, this.config.open311ReportsPerHour);
    return this.unitOfWork.run((tx) => this.insert(tx, fields, district.code, category.code, { reporterId: null, filedById: null, actorId: null, byStaff: false, open311KeyId: keyId }));
  }

  /** The checks of a submission that need no database, in one BAD_USER_INPUT. */
  private static checkSubmission(input: SubmitReportInput) {
    const check = new InputCheck();
    const kind = check.oneOf('kind', input.kind, Object.values(ReportKind));
    const channel = check.oneOf('channel', input.channel, Object.values(ReportChannel));
    const description = check.text('description', input.description, { min: 5, max: REPORT_LIMITS.description, multiline: true });
    const place = input.place ?? ({} as SubmitReportInput['place']);
    checkBangkokPoint(check, 'place', place.latitude, place.longitude);
    const address = check.text('place.address', place.address, { max: REPORT_LIMITS.address, required: false });
    const landmark = check.text('place.landmark', place.landmark, { max: REPORT_LIMITS.landmark, required: false });
    let caller: { name: string; phone: string } | null = null;
    if (input.caller) {
      const name = check.text('caller.name', input.caller.name, { min: 2, max: REPORT_LIMITS.callerName });
      const phone = check.text('caller.phone', input.caller.phone, { max: 30 });
      if (phone && !PHONE.test(phone)) check.fail('caller.phone', msg('reports.errors.phoneShape'));
      caller = { name, phone };
    }
    const photoIds = input.photoIds ?? [];
    if (photoIds.length > REPORT_LIMITS.photos) check.fail('photoIds', msg('reports.errors.tooManyPhotos', { max: REPORT_LIMITS.photos }));
    else photoIds.forEach((id, i) => check.globalId(`photoIds[${i}]`, id, PHOTO_TYPE));
    check.done();
    return { kind, channel, description, latitude: place.latitude, longitude: place.longitude, address, landmark, caller, photoIds };
  }

  private async insert(
    tx: Tx,
    fields: ReturnType<typeof ReportsService.checkSubmission>,
    districtCode: string,
    categoryCode: string,
    who: { reporterId: string | null; filedById: string | null; actorId: string | null; byStaff: boolean; open311KeyId: string | null },
  ): Promise<ReportEntity> {
    const { kind, channel, description, latitude, longitude, address, landmark, caller } = fields;
    const fresh = tx.em.create(ReportEntity, {
      kind,
      channel,
      categoryCode,
      description,
      latitude,
      longitude,
      address: address || null,
      landmark: landmark || null,
      districtCode,
      status: ReportStatus.RECEIVED,
      reporterId: who.reporterId,
      filedById: who.filedById,
      open311KeyId: who.open311KeyId,
      callerName: caller?.name ?? null,
      callerPhone: caller?.phone ?? null,
      searchText: normalizeForSearch(`${description}\n${address}\n${landmark}`),
    });
    receive(fresh, await targetsFor(tx.em, districtCode, categoryCode), this.clock.now());
    const report = await tx.em.save(fresh);
    auditAbout({ subject: toGlobalId('Report', report.id) });
    await tx.em.insert(ReportTransitionEntity, { reportId: report.id, action: 'submit', fromStatus: null, toStatus: ReportStatus.RECEIVED, actorId: who.actorId, byStaff: who.byStaff, note: null });
    this.live.announce(tx, { reportId: report.id, districtCode: report.districtCode, queues: [[report.districtCode, Q.NEW]] });
    return report;
  }

  /** Counts one submission against `key`'s hourly budget; RATE_LIMITED past it. */
  private async countSubmission(key: string, limit: number): Promise<void> {
    const decision = await this.limiter.hit(3600, [{ key, limit }]);
    if (!decision.allowed) {
      throw AppError.rateLimited(msg('reports.errors.tooManyReports', { count: limit, retryAfter: decision.retryAfter }), decision.retryAfter);
    }
  }

  /** Open reports of the same category within SIMILAR.metres, submitted in the last SIMILAR.days, nearest first. */
  private similarTo(tx: Tx, report: ReportEntity): Promise<ReportEntity[]> {
    const here = 'll_to_earth(:lat, :lng)';
    const there = 'll_to_earth(r.latitude, r.longitude)';
    return tx.em
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where('r.category_code = :category', { category: report.categoryCode })
      .andWhere('r.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('r.id <> :id', { id: report.id })
      .andWhere('r.created_at >= :since', { since: new Date(this.clock.now().getTime() - SIMILAR.days * DAY) })
      // earth_box finds candidates through the GiST index; earth_distance keeps those really within the radius.
      .andWhere(`earth_box(${here}, :metres) @> ${there}`)
      .andWhere(`earth_distance(${here}, ${there}) <= :metres`, { lat: report.latitude, lng: report.longitude, metres: SIMILAR.metres })
      .orderBy(`earth_distance(${here}, ${there})`, 'ASC')
      .addOrderBy('r.created_at', 'DESC')
      .limit(SIMILAR.max)
      .getMany();
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Moves a report through the state machine, recording who did it, when and why, and telling its
   * reporter and supporters (never the one who did it).
   */
  private async apply(tx: Tx, report: ReportEntity, action: ReportAction, actor: Viewer, step: Step): Promise<ReportEntity> {
    const from = report.status;
    const to = nextReportStatus(action, from);
    const fromDistrictCode = report.districtCode;
    const now = this.clock.now();
    report.status = to;
    if (to === ReportStatus.RESOLVED) report.resolvedAt = now;
    if (action === 'accept') report.acceptedAt = now;
    if (action === 'forwardToDistrict') {
      report.districtCode = step.toDistrictCode!;
      receive(report, await targetsFor(tx.em, report.districtCode, report.categoryCode), now);
    }
    if (action === 'reopen') reopenDeadline(report, await targetsFor(tx.em, report.districtCode, report.categoryCode), now);
    keepDue(report);
    if (action === 'forwardToAgency') report.forwardedToAgency = step.agency!;
    if (action === 'merge') report.mergedIntoId = step.mergedIntoId!;
    const saved = await tx.em.save(report);
    const { identifiers } = await tx.em.insert(ReportTransitionEntity, {
      reportId: report.id,
      action,
      fromStatus: from,
      toStatus: to,
      actorId: actor.id,
      byStaff: action !== 'reopen',
      note: step.note,
      fromDistrictCode: action === 'forwardToDistrict' ? fromDistrictCode : null,
      toDistrictCode: step.toDistrictCode ?? null,
      agency: step.agency ?? null,
      mergedIntoId: step.mergedIntoId ?? null,
    });
    // The actor's own uploads, not attached to anything yet; a wrong one refuses the whole step.
    const photos = await this.photos.claim(step.photoIds ?? [], actor.id, tx.em);
    if (photos.length) {
      const transitionId = identifiers[0].id as string;
      await tx.em.insert(ReportTransitionPhotoEntity, photos.map((photo, position) => ({ transitionId, photoId: photo.id, position })));
    }
    this.live.announce(tx, ReportsService.news(report, action, fromDistrictCode));
    await this.tell(tx, report, actor.id, { from, to, ...(step.note ? { note: step.note } : {}) });
    return saved;
  }

  /** Who hears of a step live: the report's watchers, and the queue of its district (both districts' for a forward). */
  private static news(report: ReportEntity, action: ReportAction, fromDistrictCode: string): ReportNews {
    const base = { reportId: report.id, districtCode: report.districtCode };
    switch (action) {
      case 'forwardToDistrict':
        return { ...base, update: U.FORWARDED, queues: [[fromDistrictCode, Q.FORWARDED_OUT], [report.districtCode, Q.FORWARDED_IN]] };
      case 'merge':
        return { ...base, update: U.MERGED, queues: [[report.districtCode, Q.MERGED]] };
      default:
        return { ...base, update: U.STATUS_CHANGED, queues: [[report.districtCode, Q.CHANGED]] };
    }
  }

  private async tell(tx: Tx, report: ReportEntity, actorId: string, values: { from: string; to: string; note?: string }): Promise<void> {
    const supporters = await tx.em.findBy(ReportSupportEntity, { reportId: report.id });
    const told = new Set([...(report.reporterId ? [report.reporterId] : []), ...supporters.map((s) => s.userId)]);
    await this.notifications.notify(
      tx,
      [...told].map((userId) => ({ userId, kind: NotificationKind.REPORT_STATUS_CHANGED, actorId, reportId: report.id, values })),
    );
  }

  private static note(check: InputCheck, field: string, value: string | null | undefined, required: boolean): string | null {
    const text = check.text(field, value, { min: required ? 3 : undefined, max: REPORT_LIMITS.note, multiline: true, required });
    return text || null;
  }

  /** A staff action: a host of the report's district or an administrator; another district's staff are refused. */
  private staffStep(rc: RequestContext, reportId: string, action: ReportAction, step: (tx: Tx, report: ReportEntity) => Promise<Step> | Step): Promise<ReportEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const report = await this.lock(tx, reportId);
      if (!ReportsService.isStaff(viewer, report)) throw AppError.forbidden(msg('reports.errors.staffOnly'));
      return this.apply(tx, report, action, viewer, await step(tx, report));
    });
  }

  /** Accept, start work, resolve: each with an optional note. */
  move(rc: RequestContext, reportId: string, action: 'accept' | 'startWork' | 'resolve', note: string | null | undefined, photoIds?: string[] | null): Promise<ReportEntity> {
    const check = new InputCheck();
    const text = ReportsService.note(check, 'note', note, false);
    const photos = ReportsService.stepPhotos(check, photoIds);
    check.done();
    return this.staffStep(rc, reportId, action, () => ({ note: text, photoIds: photos }));
  }

  reject(rc: RequestContext, reportId: string, reason: string, photoIds?: string[] | null): Promise<ReportEntity> {
    const check = new InputCheck();
    const text = ReportsService.note(check, 'reason', reason, true);
    const photos = ReportsService.stepPhotos(check, photoIds);
    check.done();
    return this.staffStep(rc, reportId, 'reject', () => ({ note: text, photoIds: photos }));
  }

  /** At most REPORT_LIMITS.photos photo ids on a step. */
  private static stepPhotos(check: InputCheck, photoIds: string[] | null | undefined): string[] {
    const ids = photoIds ?? [];
    if (ids.length > REPORT_LIMITS.photos) check.fail('photoIds', msg('reports.errors.tooManyPhotos', { max: REPORT_LIMITS.photos }));
    else ids.forEach((id, i) => check.globalId(`photoIds[${i}]`, id, PHOTO_TYPE));
    return ids;
  }

  /** To another district (which owns it from then on, and receives it afresh) or to a named outside agency, with a note. */
  async forward(rc: RequestContext, reportId: string, input: ForwardReportInput): Promise<ReportEntity> {
    const check = new InputCheck();
    const toDistrict = input.toDistrictCode !== null && input.toDistrictCode !== undefined;
    const toAgency = input.agency !== null && input.agency !== undefined;
    if (toDistrict === toAgency) check.fail('toDistrictCode', msg('reports.errors.forwardOneOf'));
    const agency = toAgency ? check.text('agency', input.agency, { min: 2, max: REPORT_LIMITS.agency }) : undefined;
    const note = ReportsService.note(check, 'note', input.note, toAgency);
    const photoIds = ReportsService.stepPhotos(check, input.photoIds);
    check.done();
    const district = toDistrict ? await this.districts.require(input.toDistrictCode!, 'input.toDistrictCode') : null;
    return this.staffStep(rc, reportId, district ? 'forwardToDistrict' : 'forwardToAgency', (_tx, report) => {
      if (district && district.code === report.districtCode) throw AppError.badInput([{ field: 'input.toDistrictCode', message: msg('reports.errors.forwardSameDistrict') }]);
      return { note, toDistrictCode: district?.code, agency, photoIds };
    });
  }

  /**
   * A duplicate merged into another open report of the same district: its reporter and supporters
   * become the survivor's supporters (and hear of the survivor's progress from then on).
   */
  async merge(rc: RequestContext, reportId: string, intoId: string, input: MergeReportInput): Promise<{ merged: ReportEntity; survivor: ReportEntity }> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const note = ReportsService.note(check, 'note', input.note, false);
    if (reportId === intoId) check.fail('survivorId', msg('reports.errors.mergeIntoItself'));
    check.done();
    auditAbout({ subject: toGlobalId('Report', reportId) });
    return this.unitOfWork.run(async (tx) => {
      // Both locked, in one order whatever the direction of the merge, so two crossing merges cannot deadlock.
      const [first, second] = [reportId, intoId].sort();
      const locked = new Map([[first, await this.lock(tx, first)], [second, await this.lock(tx, second)]]);
      const report = locked.get(reportId)!;
      const survivor = locked.get(intoId)!;
      if (!ReportsService.isStaff(viewer, report)) throw AppError.forbidden(msg('reports.errors.staffOnly'));
      if (survivor.districtCode !== report.districtCode) throw AppError.badInput([{ field: 'input.survivorId', message: msg('reports.errors.mergeOtherDistrict') }]);
      if (!OPEN_STATUSES.includes(survivor.status)) throw AppError.illegalState(msg('reports.errors.mergeIntoClosed', { status: msg(`enums.ReportStatus.${survivor.status}`) }));
      const merged = await this.apply(tx, report, 'merge', viewer, { note, mergedIntoId: survivor.id });
      const followers = (await tx.em.findBy(ReportSupportEntity, { reportId: report.id })).map((s) => s.userId);
      if (report.reporterId) followers.push(report.reporterId);
      const moving = followers.filter((userId) => userId !== survivor.reporterId);
      if (moving.length) await tx.em.createQueryBuilder().insert().into(ReportSupportEntity).values(moving.map((userId) => ({ reportId: survivor.id, userId }))).orIgnore().execute();
      const [{ count }] = (await tx.em.query(`SELECT count(*)::int AS count FROM report_supports WHERE report_id = $1`, [survivor.id])) as { count: number }[];
      survivor.supportCount = count;
      this.live.announce(tx, { reportId: survivor.id, districtCode: survivor.districtCode, update: U.DUPLICATE_MERGED, queues: [[survivor.districtCode, Q.CHANGED]] });
      return { merged, survivor: await tx.em.save(survivor) };
    });
  }

  /** The reporter, within REOPEN_DAYS of its resolution (by the clock), with what is still wrong. */
  reopen(rc: RequestContext, reportId: string, reason: string): Promise<ReportEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const text = ReportsService.note(check, 'reason', reason, true);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const report = await this.lock(tx, reportId);
      if (!ReportsService.isReporter(viewer, report)) throw AppError.forbidden(msg('reports.errors.reporterOnly'));
      if (report.status === ReportStatus.RESOLVED && report.resolvedAt && this.clock.now().getTime() - report.resolvedAt.getTime() > REOPEN_DAYS * DAY) {
        throw AppError.illegalState(msg('reports.errors.reopenTooLate', { days: REOPEN_DAYS }));
      }
      return this.apply(tx, report, 'reopen', viewer, { note: text });
    });
  }

  // ---- supporters and rating -----------------------------------------------------------------

  /** "Me too": once per person (supporting again changes nothing), not on one's own report, while it is open. */
  support(rc: RequestContext, reportId: string): Promise<ReportEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const report = await this.lock(tx, reportId);
      if (ReportsService.isReporter(viewer, report)) throw AppError.forbidden(msg('reports.errors.ownReport'));
      if (!OPEN_STATUSES.includes(report.status)) throw AppError.illegalState(msg('reports.errors.notOpen', { status: msg(`enums.ReportStatus.${report.status}`) }));
      const inserted = await tx.em.createQueryBuilder().insert().into(ReportSupportEntity).values({ reportId: report.id, userId: viewer.id }).orIgnore().returning('report_id').execute();
      if ((inserted.raw as unknown[]).length === 0) return report;
      report.supportCount += 1;
      this.live.announce(tx, { reportId: report.id, districtCode: report.districtCode, update: U.SUPPORTED, queues: [[report.districtCode, Q.CHANGED]] });
      return tx.em.save(report);
    });
  }

  /** The reporter rates a resolved report once, 1 to 5, with an optional comment. */
  rate(rc: RequestContext, input: RateReportInput, reportId: string): Promise<ReportEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const rating = check.integer('rating', input.rating, { min: 1, max: 5 });
    const comment = check.text('comment', input.comment, { max: REPORT_LIMITS.comment, required: false, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const report = await this.lock(tx, reportId);
      if (!ReportsService.isReporter(viewer, report)) throw AppError.forbidden(msg('reports.errors.reporterOnly'));
      if (report.status !== ReportStatus.RESOLVED) throw AppError.illegalState(msg('reports.errors.rateResolvedOnly', { status: msg(`enums.ReportStatus.${report.status}`) }));
      if (report.rating !== null) throw AppError.illegalState(msg('reports.errors.alreadyRated'));
      Object.assign(report, { rating, ratingComment: comment || null, ratedAt: this.clock.now() });
      this.live.announce(tx, { reportId: report.id, districtCode: report.districtCode, update: U.RATED, queues: [[report.districtCode, Q.CHANGED]] });
      return tx.em.save(report);
    });
  }

  // ---- lists ---------------------------------------------------------------------------------

  /** Newest first. */
  async list(filter: ReportFilter | null | undefined, page: PageArgs): Promise<ConnectionShape<ReportEntity>> {
    const query = this.dataSource.getRepository(ReportEntity).createQueryBuilder('r');
    await applyReportFilter(query, filter, new InputCheck('filter'), this.districts, '');
    return paginate(query, page, { columns: [{ sql: 'r.created_at', value: (r) => r.createdAt }, { sql: 'r.id', value: (r) => r.id }], direction: 'DESC' }, (r) => r);
  }
}
