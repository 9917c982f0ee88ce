import { Viewer } from '../../src/common/context/request-context';
import { ReportEntity, ReportStatus as S } from '../../src/reports/entities/report.entity';
import { keepDue, receive, reopenDeadline } from '../../src/reports/report-deadlines';
import { ReportLive, ReportQueueUpdateKind, ReportUpdateKind } from '../../src/reports/report-live';

const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * HOUR);

describe('report deadlines', () => {
  it('runs both deadlines from receipt, follows the status, and clears the overdue mark when the deadline moves', () => {
    const report = { status: S.RECEIVED, dueAt: null, overdueSince: null } as unknown as ReportEntity;
    receive(report, { acceptWithinHours: 24, resolveWithinHours: 72 }, at(0));
    expect([report.acceptDueAt, report.resolveDueAt, report.dueAt]).toEqual([at(24), at(72), at(24)]);
    report.overdueSince = at(24);
    // Still RECEIVED, the same deadline: still overdue.
    keepDue(report);
    expect(report.overdueSince).toEqual(at(24));
    // Accepted late: the next deadline is the resolution, not missed yet.
    report.status = S.ACCEPTED;
    keepDue(report);
    expect([report.dueAt, report.overdueSince]).toEqual([at(72), null]);
    // Resolved: no deadline while closed; reopened: a fresh time to resolve.
    report.status = S.RESOLVED;
    keepDue(report);
    expect(report.dueAt).toBeNull();
    report.status = S.IN_PROGRESS;
    reopenDeadline(report, { acceptWithinHours: 24, resolveWithinHours: 72 }, at(100));
    expect(report.dueAt).toEqual(at(172));
  });
});

describe('who hears a report’s live events', () => {
  const viewer = (over: Partial<Viewer>): Viewer => ({ id: 'u', isAdmin: false, hostOf: new Set<string>(), ...over }) as Viewer;
  const event = (kind: ReportUpdateKind | ReportQueueUpdateKind, staffOnly: boolean) => ({ reportId: 'r', kind, districtCode: '1001', staffOnly });

  it('lets anyone hear a step, and only the district’s staff and administrators a breach or the queue', () => {
    const step = event(ReportUpdateKind.STATUS_CHANGED, false);
    const breach = event(ReportUpdateKind.BREACHED, true);
    expect([null, viewer({}), viewer({ hostOf: new Set(['1002']) })].map((v) => ReportLive.mayHear(v, step))).toEqual([true, true, true]);
    expect([null, viewer({}), viewer({ hostOf: new Set(['1002']) }), viewer({ hostOf: new Set(['1001']) }), viewer({ isAdmin: true })].map((v) => ReportLive.mayHear(v, breach))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
