import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntryEntity, AuditOutcome, CITY } from '../audit/audit-entry.entity';
import { AuditScope, auditScope } from '../audit/audit-scope';

/** A transaction in progress: its entity manager, and work to do only once it has committed. */
export interface Tx {
  em: EntityManager;
  /** Runs after commit (events to publish, for instance); never runs if the transaction rolls back. */
  afterCommit(action: () => unknown): void;
  /**
   * The audit entry this transaction commits with, as it stands now, for a service that writes it in a
   * statement of its own (auditInsertSql) to save a round trip; once that statement has written it, it
   * calls `written()` and the commit adds none. Null outside a mutation's audit scope, or once written.
   */
  pendingAudit(): { row: AuditRow; written(): void } | null;
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
      let auditWritten = false;
      const pendingAudit = () => (scope && !scope.written && !auditWritten ? { row: auditEntry(scope, AuditOutcome.SUCCESS, null), written: () => void (auditWritten = true) } : null);
      const value = await work({ em, afterCommit: (action) => actions.push(action), pendingAudit });
      // The audit entry commits with the change it records, or not at all.
      if (scope && !scope.written && !auditWritten) await insertAuditEntry(em, auditEntry(scope, AuditOutcome.SUCCESS, null));
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

export type AuditRow = Pick<AuditEntryEntity, 'districtCode' | 'actorId' | 'action' | 'subject' | 'requestId' | 'outcome' | 'errorCode'> & { coarseTime: boolean };

/**
 * The INSERT of an audit entry, its parameters numbered from `$first` (auditParams gives them in
 * order), its rows from `source` (a FROM clause: `FROM first` writes it only when that CTE returned a
 * row), to be written within a statement of the service's own (Tx.pendingAudit).
 */
export function auditInsertSql(first: number, source = ''): string {
  const $ = (i: number) => `$${first + i}`;
  return `INSERT INTO audit_entries (district_code, actor_id, action, subject, request_id, outcome, error_code, created_at)
     SELECT ${$(0)}, ${$(1)}::uuid, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, CASE WHEN ${$(7)}::boolean THEN date_trunc('hour', now()) ELSE now() END ${source}`;
}

export function auditParams(row: AuditRow): unknown[] {
  return [row.districtCode, row.actorId, row.action, row.subject, row.requestId, row.outcome, row.errorCode, row.coarseTime];
}

/**
 * Writes an audit entry. Plain SQL, as every mutation pays for it: the query builder's insert built
 * the statement, asked for the generated columns back and ran entity listeners, all for nothing here.
 */
export async function insertAuditEntry(em: EntityManager, row: AuditRow): Promise<void> {
  await em.query(auditInsertSql(1), auditParams(row));
}
