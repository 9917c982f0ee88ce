import { EntityManager } from 'typeorm';
import { ReportCategoryEntity, ReportDistrictTargetEntity, ReportEntity, ReportStatus } from './entities/report.entity';

const HOUR = 3_600_000;

/** Hours from a district's receipt of a report to its acceptance, and to its resolution. */
export interface ServiceTargets {
  acceptWithinHours: number;
  resolveWithinHours: number;
}

/**
 * The targets a district works to for a category: its own where it tightened them, the city's otherwise.
 * Each the tighter of the two, so that a city target tightened after a district set its own still binds.
 */
export async function targetsFor(em: EntityManager, districtCode: string, categoryCode: string): Promise<ServiceTargets> {
  const city = await em.findOneByOrFail(ReportCategoryEntity, { code: categoryCode });
  const own = await em.findOneBy(ReportDistrictTargetEntity, { districtCode, categoryCode });
  if (!own) return city;
  return { acceptWithinHours: Math.min(own.acceptWithinHours, city.acceptWithinHours), resolveWithinHours: Math.min(own.resolveWithinHours, city.resolveWithinHours) };
}

/** A district receives a report (submitted to it, or forwarded to it): both its deadlines run from now. */
export function receive(report: ReportEntity, targets: ServiceTargets, now: Date): void {
  report.receivedAt = now;
  report.acceptedAt = null;
  report.acceptDueAt = new Date(now.getTime() + targets.acceptWithinHours * HOUR);
  report.resolveDueAt = new Date(now.getTime() + targets.resolveWithinHours * HOUR);
  keepDue(report);
}

/** A reopened report: the work is taken up again, with a fresh time to resolve. */
export function reopenDeadline(report: ReportEntity, targets: ServiceTargets, now: Date): void {
  report.resolveDueAt = new Date(now.getTime() + targets.resolveWithinHours * HOUR);
  keepDue(report);
}

/** The next deadline a report can miss in its status: accepting, then resolving; none once it is closed. */
export function nextDeadline(report: Pick<ReportEntity, 'status' | 'acceptDueAt' | 'resolveDueAt'>): Date | null {
  switch (report.status) {
    case ReportStatus.RECEIVED:
      return report.acceptDueAt;
    case ReportStatus.ACCEPTED:
    case ReportStatus.IN_PROGRESS:
      return report.resolveDueAt;
    default:
      return null;
  }
}

/**
 * Brings `due_at` in line with the report's status and deadlines. A deadline that changed is not missed
 * yet: `overdue_since` is cleared, and the clock job marks it again if the new one has passed too.
 */
export function keepDue(report: ReportEntity): void {
  const next = nextDeadline(report);
  if ((next?.getTime() ?? null) !== (report.dueAt?.getTime() ?? null)) {
    report.dueAt = next;
    report.overdueSince = null;
  }
}
