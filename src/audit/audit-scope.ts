import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext } from '../common/context/request-context';

/** What the audit knows of the mutation being run, for the transaction that carries it out. */
export interface AuditScope {
  rc: RequestContext;
  action: string;
  district?: string;
  subject?: string | null;
  /** Ballots are audited without their voter, their request id or a time finer than the hour. */
  anonymous?: boolean;
  /** Set once an entry for this mutation is in a committed transaction. */
  written: boolean;
}

export const auditScope = new AsyncLocalStorage<AuditScope>();

/** Services say where an action belongs (district) and what it was on; the audit entry takes it from here. */
export function auditAbout(annotation: { district?: string; subject?: string | null; anonymous?: boolean }): void {
  const scope = auditScope.getStore();
  if (!scope) return;
  if (annotation.district !== undefined && scope.district === undefined) scope.district = annotation.district;
  if (annotation.subject !== undefined && scope.subject === undefined) scope.subject = annotation.subject;
  if (annotation.anonymous) scope.anonymous = true;
}
