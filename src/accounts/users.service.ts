import { Inject, Injectable, Logger } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import DataLoader from 'dataloader';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { LoaderDefinition, loaderById, RequestContext } from '../common/context/request-context';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig, ConfigError } from '../config/config';
import { UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { AuthService } from './auth.service';
import { HostAppointmentEntity } from './entities/host-appointment.entity';
import { AccountKind, Locale, UserEntity } from './entities/user.entity';
import { hashPassword, passwordProblems } from './passwords';

/** Accounts as others see them, and the roles only an administrator hands out. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
  ) {}

  readonly userById = loaderById((ids) => this.dataSource.getRepository(UserEntity).findBy({ id: In(ids) }));

  /** Accounts another query brought along (a joined author): the request's later loads of them send no query. */
  prime(rc: RequestContext, users: UserEntity[]): void {
    const loader = rc.loader(this.userById);
    for (const user of users) loader.prime(user.id, user);
  }

  readonly hostedDistrictCodes: LoaderDefinition<string, string[]> = {
    create: () =>
      new DataLoader(async (userIds) => {
        const rows = await this.dataSource
          .getRepository(HostAppointmentEntity)
          .find({ where: { userId: In([...userIds]) }, order: { districtCode: 'ASC' } });
        return userIds.map((id) => rows.filter((row) => row.userId === id).map((row) => row.districtCode));
      }),
  };

  readonly hostIdsOfDistrict: LoaderDefinition<string, string[]> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows = await this.dataSource
          .getRepository(HostAppointmentEntity)
          .find({ where: { districtCode: In([...codes]) }, order: { appointedAt: 'ASC' } });
        return codes.map((code) => rows.filter((row) => row.districtCode === code).map((row) => row.userId));
      }),
  };

  /** Whether the viewer may see an account's private fields (email, locale, residency history). */
  static canSeePrivate(rc: RequestContext, userId: string): boolean {
    return !!rc.viewer && (rc.viewer.isAdmin || rc.viewer.id === userId);
  }

  async findVisible(rc: RequestContext, id: string): Promise<UserEntity | null> {
    // Public profiles (name, kind, roles) are visible to everyone. An erased account answers to its
    // pseudonym only: its former id leads nowhere.
    const user = await rc.loader(this.userById).load(id);
    if (user) return user.deletedAt ? null : user;
    return this.dataSource.getRepository(UserEntity).findOneBy({ pseudonym: id });
  }

  /** The signed-in account; null when no token was sent, UNAUTHENTICATED when one was sent and refused. */
  async me(rc: RequestContext): Promise<UserEntity | null> {
    if (rc.authProblem) throw AppError.unauthenticated(rc.authProblem);
    return rc.viewer ? rc.loader(this.userById).load(rc.viewer.id) : null;
  }

  /** Administrators only: every account, newest first, optionally matching a name or email. */
  async list(rc: RequestContext, search: string | null | undefined, page: PageArgs): Promise<ConnectionShape<UserEntity>> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('errors.accounts.listAdminsOnly'));
    const check = new InputCheck('');
    const term = check.text('search', search, { max: 100, required: false });
    check.done();
    // Erased accounts are not accounts any more: their tombstones are not listed.
    const query = this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where('u.deleted_at IS NULL');
    if (term) {
      const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere('(u.email LIKE :pattern OR lower(u.display_name) LIKE :pattern)', { pattern });
    }
    return paginate(query, page, { columns: [{ sql: 'u.created_at', value: (u) => u.createdAt }, { sql: 'u.id', value: (u) => u.id }], direction: 'DESC' }, (u) => u);
  }

  /** Administrators appoint district hosts: staff accounts (persons) of a district office. Appointing twice changes nothing. */
  appointHost(rc: RequestContext, userGlobalId: string, districtCode: string): Promise<UserEntity> {
    return this.changeHosts(rc, userGlobalId, districtCode, 'appoint', async (em, user, district) => {
      if (user.kind !== AccountKind.PERSON) throw AppError.badInput([{ field: 'input.userId', message: msg('errors.accounts.hostMustBePerson') }]);
      await em.createQueryBuilder().insert().into(HostAppointmentEntity).values({ userId: user.id, districtCode: district, appointedBy: rc.viewer!.id }).orIgnore().execute();
    });
  }

  removeHost(rc: RequestContext, userGlobalId: string, districtCode: string): Promise<UserEntity> {
    return this.changeHosts(rc, userGlobalId, districtCode, 'remove', async (em, user, district) => {
      const removed = await em.delete(HostAppointmentEntity, { userId: user.id, districtCode: district });
      if (!removed.affected) throw AppError.notFound(msg('errors.things.hostAppointment', { district }));
    });
  }

  /** The checks both host changes share: an administrator, a valid user id and district, in one transaction. */
  private async changeHosts(
    rc: RequestContext,
    userGlobalId: string,
    districtCode: string,
    verb: 'appoint' | 'remove',
    change: (em: EntityManager, user: UserEntity, districtCode: string) => Promise<void>,
  ): Promise<UserEntity> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('errors.accounts.hostsAdminsOnly', { action: msg(`errors.accounts.hostActions.${verb}`) }));
    const userId = fromGlobalId(userGlobalId, 'User', 'input.userId');
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code, subject: userGlobalId });
    return this.unitOfWork.run(async (tx) => {
      const user = await tx.em.findOneBy(UserEntity, { id: userId });
      if (!user || user.deletedAt) throw AppError.notFound('User');
      await change(tx.em, user, district.code);
      return user;
    });
  }

  /**
   * The first administrator, from BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD, when there is none yet.
   * An existing account with that email is promoted; otherwise a person account is created.
   */
  async bootstrapAdmin(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const check = new InputCheck('');
    const email = AuthService.checkEmail(check, admin.email);
    for (const problem of passwordProblems(admin.password, { email }, 'password')) check.fail(problem.field, problem.message);
    try {
      check.done();
    } catch (error) {
      throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL/BOOTSTRAP_ADMIN_PASSWORD', `are not acceptable: ${(error as Error).message}`);
    }
    const repo = this.dataSource.getRepository(UserEntity);
    if (await repo.existsBy({ isAdmin: true })) return;
    const passwordHash = await hashPassword(admin.password);
    await this.unitOfWork.run(async ({ em }) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ email, passwordHash, displayName: 'City administrator', kind: AccountKind.PERSON, locale: Locale.th, isAdmin: true })
        .orIgnore()
        .execute();
      await em.update(UserEntity, { email }, { isAdmin: true });
    });
    this.logger.log(`bootstrap administrator ${email} is ready`);
  }
}
