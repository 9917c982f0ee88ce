import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { hashRefreshToken, newRefreshToken } from '../accounts/tokens';
import { CITY } from '../audit/audit-entry.entity';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { UnitOfWork } from '../database/unit-of-work';
import { Open311KeyEntity } from './open311-key.entity';

/**
 * The keys client applications file reports with through Open311: administrators issue (the key is
 * answered once, only its SHA-256 is kept), list and revoke them; the endpoint looks a key up by its hash.
 */
@Injectable()
export class Open311KeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private static requireAdmin(rc: RequestContext): void {
    if (!rc.requireViewer().isAdmin) throw AppError.forbidden(msg('open311.errors.adminsOnly'));
  }

  async issue(rc: RequestContext, input: { name: string; contact: string }): Promise<{ key: Open311KeyEntity; apiKey: string }> {
    Open311KeysService.requireAdmin(rc);
    const check = new InputCheck();
    const name = check.text('name', input.name, { min: 2, max: 100 });
    const contact = check.text('contact', input.contact, { min: 3, max: 200 });
    check.done();
    auditAbout({ district: CITY });
    // 256 random bits, stored as their hash: the same secret as a refresh token, with the same helper.
    const { token, hash } = newRefreshToken();
    return this.unitOfWork.run(async (tx) => {
      const key = await tx.em.save(tx.em.create(Open311KeyEntity, { name, contact, keyHash: hash, revokedAt: null }));
      auditAbout({ subject: toGlobalId('Open311Key', key.id) });
      return { key, apiKey: token };
    });
  }

  /** Revoking twice changes nothing; a revoked key is refused by the endpoint from the next request on. */
  async revoke(rc: RequestContext, id: string): Promise<Open311KeyEntity> {
    auditAbout({ district: CITY, subject: toGlobalId('Open311Key', id) });
    Open311KeysService.requireAdmin(rc);
    return this.unitOfWork.run(async (tx) => {
      const key = await tx.em.findOne(Open311KeyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw AppError.notFound('Open311Key');
      if (!key.revokedAt) {
        key.revokedAt = this.clock.now();
        await tx.em.update(Open311KeyEntity, { id }, { revokedAt: key.revokedAt });
      }
      return key;
    });
  }

  /** Newest first; administrators only. */
  list(rc: RequestContext, page: PageArgs): Promise<ConnectionShape<Open311KeyEntity>> {
    Open311KeysService.requireAdmin(rc);
    const query = this.dataSource.getRepository(Open311KeyEntity).createQueryBuilder('k');
    return paginate(query, page, { columns: [{ sql: 'k.created_at', value: (k) => k.createdAt }, { sql: 'k.id', value: (k) => k.id }], direction: 'DESC' }, (k) => k);
  }

  /** For node(id): administrators only, null for anyone else. */
  async find(rc: RequestContext, id: string): Promise<Open311KeyEntity | null> {
    if (!rc.viewer?.isAdmin) return null;
    return this.dataSource.getRepository(Open311KeyEntity).findOneBy({ id });
  }

  /** The key this secret is, if it exists and is not revoked. */
  authenticate(apiKey: string): Promise<Open311KeyEntity | null> {
    return this.dataSource.getRepository(Open311KeyEntity).findOneBy({ keyHash: hashRefreshToken(apiKey), revokedAt: IsNull() });
  }
}
