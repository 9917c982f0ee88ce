import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DistrictEntity } from '../districts/district.entity';
import { NotificationKind, NotificationValues } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { Preference } from './district-follow.entity';
import { DistrictNewsEntity, NewsTopic } from './district-news.entity';
import { DistrictNews } from './district-news.service';

const KIND: Record<NewsTopic, NotificationKind> = {
  ANNOUNCEMENT: NotificationKind.DISTRICT_ANNOUNCEMENT,
  PROPOSAL: NotificationKind.DISTRICT_PROPOSAL,
  HEARING: NotificationKind.DISTRICT_HEARING,
  VOTE: NotificationKind.DISTRICT_VOTE,
  QUESTIONNAIRE: NotificationKind.DISTRICT_QUESTIONNAIRE,
};

/** The preference that lets a piece of news through; null: nothing stops it (an emergency). */
function preferenceFor(news: Pick<DistrictNewsEntity, 'topic' | 'announcementKind'>): Preference | null {
  switch (news.topic) {
    case 'ANNOUNCEMENT':
      return news.announcementKind === 'EMERGENCY' ? null : news.announcementKind === 'NOTICE' ? 'notices' : news.announcementKind === 'EVENT' ? 'events' : 'news';
    case 'PROPOSAL':
      return 'proposals';
    case 'HEARING':
      return 'hearings';
    case 'VOTE':
      return 'votes';
    case 'QUESTIONNAIRE':
      return 'questionnaires';
  }
}

const NO_ONE = '00000000-0000-0000-0000-000000000000';

/**
 * The next `$3` accounts after `$2` (in id order) who are to hear a piece of news of district `$1`
 * (or city-wide). Two ordered index scans merged: the district's follows ("following" and the topic's
 * switch on), and its residents who chose nothing (no row: residency is a follow with every switch on).
 * A resident with a row is in the first scan. An emergency ignores the switches and a resident's unfollow.
 */
function recipientsSql(news: Pick<DistrictNewsEntity, 'districtCode' | 'topic' | 'announcementKind'>): string {
  const preference = preferenceFor(news);
  const inDistrict = (alias: string) => (news.districtCode === null ? '$1::varchar IS NULL' : `${alias}.district_code = $1`);
  if (preference === null) {
    if (news.districtCode === null) return `SELECT u.id AS user_id FROM users u WHERE u.id > $2 AND $1::varchar IS NULL ORDER BY u.id LIMIT $3`;
    return `
      (SELECT f.user_id FROM district_follows f WHERE f.district_code = $1 AND f.following AND f.user_id > $2 ORDER BY f.user_id LIMIT $3)
      UNION
      (SELECT r.user_id FROM residencies r WHERE r.district_code = $1 AND r.status = 'APPROVED' AND r.user_id > $2 ORDER BY r.user_id LIMIT $3)
      ORDER BY user_id LIMIT $3`;
  }
  // `preference` is one of PREFERENCES, a column name, never input.
  return `
    (SELECT DISTINCT f.user_id FROM district_follows f WHERE ${inDistrict('f')} AND f.following AND f.${preference} AND f.user_id > $2 ORDER BY f.user_id LIMIT $3)
    UNION
    (SELECT r.user_id FROM residencies r WHERE ${inDistrict('r')} AND r.status = 'APPROVED' AND r.user_id > $2
        AND NOT EXISTS (SELECT 1 FROM district_follows o WHERE o.user_id = r.user_id AND o.district_code = r.district_code)
      ORDER BY r.user_id LIMIT $3)
    ORDER BY user_id LIMIT $3`;
}

/**
 * One batch of one piece of news, in one statement: the next recipients, their notifications (each
 * account once per news, by UQ_notifications_news_user, erased accounts skipped), and where the batch
 * ended, so the caller moves the news's cursor in the same transaction.
 */
function batchSql(news: DistrictNewsEntity): string {
  return `
    WITH batch AS (${recipientsSql(news)}),
    told AS (
      INSERT INTO notifications (user_id, kind, proposal_id, hearing_id, values, news_id)
      SELECT b.user_id, $4, $5, $6, $7::jsonb, $8 FROM batch b JOIN users u ON u.id = b.user_id AND u.deleted_at IS NULL
      ON CONFLICT (news_id, user_id) WHERE news_id IS NOT NULL DO NOTHING
      RETURNING id, user_id
    )
    SELECT (SELECT user_id FROM batch ORDER BY user_id DESC LIMIT 1) AS last,
           (SELECT count(*) FROM batch)::int AS seen,
           (SELECT coalesce(json_agg(json_build_object('id', id, 'userId', user_id)), '[]'::json) FROM told) AS told`;
}

