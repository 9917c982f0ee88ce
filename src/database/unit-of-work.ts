import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntryEntity, AuditOutcome, CITY } from '../audit/audit-entry.entity';
import { AuditScope, auditScope } from '../audit/audit-scope';

/** A transaction in progress: its entity manager, and work to do only once it has committed. */
export interface Tx {
  em: EntityManager;
  /** Runs after commit (events to publish, for instance); never runs if the transaction rolls back. */
  afterCommit(action: () => unknown): void;
}

/**
 * One mutation is one transaction. Services run their writes through `run`, and publish their
 * events through `afterCommit`, so nobody hears of a change that was rolled back.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const actions: (() => unknown)[] = [];
    const scope = auditScope.getStore();
    const result = await this.dataSource.transaction(async (em) => {
      const value = await work({ em, afterCommit: (action) => actions.push(action) });
      // The audit entry commits with the change it records, or not at all.
      if (scope && !scope.written) await insertAuditEntry(em, auditEntry(scope, AuditOutcome.SUCCESS, null));
      return value;
    });
    if (scope) scope.written = true;
    for (const action of actions) {
      try {
        await action();
      } catch (error) {
        this.logger.error(error instanceof Error ? error : String(error), 'after-commit action failed');
      }
    }
    return result;
  }
}

/** The row recording a mutation: never its arguments, so no password, token or ballot choice. */
export function auditEntry(scope: AuditScope, outcome: AuditOutcome, errorCode: string | null): AuditRow {
  return {
    districtCode: scope.district ?? CITY,
    actorId: scope.anonymous ? null : (scope.rc.viewer?.id ?? null),
    action: scope.action.slice(0, 60),
    subject: scope.subject?.slice(0, 200) ?? null,
    // A ballot's entry has nothing to join it to its request's log line, nor a time finer than the hour.
    requestId: scope.anonymous ? null : scope.rc.requestId.slice(0, 100),
    outcome,
    errorCode,
    coarseTime: !!scope.anonymous,
  };
}

type AuditRow = Pick<AuditEntryEntity, 'districtCode' | 'actorId' | 'action' | 'subject' | 'requestId' | 'outcome' | 'errorCode'> & { coarseTime: boolean };

/**
 * Writes an audit entry. Plain SQL, as every mutation pays for it: the query builder's insert built
 * the statement, asked for the generated columns back and ran entity listeners, all for nothing here.
 */
export async function insertAuditEntry(em: EntityManager, row: AuditRow): Promise<void> {
  await em.query(
    `INSERT INTO audit_entries (district_code, actor_id, action, subject, request_id, outcome, error_code, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN date_trunc('hour', now()) ELSE now() END)`,
    [row.districtCode, row.actorId, row.action, row.subject, row.requestId, row.outcome, row.errorCode, row.coarseTime],
  );
}
