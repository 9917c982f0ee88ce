import { auditAbout } from '../audit/audit-scope';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { Tx } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { AgendaItemEntity, HearingEntity } from './entities/hearing.entity';
import { NOT_OVER } from './hearing-lifecycle';

/**
 * Finding hearings: by id, by district and period, by proposal, and locking one for a change. Who may
 * run a hearing is decided here too. The changes themselves are made by the services beside this one:
 * scheduling (HearingScheduleService), the lifecycle (HearingLifecycleService), registration and
 * check-in (HearingRegistrationService), the floor (HearingFloorService) and the minutes
 * (HearingMinutesService).
 */
@Injectable()
export class HearingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictsService,
    private readonly clock: Clock,
  ) {}

  readonly byId = loaderById((ids) => this.dataSource.getRepository(HearingEntity).findBy({ id: In(ids) }));

  readonly agendaOf: LoaderDefinition<string, AgendaItemEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(AgendaItemEntity).find({ where: { hearingId: In([...ids]) }, order: { position: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.hearingId === id));
      }),
  };

  /** Hearings whose agenda includes each proposal, earliest first (cancelled ones left out). */
  readonly hearingsOfProposal: LoaderDefinition<string, HearingEntity[]> = {
    create: () =>
      new DataLoader(async (proposalIds) => {
        const rows = await this.dataSource
          .getRepository(HearingEntity)
          .createQueryBuilder('h')
          .innerJoin(AgendaItemEntity, 'i', 'i.hearing_id = h.id')
          .addSelect('i.proposal_id', 'proposal_id')
          .where('i.proposal_id IN (:...ids)', { ids: [...proposalIds] })
          .andWhere(`h.status <> 'CANCELLED'`)
          .orderBy('h.starts_at', 'ASC')
          .getRawAndEntities();
        return proposalIds.map((id) => {
          const seen = new Set<string>();
          return rows.entities.filter((h, i) => rows.raw[i].proposal_id === id && !seen.has(h.id) && seen.add(h.id));
        });
      }),
  };

  static isHost(viewer: Viewer | null, hearing: Pick<HearingEntity, 'districtCode'>): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(hearing.districtCode));
  }

  static requireHostOf(viewer: Viewer, districtCode: string): void {
    if (!viewer.isAdmin && !viewer.hostOf.has(districtCode)) throw AppError.forbidden(msg('errors.hearings.hostsOnly'));
  }

  /** Hearings are public: anyone may see any of them. */
  find(rc: RequestContext, id: string): Promise<HearingEntity | null> {
    return rc.loader(this.byId).load(id);
  }

  /**
   * Locks a hearing for a change (the row lock orders every change of one hearing); NOT_FOUND if there is
   * none. Every mutation names its hearing `input.hearingId`.
   */
  async lock(tx: Tx, globalId: string): Promise<HearingEntity> {
    const id = fromGlobalId(globalId, 'Hearing', 'input.hearingId');
    const hearing = await tx.em.findOne(HearingEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!hearing) throw AppError.notFound('Hearing');
    auditAbout({ district: hearing.districtCode, subject: globalId });
    return hearing;
  }

  /** Locks a hearing for a host's change; NOT_FOUND, FORBIDDEN as they apply. */
  async lockForHost(rc: RequestContext, tx: Tx, globalId: string): Promise<HearingEntity> {
    const viewer = rc.requireViewer();
    const hearing = await this.lock(tx, globalId);
    HearingsService.requireHostOf(viewer, hearing.districtCode);
    return hearing;
  }

  async inDistrict(districtCode: string, range: { from?: Date | null; to?: Date | null; upcomingOnly?: boolean }, page: PageArgs): Promise<ConnectionShape<HearingEntity>> {
    const district = await this.districts.require(districtCode);
    const query = this.dataSource.getRepository(HearingEntity).createQueryBuilder('h').where('h.district_code = :code', { code: district.code });
    const check = new InputCheck('');
    for (const [name, value] of Object.entries({ from: range.from, to: range.to })) if (value) check.dateTime(name, value);
    check.done();
    if (range.from) query.andWhere('h.ends_at >= :from', { from: range.from });
    if (range.to) query.andWhere('h.starts_at <= :to', { to: range.to });
    if (range.upcomingOnly) {
      query.andWhere(`h.status IN (:...notOver) AND h.ends_at >= :now`, { notOver: NOT_OVER, now: this.clock.now() });
    }
    return paginate(query, page, { columns: [{ sql: 'h.starts_at', value: (h) => h.startsAt }, { sql: 'h.id', value: (h) => h.id }], direction: 'ASC' }, (h) => h);
  }
}
