import { Injectable } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { UnitOfWork } from '../database/unit-of-work';
import { t } from '../i18n/i18n';
import { Mailer } from '../mail/mailer';
import { DistrictsService } from '../districts/districts.service';
import { channel, EventBus } from '../realtime/event-bus';
import { ResidencyDecision, ReviewResidencyInput } from './dto/residency.input';
import { ResidencyEntity, ResidencyStatus } from './entities/residency.entity';
import { AccountKind, UserEntity } from './entities/user.entity';

export const RESIDENCY_UPDATED = 'residencyUpdated';

/** What crosses the pub/sub for a residency change: ids only; subscribers load what they may see. */
export interface ResidencyUpdatedEvent {
  residencyId: string;
  userId: string;
}

const NOTE_MAX = 1000;

/**
 * Residency verification: a person asks to be recognised as a resident of a district; a host of that
 * district (or an administrator) other than the person approves or rejects it. Only verified residents will be able to vote.
 */
@Injectable()
export class ResidencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
  ) {}

  readonly byId = loaderById((ids) => this.dataSource.getRepository(ResidencyEntity).findBy({ id: In(ids) }));

  /** Each user's most recent request, whatever its status. */
  readonly latestOfUser: LoaderDefinition<string, ResidencyEntity | null> = {
    create: () =>
      new DataLoader(async (userIds) => {
        const rows = await this.dataSource
          .getRepository(ResidencyEntity)
          .createQueryBuilder('r')
          .distinctOn(['r.user_id'])
          .where('r.user_id IN (:...userIds)', { userIds: [...userIds] })
          .orderBy('r.user_id')
          .addOrderBy('r.created_at', 'DESC')
          .getMany();
        const byUser = new Map(rows.map((row) => [row.userId, row]));
        return userIds.map((id) => byUser.get(id) ?? null);
      }),
  };

  /** Each user's approved residency: the district they are a verified resident of. */
  readonly approvedOfUser: LoaderDefinition<string, ResidencyEntity | null> = {
    create: () =>
      new DataLoader(async (userIds) => {
        const rows = await this.dataSource.getRepository(ResidencyEntity).findBy({ userId: In([...userIds]), status: ResidencyStatus.APPROVED });
        const byUser = new Map(rows.map((row) => [row.userId, row]));
        return userIds.map((id) => byUser.get(id) ?? null);
      }),
  };

  /** The person themselves, a host of the district, or an administrator. */
  static canSee(rc: RequestContext, residency: Pick<ResidencyEntity, 'userId' | 'districtCode'>): boolean {
    return !!rc.viewer && (rc.viewer.id === residency.userId || rc.isHostOf(residency.districtCode));
  }

  async findVisible(rc: RequestContext, id: string): Promise<ResidencyEntity | null> {
    const residency = await rc.loader(this.byId).load(id);
    return residency && ResidencyService.canSee(rc, residency) ? residency : null;
  }

  async request(rc: RequestContext, districtCode: string, note: string | null | undefined): Promise<ResidencyEntity> {
    const viewer = rc.requireViewer();
    if (viewer.kind !== AccountKind.PERSON) throw AppError.forbidden(msg('errors.residency.personsOnly'));
    const check = new InputCheck();
    const requestNote = check.text('note', note, { max: NOTE_MAX, required: false, multiline: true });
    check.done();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    return this.unitOfWork.run(async ({ em }) => {
      // Serialise this person's requests, so two at once cannot both pass the checks below.
      await em.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [viewer.id]);
      const open = await em.find(ResidencyEntity, { where: { userId: viewer.id, status: In([ResidencyStatus.PENDING, ResidencyStatus.APPROVED]) } });
      if (open.some((r) => r.status === ResidencyStatus.PENDING)) {
        throw AppError.conflict(msg('errors.residency.pending'));
      }
      if (open.some((r) => r.status === ResidencyStatus.APPROVED && r.districtCode === district.code)) {
        throw AppError.conflict(msg('errors.residency.alreadyResident', { district: { th: district.nameTh, en: district.nameEn } }));
      }
      const created = em.create(ResidencyEntity, { userId: viewer.id, districtCode: district.code, status: ResidencyStatus.PENDING, requestNote: requestNote || null });
      return em.save(created);
    });
  }

  async review(rc: RequestContext, input: ReviewResidencyInput): Promise<ResidencyEntity> {
    rc.requireViewer();
    const id = fromGlobalId(input.residencyId, 'Residency', 'input.residencyId');
    const check = new InputCheck();
    if (!Object.values(ResidencyDecision).includes(input.decision)) check.fail('decision', msg('errors.residency.decision'));
    const note = check.text('note', input.note, { max: NOTE_MAX, required: input.decision === ResidencyDecision.REJECT, multiline: true });
    check.done();
    const now = this.clock.now();

    return this.unitOfWork.run(async (tx) => {
      const { em, afterCommit } = tx;
      const residency = await em.findOne(ResidencyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!residency) throw AppError.notFound('ResidencyRequest');
      auditAbout({ district: residency.districtCode, subject: toGlobalId('Residency', residency.id) });
      if (!rc.isHostOf(residency.districtCode)) {
        throw AppError.forbidden(msg('errors.residency.reviewHostsOnly'));
      }
      // Residency makes a voter: nobody decides their own, whatever their roles.
      if (residency.userId === rc.viewer!.id) {
        throw AppError.forbidden(msg('errors.residency.ownRequest'));
      }
      if (residency.status !== ResidencyStatus.PENDING) {
        throw AppError.illegalState(msg('errors.residency.alreadyReviewed', { status: residency.status }));
      }
      const user = await em.findOneByOrFail(UserEntity, { id: residency.userId });
      if (input.decision === ResidencyDecision.APPROVE) {
        if (user.kind !== AccountKind.PERSON) throw AppError.illegalState(msg('errors.residency.notPerson'));
        // A person lives in one district: a new approval replaces the previous one.
        await em.update(ResidencyEntity, { userId: residency.userId, status: ResidencyStatus.APPROVED }, { status: ResidencyStatus.SUPERSEDED });
      }
      residency.status = input.decision === ResidencyDecision.APPROVE ? ResidencyStatus.APPROVED : ResidencyStatus.REJECTED;
      residency.reviewNote = note || null;
      residency.reviewedBy = rc.viewer!.id;
      residency.reviewedAt = now;
      const saved = await em.save(residency);
      afterCommit(() => {
        const event: ResidencyUpdatedEvent = { residencyId: saved.id, userId: saved.userId };
        this.events.publish(channel(RESIDENCY_UPDATED, saved.userId), event);
        if (user.emailResidencyDecisions) this.mailer.inBackground('residency decision', () => this.mailDecision(user, saved));
      });
      return saved;
    });
  }

  /** Tells the person the decision by email, in their language (sent after commit, in the background). */
  private async mailDecision(user: UserEntity, residency: ResidencyEntity): Promise<void> {
    const district = await this.districts.find(residency.districtCode);
    const locale = user.locale;
    const values = { name: user.displayName, district: (locale === 'th' ? district?.nameTh : district?.nameEn) ?? residency.districtCode, note: residency.reviewNote ?? '' };
    const approved = residency.status === ResidencyStatus.APPROVED;
    const body = approved ? t(locale, 'mail.residencyDecision.approvedBody', values) : t(locale, 'mail.residencyDecision.rejectedBody', values);
    this.mailer.sendLater({
      kind: 'residency-decision',
      to: user.email,
      subject: approved ? t(locale, 'mail.residencyDecision.approvedSubject', values) : t(locale, 'mail.residencyDecision.rejectedSubject', values),
      text: `${body}\n\n${t(locale, 'mail.footer.switchOff')}`,
    });
  }

  /** A district's requests, newest first, for its hosts and administrators. */
  async list(rc: RequestContext, districtCode: string, status: ResidencyStatus | null | undefined, page: PageArgs): Promise<ConnectionShape<ResidencyEntity>> {
    rc.requireViewer();
    const district = await this.districts.require(districtCode);
    if (!rc.isHostOf(district.code)) throw AppError.forbidden(msg('errors.residency.listHostsOnly'));
    const query = this.dataSource.getRepository(ResidencyEntity).createQueryBuilder('r').where('r.district_code = :code', { code: district.code });
    if (status) query.andWhere('r.status = :status', { status });
    return paginate(query, page, { columns: [{ sql: 'r.created_at', value: (r) => r.createdAt }, { sql: 'r.id', value: (r) => r.id }], direction: 'DESC' }, (r) => r);
  }

  /** The residency an event is about, if the subscriber may still see it. */
  async forSubscriber(rc: RequestContext, event: ResidencyUpdatedEvent): Promise<ResidencyEntity | null> {
    const residency = await this.dataSource.getRepository(ResidencyEntity).findOneBy({ id: event.residencyId });
    return residency && ResidencyService.canSee(rc, residency) ? residency : null;
  }
}
