import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { UnitOfWork } from '../database/unit-of-work';
import { DistrictEntity } from '../districts/district.entity';
import { DistrictsService } from '../districts/districts.service';
import { ALL_ON, DistrictFollowEntity, PREFERENCES, Preferences } from './district-follow.entity';

/** A district as one account follows it: its own row if it chose anything, else residency's defaults. */
export interface FollowState {
  district: DistrictEntity;
  resident: boolean;
  following: boolean;
  preferences: Preferences;
}

type PreferenceChanges = Partial<Record<keyof Preferences, boolean | null | undefined>>;

function changed(preferences: PreferenceChanges | null | undefined): Partial<Preferences> {
  return Object.fromEntries(PREFERENCES.flatMap((p) => (typeof preferences?.[p] === 'boolean' ? [[p, preferences[p]]] : [])));
}

function preferencesOf(row: DistrictFollowEntity | null): Preferences {
  return row ? (Object.fromEntries(PREFERENCES.map((p) => [p, row[p]])) as Preferences) : { ...ALL_ON };
}

/**
 * Who follows which district, and what they want to hear. Residency is a follow without a row: a
 * resident's row appears only when they change something (unfollow, a preference), so the 100,000
 * residents of a district cost nothing until they choose.
 */
@Injectable()
export class FollowingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
  ) {}

  async follow(rc: RequestContext, districtCode: string, preferences: PreferenceChanges | null | undefined): Promise<FollowState> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    return this.unitOfWork.run(async ({ em }) => {
      await em.query(
        `INSERT INTO district_follows (user_id, district_code) VALUES ($1, $2) ON CONFLICT (user_id, district_code) DO UPDATE SET following = TRUE, updated_at = now()`,
        [viewer.id, district.code],
      );
      const changes = changed(preferences);
      if (Object.keys(changes).length) await em.update(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code }, changes);
      return this.stateIn(em.findOneBy(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code }), district, viewer.residentOf === district.code);
    });
  }

  /** A non-resident's follow is removed; a resident keeps a row saying they unfollowed (emergencies still reach them). */
  async unfollow(rc: RequestContext, districtCode: string): Promise<FollowState> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    const resident = viewer.residentOf === district.code;
    return this.unitOfWork.run(async ({ em }) => {
      if (!resident) {
        await em.delete(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code });
        return { district, resident, following: false, preferences: { ...ALL_ON } };
      }
      await em.query(
        `INSERT INTO district_follows (user_id, district_code, following) VALUES ($1, $2, FALSE) ON CONFLICT (user_id, district_code) DO UPDATE SET following = FALSE, updated_at = now()`,
        [viewer.id, district.code],
      );
      return this.stateIn(em.findOneBy(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code }), district, resident);
    });
  }

  async setPreferences(rc: RequestContext, districtCode: string, preferences: PreferenceChanges): Promise<FollowState> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    const resident = viewer.residentOf === district.code;
    return this.unitOfWork.run(async ({ em }) => {
      const row = await em.findOne(DistrictFollowEntity, { where: { userId: viewer.id, districtCode: district.code }, lock: { mode: 'pessimistic_write' } });
      if (!row && !resident) throw AppError.illegalState(msg('errors.following.notFollowing'));
      // A resident's first choice writes the row residency stood for.
      if (!row) await em.insert(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code });
      const changes = changed(preferences);
      if (Object.keys(changes).length) await em.update(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code }, changes);
      return this.stateIn(em.findOneBy(DistrictFollowEntity, { userId: viewer.id, districtCode: district.code }), district, resident);
    });
  }

  /** The districts the viewer follows, and their home district (followed or not), by district code. */
  async followed(rc: RequestContext, page: PageArgs): Promise<ConnectionShape<FollowState>> {
    const viewer = rc.requireViewer();
    const rows = new Map((await this.dataSource.getRepository(DistrictFollowEntity).findBy({ userId: viewer.id })).map((row) => [row.districtCode, row]));
    const query = this.dataSource
      .getRepository(DistrictEntity)
      .createQueryBuilder('d')
      .where(`(d.code IN (SELECT f.district_code FROM district_follows f WHERE f.user_id = :user AND f.following) OR d.code = :home)`, { user: viewer.id, home: viewer.residentOf ?? '' });
    return paginate(query, page, { columns: [{ sql: 'd.code', value: (d) => d.code }], direction: 'ASC' }, (district) => {
      const row = rows.get(district.code) ?? null;
      return { district, resident: viewer.residentOf === district.code, following: row ? row.following : true, preferences: preferencesOf(row) };
    });
  }

  /**
   * How many accounts hear the district's news: its follows, and its residents who did not unfollow.
   * Two index-only counts; hosts of the district and administrators only.
   */
  async followerCount(rc: RequestContext, districtCode: string): Promise<number> {
    if (!rc.isHostOf(districtCode)) throw AppError.forbidden(msg('errors.following.followerCountHostsOnly'));
    const [{ count }] = (await this.dataSource.query(
      `SELECT count(*)::int AS count FROM (
         SELECT f.user_id FROM district_follows f WHERE f.district_code = $1 AND f.following
         UNION
         SELECT r.user_id FROM residencies r WHERE r.district_code = $1 AND r.status = 'APPROVED'
           AND NOT EXISTS (SELECT 1 FROM district_follows o WHERE o.user_id = r.user_id AND o.district_code = r.district_code)
       ) AS followers`,
      [districtCode],
    )) as { count: number }[];
    return count;
  }

  private async stateIn(row: Promise<DistrictFollowEntity | null>, district: DistrictEntity, resident: boolean): Promise<FollowState> {
    const found = await row;
    return { district, resident, following: found ? found.following : resident, preferences: preferencesOf(found) };
  }
}
