import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Brackets, DataSource, In } from 'typeorm';
import { CITY } from '../audit/audit-entry.entity';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { returnedRows } from '../database/returned-rows';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { DistrictNews } from '../following';
import { AnnouncementEntity, AnnouncementKind, AnnouncementStatus, AnnouncementVersionEntity } from './announcement.entity';
import { AnnouncementLive } from './announcement-live';
import { ANNOUNCEMENT_TYPE } from './announcement.type';
import { AnnouncementsArgs, EditAnnouncementInput, PublishAnnouncementInput } from './dto/announcement.input';

export const ANNOUNCEMENT_LIMITS = { title: 200, body: 10_000, reason: 1000, pinned: 3 } as const;

/** The links an announcement may carry, each the global id of a node of that type. */
const LINKS = [
  { field: 'proposalId', column: 'proposalId', type: 'Proposal' },
  { field: 'hearingId', column: 'hearingId', type: 'Hearing' },
  { field: 'votingRoundId', column: 'votingRoundId', type: 'VotingRound' },
  { field: 'reportId', column: 'reportId', type: 'Report' },
  { field: 'questionnaireId', column: 'questionnaireId', type: 'Questionnaire' },
] as const;

/**
 * Publishes scheduled announcements whose time has come, in one statement: a row another instance
 * publishes at the same moment is re-checked by PostgreSQL after its lock and skipped (its status is no
 * longer SCHEDULED), so with several instances each announcement is published, and told, once.
 */
const PUBLISH_DUE = `
  UPDATE announcements SET status = 'PUBLISHED', updated_at = now()
   WHERE status = 'SCHEDULED' AND publish_at <= $1
  RETURNING id`;

type Content = Pick<AnnouncementEntity, 'kind' | 'titleTh' | 'titleEn' | 'bodyTh' | 'bodyEn' | 'validFrom' | 'validUntil'>;

/**
 * Announcements (ประกาศ): a district's staff tell its people, administrators also the whole city.
 * Publishing (now or at a time), editing with the versions kept, pinning (at most 3 at a time per
 * district, and 3 city-wide), withdrawing with a reason, and who may read what.
 */