/**
 * Tells district news (DistrictNews.tell recorded it) to the people concerned, every DISTRICT_NEWS_INTERVAL_MS (2 s), in
 * batches of DISTRICT_NEWS_BATCH_SIZE recipients, each batch one transaction that locks its news (FOR UPDATE SKIP
 * LOCKED): several instances work side by side on different news, and never on the same batch. Who is
 * told is decided per batch, so someone who unfollowed before their batch is not told. Each batch's
 * notifications go live after it commits (NotificationsService.announce), without a message per
 * recipient when few of them are listening.
 */
@Injectable()
export class DistrictNewsDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DistrictNewsDelivery.name);
  private readonly job: BackgroundJob;
  /** Recipients per INSERT (DISTRICT_NEWS_BATCH_SIZE). */
  private readonly batchSize: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly news: DistrictNews,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {
    this.batchSize = config.districtNews.batchSize;
    this.job = new BackgroundJob(() => this.pass(), config.districtNews.intervalMs);
  }

  onApplicationBootstrap(): void {
    if (this.config.districtNews.intervalMs > 0) this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Runs a pass; answers once a whole pass begun after the call has run (see BackgroundJob). */
  tick(): Promise<void> {
    return this.job.run();
  }

  /** Delivers batches until no news is waiting (or all that waits is locked by other instances); returns how many notifications it wrote. */
  async deliverWaiting(): Promise<number> {
    let told = 0;
    for (;;) {
      const batch = await this.deliverBatch();
      if (batch === null) return told;
      told += batch;
    }
  }

  /** One batch of the oldest news nobody else is delivering; null when there is none. */
  async deliverBatch(): Promise<number | null> {
    let announce: { id: string; userId: string }[] = [];
    const told = await this.dataSource.transaction(async (em) => {
      const [news] = await em
        .getRepository(DistrictNewsEntity)
        .createQueryBuilder('n')
        .where('n.delivered_at IS NULL')
        .orderBy('n.created_at')
        .addOrderBy('n.id')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (!news) return null;
      if (!(await this.news.isPublic(em, news.subjectType, news.subjectId))) {
        await em.update(DistrictNewsEntity, { id: news.id }, { deliveredAt: this.clock.now() });
        return 0;
      }
      const [row] = (await em.query(batchSql(news), [
        news.districtCode,
        news.cursor ?? NO_ONE,
        this.batchSize,
        KIND[news.topic],
        news.subjectType === 'Proposal' ? news.subjectId : null,
        news.subjectType === 'Hearing' ? news.subjectId : null,
        JSON.stringify(await this.valuesOf(em, news)),
        news.id,
      ])) as { last: string | null; seen: number; told: { id: string; userId: string }[] }[];
      announce = row.told;
      const done = row.seen < this.batchSize;
      await em.update(DistrictNewsEntity, { id: news.id }, { cursor: row.last ?? news.cursor, deliveredCount: news.deliveredCount + row.told.length, ...(done ? { deliveredAt: this.clock.now() } : {}) });
      return row.told.length;
    });
    // Committed: the batch's notifications can go live.
    if (announce.length) this.notifications.announce(announce);
    return told;
  }

  private async valuesOf(em: EntityManager, news: DistrictNewsEntity): Promise<NotificationValues> {
    const district = news.districtCode ? await em.findOneBy(DistrictEntity, { code: news.districtCode }) : null;
    return {
      newsTitle: news.title,
      ...(district ? { district: { th: district.nameTh, en: district.nameEn } } : {}),
      ...(news.announcementKind ? { announcementKind: news.announcementKind } : {}),
      subjectType: news.subjectType,
      subjectId: news.subjectId,
    };
  }

  private async pass(): Promise<void> {
    try {
      const told = await this.deliverWaiting();
      if (told) this.logger.log(`told ${told} people district news`);
    } catch (error) {
      this.logger.warn(`district news delivery failed: ${(error as Error).message}`);
    }
  }
}
