import { createHash } from 'node:crypto';
import { accountAsShown } from '../accounts/erasure/deleted-account';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { auditEntry, insertAuditEntry } from '../database/unit-of-work';
import { AuditEntryEntity, AuditOutcome } from './audit-entry.entity';
import { AuditScope } from './audit-scope';

const GENESIS = '0'.repeat(64);
const BATCH = 1000;

/** The hash of an entry: it covers the previous entry's hash and every field, so a change shows. */
export function auditHash(previous: string, e: Pick<AuditEntryEntity, 'districtCode' | 'chainSeq' | 'actorId' | 'action' | 'subject' | 'requestId' | 'outcome' | 'errorCode' | 'createdAt'>): string {
  const fields = [previous, e.districtCode, e.chainSeq, e.actorId ?? '', e.action, e.subject ?? '', e.requestId ?? '', e.outcome, e.errorCode ?? '', e.createdAt.toISOString()];
  return createHash('sha256').update(fields.join('|')).digest('hex');
}

/**
 * The audit trail: entries are written with the change they record (UnitOfWork), then chained per
 * district by a background job, in commit order, so that recording never makes mutations wait on one
 * another. Hosts read their district's trail, administrators every trail; anyone may verify a chain.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditService.name);
  /** Chains committed entries every second; `chainer.run()` answers once a pass begun after the call has run. */
  readonly chainer = new BackgroundJob(() => this.chainPending(), 1000);

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.chainer.start();
  }

  onModuleDestroy(): void {
    this.chainer.stop();
  }

  /** A refused mutation (rolled back) or one that touched no transaction: recorded on its own. */
  async recordOutside(scope: AuditScope, error: unknown): Promise<void> {
    if (scope.written) return;
    scope.written = true;
    const code = error instanceof AppError ? error.code : error ? String((error as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR') : null;
    try {
      await insertAuditEntry(this.dataSource.manager, auditEntry(scope, error ? AuditOutcome.REFUSED : AuditOutcome.SUCCESS, code));
    } catch (failure) {
      this.logger.error(`audit entry for ${scope.action} (${scope.rc.requestId}) could not be written: ${(failure as Error).message}`);
    }
  }

  /** Chains committed entries, district by district; several instances take turns through an advisory lock. */
  private async chainPending(): Promise<void> {
    try {
      const districts: { district_code: string }[] = await this.dataSource.query(`SELECT DISTINCT district_code FROM audit_entries WHERE chain_seq IS NULL`);
      for (const { district_code: district } of districts) {
        await this.dataSource.transaction(async (em) => {
          await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`audit:${district}`]);
          return this.chainDistrict(em, district);
        });
      }
    } catch (error) {
      this.logger.warn(`chaining the audit trail failed: ${(error as Error).message}`);
    }
  }

  private async chainDistrict(em: EntityManager, district: string): Promise<number> {
    // The head of the chain: chained entries only (DESC would put the unchained ones, NULL, first).
    const last = await em.findOne(AuditEntryEntity, { where: { districtCode: district, chainSeq: Not(IsNull()) }, order: { chainSeq: 'DESC' }, select: { chainSeq: true, hash: true } });
    let seq = last?.chainSeq ?? 0;
    let previous = last?.hash ?? GENESIS;
    const entries = await em
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('a')
      .where('a.district_code = :district AND a.chain_seq IS NULL', { district })
      .orderBy('a.id', 'ASC')
      .limit(BATCH)
      .getMany();
    for (const entry of entries) {
      seq += 1;
      entry.chainSeq = seq;
      entry.prevHash = previous;
      entry.hash = auditHash(previous, entry);
      previous = entry.hash;
    }
    // One statement for the batch: an UPDATE per entry cost a round trip each, on the same pool and
    // event loop as the mutations being audited (it took most of the time of a ballot burst).
    if (entries.length) {
      await em.query(
        `UPDATE audit_entries a SET chain_seq = v.seq, prev_hash = v.prev, hash = v.hash
           FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]) AS v(id, seq, prev, hash) WHERE a.id = v.id`,
        [entries.map((e) => e.id), entries.map((e) => e.chainSeq), entries.map((e) => e.prevHash), entries.map((e) => e.hash)],
      );
    }
    return entries.length;
  }

  /** One entry by its database id (node(id:) checks who may see it). */
  find(id: string): Promise<AuditEntryEntity | null> {
    return this.dataSource.getRepository(AuditEntryEntity).findOneBy({ id });
  }

  /** Hosts: their districts' trails; administrators: all. */
  async list(rc: RequestContext, filter: { districtCode?: string | null; action?: string | null; actorId?: string | null }, page: PageArgs): Promise<ConnectionShape<AuditEntryEntity>> {
    const viewer = rc.requireViewer();
    const query = this.dataSource.getRepository(AuditEntryEntity).createQueryBuilder('a');
    if (filter.districtCode) {
      if (!rc.isHostOf(filter.districtCode)) throw AppError.forbidden(msg('errors.audit.districtHostsOnly'));
      query.andWhere('a.district_code = :district', { district: filter.districtCode });
    } else if (!viewer.isAdmin) {
      if (viewer.hostOf.size === 0) throw AppError.forbidden(msg('errors.audit.hostsOnly'));
      query.andWhere('a.district_code IN (:...districts)', { districts: [...viewer.hostOf] });
    }
    if (filter.action) query.andWhere('a.action = :action', { action: filter.action });
    // An erased actor is found by its pseudonym, never by its former id (the chain keeps the id itself).
    if (filter.actorId) query.andWhere(`a.actor_id = ${accountAsShown(':actor')}`, { actor: fromGlobalId(filter.actorId, 'User', 'filter.actorId') });
    return paginate(query, page, { columns: [{ sql: 'a.id', value: (a) => Number(a.id) }], direction: 'DESC' }, (a) => a);
  }

  /**
   * Walks a district's chain, recomputing every hash: the first entry that does not match, if any.
   * One snapshot for the walk and the pending count: read apart, the chainer could commit between
   * them and the answer would say "nothing pending" of a chain it had not checked to the end.
   */
  async verify(districtCode: string): Promise<{ valid: boolean; checked: number; firstBrokenSeq: number | null; pending: number }> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      let previous = GENESIS;
      let checked = 0;
      let from = 0;
      for (;;) {
        const batch = await em
          .getRepository(AuditEntryEntity)
          .createQueryBuilder('a')
          .where('a.district_code = :district AND a.chain_seq > :from', { district: districtCode, from })
          .orderBy('a.chain_seq', 'ASC')
          .limit(BATCH)
          .getMany();
        for (const entry of batch) {
          checked += 1;
          if (entry.chainSeq !== checked || entry.prevHash !== previous || entry.hash !== auditHash(previous, entry)) {
            return { valid: false, checked, firstBrokenSeq: entry.chainSeq, pending: 0 };
          }
          previous = entry.hash!;
        }
        if (batch.length < BATCH) break;
        from = batch[batch.length - 1].chainSeq!;
      }
      const pending: { n: string }[] = await em.query(`SELECT count(*) AS n FROM audit_entries WHERE district_code = $1 AND chain_seq IS NULL`, [districtCode]);
      return { valid: true, checked, firstBrokenSeq: null, pending: Number(pending[0].n) };
    });
  }
}