@Injectable()
export class AnnouncementsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
    private readonly live: AnnouncementLive,
    @Inject(Clock) private readonly clock: Clock,
    private readonly news: DistrictNews,
  ) {}

  onModuleInit(): void {
    // An announcement withdrawn while its news was still going out is not told any further.
    this.news.stillPublic('Announcement', async (em, id) => (await em.findOneBy(AnnouncementEntity, { id }))?.status === AnnouncementStatus.PUBLISHED);
  }

  now(): Date {
    return this.clock.now();
  }

  readonly byId = loaderById((ids) => this.dataSource.getRepository(AnnouncementEntity).findBy({ id: In(ids) }));

  // ---- who may do what -----------------------------------------------------------------------

  /** A district's staff (its hosts) and administrators; city-wide ones (no district), administrators only. */
  static isStaff(viewer: Viewer | null, districtCode: string | null): boolean {
    return !!viewer && (viewer.isAdmin || (districtCode !== null && viewer.hostOf.has(districtCode)));
  }

  /** Published ones are public; scheduled and withdrawn ones are their staff's. */
  static isVisible(viewer: Viewer | null, announcement: AnnouncementEntity): boolean {
    return announcement.status === AnnouncementStatus.PUBLISHED || AnnouncementsService.isStaff(viewer, announcement.districtCode);
  }

  private static requireStaff(rc: RequestContext, districtCode: string | null): Viewer {
    const viewer = rc.requireViewer();
    if (!AnnouncementsService.isStaff(viewer, districtCode)) throw AppError.forbidden(msg(districtCode ? 'announcements.errors.staffOnly' : 'announcements.errors.cityAdminsOnly'));
    return viewer;
  }

  /** As the viewer may see it: null when there is none or it is hidden from them. */
  async find(rc: RequestContext, id: string): Promise<AnnouncementEntity | null> {
    const announcement = await rc.loader(this.byId).load(id);
    return announcement && AnnouncementsService.isVisible(rc.viewer, announcement) ? announcement : null;
  }

  /** Locked for the rest of the transaction; NOT_FOUND when there is none, or the viewer may not see it. */
  private async lock(tx: Tx, rc: RequestContext, id: string): Promise<AnnouncementEntity> {
    rc.requireViewer();
    const announcement = await tx.em.findOne(AnnouncementEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!announcement || !AnnouncementsService.isVisible(rc.viewer, announcement)) throw AppError.notFound('Announcement');
    auditAbout({ district: announcement.districtCode ?? CITY, subject: toGlobalId(ANNOUNCEMENT_TYPE, announcement.id) });
    AnnouncementsService.requireStaff(rc, announcement.districtCode);
    return announcement;
  }

  // ---- publishing ----------------------------------------------------------------------------

  /** Published at once, or SCHEDULED when `publishAt` is ahead (the clock publishes it then). */
  async publish(rc: RequestContext, input: PublishAnnouncementInput): Promise<AnnouncementEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const content = AnnouncementsService.checkContent(check, input);
    const publishAt = input.publishAt == null ? null : check.dateTime('publishAt', input.publishAt);
    const links: Partial<Record<(typeof LINKS)[number]['column'], string>> = {};
    for (const link of LINKS) {
      const given = input[link.field];
      if (given != null) links[link.column] = check.globalId(link.field, given, link.type) ?? undefined;
    }
    check.done();
    const districtCode = input.districtCode == null ? null : (await this.districts.require(input.districtCode, 'input.districtCode')).code;
    auditAbout({ district: districtCode ?? CITY });
    if (!AnnouncementsService.isStaff(viewer, districtCode)) throw AppError.forbidden(msg(districtCode ? 'announcements.errors.staffOnly' : 'announcements.errors.cityAdminsOnly'));
    await this.checkLinks(rc, input);
    const now = this.clock.now();
    const when = publishAt && publishAt > now ? publishAt : now;
    if (content.validUntil && content.validUntil <= when) throw AppError.badInput([{ field: 'input.validUntil', message: msg('announcements.errors.expiredOnPublishing') }]);
    return this.unitOfWork.run(async (tx) => {
      const announcement = await tx.em.save(
        tx.em.create(AnnouncementEntity, {
          ...content,
          ...links,
          districtCode,
          publishAt: when,
          status: when > now ? AnnouncementStatus.SCHEDULED : AnnouncementStatus.PUBLISHED,
        }),
      );
      auditAbout({ subject: toGlobalId(ANNOUNCEMENT_TYPE, announcement.id) });
      if (announcement.status === AnnouncementStatus.PUBLISHED) await this.published(tx, announcement);
      return announcement;
    });
  }

  /** Each linked object must exist and be visible to the one announcing it. */
  private async checkLinks(rc: RequestContext, input: PublishAnnouncementInput): Promise<void> {
    const problems = [];
    for (const link of LINKS) {
      const given = input[link.field];
      if (given != null && !(await this.nodes.fetchAs(given, link.type, rc, `input.${link.field}`))) {
        problems.push({ field: `input.${link.field}`, message: msg('announcements.errors.linkNotFound') });
      }
    }
    if (problems.length) throw AppError.badInput(problems);
  }

  /**
   * Scheduled announcements whose time has come: published in one statement (see PUBLISH_DUE) and told,
   * in one transaction. Answers those this call published; the clock job runs it.
   */
  async publishDue(): Promise<AnnouncementEntity[]> {
    return this.unitOfWork.run(async (tx) => {
      const ids = returnedRows<{ id: string }>(await tx.em.query(PUBLISH_DUE, [this.clock.now()])).map((row) => row.id);
      if (!ids.length) return [];
      const announcements = await tx.em.findBy(AnnouncementEntity, { id: In(ids) });
      for (const announcement of announcements) await this.published(tx, announcement);
      return announcements;
    });
  }

  /** What happens when an announcement is published, at once or by the clock: inside its transaction. */
  private async published(tx: Tx, announcement: AnnouncementEntity): Promise<void> {
    await this.toldFollowers(tx, announcement);
    this.live.announce(tx, announcement);
  }

  /**
   * The district's followers and residents (city-wide: everyone concerned) are told in the background, in
   * batches (src/following); an EMERGENCY reaches them whatever they chose to hear.
   */
  private async toldFollowers(tx: Tx, announcement: AnnouncementEntity): Promise<void> {
    await this.news.tell(tx, {
      districtCode: announcement.districtCode,
      topic: 'ANNOUNCEMENT',
      announcementKind: announcement.kind,
      subjectType: 'Announcement',
      subjectId: announcement.id,
      title: { th: announcement.titleTh, en: announcement.titleEn },
    });
  }

  // ---- editing, pinning, withdrawing ---------------------------------------------------------

  /** The content replaced whole; the version it replaces is kept (`history`). Not once withdrawn. */
  async edit(rc: RequestContext, id: string, input: EditAnnouncementInput): Promise<AnnouncementEntity> {
    const check = new InputCheck();
    const content = AnnouncementsService.checkContent(check, input);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const announcement = await this.lock(tx, rc, id);
      if (announcement.status === AnnouncementStatus.WITHDRAWN) throw AppError.illegalState(msg('announcements.errors.withdrawn'));
      await tx.em.insert(AnnouncementVersionEntity, {
        announcementId: announcement.id,
        version: announcement.version,
        kind: announcement.kind,
        titleTh: announcement.titleTh,
        titleEn: announcement.titleEn,
        bodyTh: announcement.bodyTh,
        bodyEn: announcement.bodyEn,
        validFrom: announcement.validFrom,
        validUntil: announcement.validUntil,
        replacedAt: this.clock.now(),
      });
      Object.assign(announcement, content, { version: announcement.version + 1 });
      return tx.em.save(announcement);
    });
  }

  /**
   * Pinned ones come first in lists. At most ANNOUNCEMENT_LIMITS.pinned at a time per district (and
   * city-wide), counting those not withdrawn nor expired: PIN_LIMIT_REACHED beyond. Pinning twice changes nothing.
   */
  async pin(rc: RequestContext, id: string, pinned: boolean): Promise<AnnouncementEntity> {
    return this.unitOfWork.run(async (tx) => {
      const announcement = await this.lock(tx, rc, id);
      if (announcement.pinned === pinned) return announcement;
      if (pinned) {
        if (announcement.status === AnnouncementStatus.WITHDRAWN) throw AppError.illegalState(msg('announcements.errors.withdrawn'));
        // Two pins of one district at once queue here, so both cannot take the last place.
        await tx.em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`announcement-pins:${announcement.districtCode ?? CITY}`]);
        const [{ count }] = (await tx.em.query(
          `SELECT count(*)::int AS count FROM announcements
            WHERE district_code IS NOT DISTINCT FROM $1 AND pinned AND status <> 'WITHDRAWN' AND (valid_until IS NULL OR valid_until > $2)`,
          [announcement.districtCode, this.clock.now()],
        )) as { count: number }[];
        if (count >= ANNOUNCEMENT_LIMITS.pinned) throw new AppError(ErrorCode.PIN_LIMIT_REACHED, msg('announcements.errors.pinLimit', { max: ANNOUNCEMENT_LIMITS.pinned }));
      }
      announcement.pinned = pinned;
      return tx.em.save(announcement);
    });
  }

  /** Taken back with a reason: out of the public's sight (and unpinned); a scheduled one is never published. */
  async withdraw(rc: RequestContext, id: string, reason: string): Promise<AnnouncementEntity> {
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: ANNOUNCEMENT_LIMITS.reason, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const announcement = await this.lock(tx, rc, id);
      if (announcement.status === AnnouncementStatus.WITHDRAWN) throw AppError.illegalState(msg('announcements.errors.withdrawn'));
      Object.assign(announcement, { status: AnnouncementStatus.WITHDRAWN, pinned: false, withdrawnAt: this.clock.now(), withdrawalReason: text });
      return tx.em.save(announcement);
    });
  }

  private static checkContent(check: InputCheck, input: Partial<Content>): Content {
    const kind = check.oneOf('kind', input.kind, Object.values(AnnouncementKind));
    const titleTh = check.text('titleTh', input.titleTh, { max: ANNOUNCEMENT_LIMITS.title });
    const titleEn = check.text('titleEn', input.titleEn, { max: ANNOUNCEMENT_LIMITS.title, required: false });
    const bodyTh = check.text('bodyTh', input.bodyTh, { max: ANNOUNCEMENT_LIMITS.body, multiline: true, markup: 'markdown' });
    const bodyEn = check.text('bodyEn', input.bodyEn, { max: ANNOUNCEMENT_LIMITS.body, required: false, multiline: true, markup: 'markdown' });
    const validFrom = input.validFrom == null ? null : check.dateTime('validFrom', input.validFrom);
    const validUntil = input.validUntil == null ? null : check.dateTime('validUntil', input.validUntil);
    if (validFrom && validUntil && validUntil <= validFrom) check.fail('validUntil', msg('announcements.errors.validUntilBeforeFrom'));
    if (!!titleEn !== !!bodyEn) check.fail(titleEn ? 'bodyEn' : 'titleEn', msg('announcements.errors.englishTogether'));
    return { kind, titleTh, titleEn: titleEn || null, bodyTh, bodyEn: bodyEn || null, validFrom, validUntil };
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * A district's announcements and the city-wide ones (left out: the city-wide ones only): pinned first,
   * then the newest. Expired ones only when asked; scheduled and withdrawn ones only to the staff who asks.
   */
  async list(rc: RequestContext, args: AnnouncementsArgs): Promise<ConnectionShape<AnnouncementEntity>> {
    const districtCode = args.districtCode == null ? null : (await this.districts.require(args.districtCode, 'districtCode')).code;
    if (args.includeUnpublished) AnnouncementsService.requireStaff(rc, districtCode);
    const everyStatus = Object.values(AnnouncementStatus);
    const statusesOf = (code: string | null) => (args.includeUnpublished && AnnouncementsService.isStaff(rc.viewer, code) ? everyStatus : [AnnouncementStatus.PUBLISHED]);
    const query = this.dataSource.getRepository(AnnouncementEntity).createQueryBuilder('a');
    query.where(
      new Brackets((where) => {
        where.where('a.district_code IS NULL AND a.status IN (:...city)', { city: statusesOf(null) });
        if (districtCode) where.orWhere('a.district_code = :district AND a.status IN (:...own)', { district: districtCode, own: statusesOf(districtCode) });
      }),
    );
    if (!args.includeExpired) query.andWhere('(a.valid_until IS NULL OR a.valid_until > :now)', { now: this.clock.now() });
    return paginate(
      query,
      args,
      {
        columns: [
          { sql: '(CASE WHEN a.pinned THEN 1 ELSE 0 END)', value: (a) => (a.pinned ? 1 : 0) },
          { sql: 'a.publish_at', value: (a) => a.publishAt },
          { sql: 'a.id', value: (a) => a.id },
        ],
        direction: 'DESC',
      },
      (a) => a,
    );
  }

  /** The versions edits replaced, the latest first. */
  history(announcementId: string, page: PageArgs): Promise<ConnectionShape<AnnouncementVersionEntity>> {
    const query = this.dataSource.getRepository(AnnouncementVersionEntity).createQueryBuilder('v').where('v.announcement_id = :id', { id: announcementId });
    return paginate(query, page, { columns: [{ sql: 'v.version', value: (v) => v.version }], direction: 'DESC' }, (v) => v);
  }
}
