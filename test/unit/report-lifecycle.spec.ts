import { AppError, ErrorCode } from '../../src/common/errors/app-error';
import { ReportStatus as S } from '../../src/reports/entities/report.entity';
import { nextReportStatus, OPEN_STATUSES, REPORT_ACTIONS, ReportAction } from '../../src/reports/report-lifecycle';

describe('the report state machine', () => {
  it('follows a report from receipt to resolution, and back to work when reopened', () => {
    const path: [ReportAction, S][] = [
      ['accept', S.ACCEPTED],
      ['startWork', S.IN_PROGRESS],
      ['resolve', S.RESOLVED],
      ['reopen', S.IN_PROGRESS],
      ['resolve', S.RESOLVED],
    ];
    let status = S.RECEIVED;
    for (const [action, expected] of path) {
      status = nextReportStatus(action, status);
      expect(status).toBe(expected);
    }
  });

  it('refuses every move the table does not list, with ILLEGAL_STATE', () => {
    for (const [action, move] of Object.entries(REPORT_ACTIONS) as [ReportAction, (typeof REPORT_ACTIONS)[ReportAction]][]) {
      for (const status of Object.values(S)) {
        const attempt = () => nextReportStatus(action, status);
        if ((move.from as readonly S[]).includes(status)) {
          expect(attempt()).toBe(move.to);
        } else {
          expect(attempt).toThrow(AppError);
          try {
            attempt();
          } catch (error) {
            expect((error as AppError).code).toBe(ErrorCode.ILLEGAL_STATE);
          }
        }
      }
    }
  });

  it('ends a report that was rejected, forwarded outside or merged: nothing moves it again', () => {
    for (const status of [S.REJECTED, S.FORWARDED, S.MERGED]) {
      for (const action of Object.keys(REPORT_ACTIONS) as ReportAction[]) expect(() => nextReportStatus(action, status)).toThrow(AppError);
      expect(OPEN_STATUSES).not.toContain(status);
    }
  });

  it('forwards to another district as a new receipt there', () => {
    expect(nextReportStatus('forwardToDistrict', S.ACCEPTED)).toBe(S.RECEIVED);
    expect(() => nextReportStatus('forwardToDistrict', S.IN_PROGRESS)).toThrow(AppError);
  });
});
