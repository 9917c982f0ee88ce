import { AppError, msg } from '../common/errors/app-error';
import { stateMachine } from '../common/lifecycle/state-machine';
import { ReportStatus as S } from './entities/report.entity';

/**
 * The one state machine of a resident's report. Each action names the statuses it may start from and
 * the status it leads to. Who may take an action is checked by ReportsService: the district's staff
 * (hosts) and administrators take every action but `reopen`, which is the reporter's.
 */
export const REPORT_ACTIONS = {
  accept: { from: [S.RECEIVED], to: S.ACCEPTED },
  startWork: { from: [S.ACCEPTED], to: S.IN_PROGRESS },
  resolve: { from: [S.ACCEPTED, S.IN_PROGRESS], to: S.RESOLVED },
  /** With a reason the reporter is shown. */
  reject: { from: [S.RECEIVED, S.ACCEPTED], to: S.REJECTED },
  /** To another district, which owns it from then on and receives it afresh. */
  forwardToDistrict: { from: [S.RECEIVED, S.ACCEPTED], to: S.RECEIVED },
  /** To a named agency outside the districts, with a note. */
  forwardToAgency: { from: [S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS], to: S.FORWARDED },
  /** A duplicate of another open report of the same district, which its supporters follow. */
  merge: { from: [S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS], to: S.MERGED },
  /** By the reporter, within REOPEN_DAYS of its resolution, with a reason: the work is taken up again. */
  reopen: { from: [S.RESOLVED], to: S.IN_PROGRESS },
} as const satisfies Record<string, { from: readonly S[]; to: S }>;

export type ReportAction = keyof typeof REPORT_ACTIONS;

/**
 * Statuses of a report still being dealt with: a duplicate is looked for among them, and merged into one of them.
 * The duplicate search's index (IDX_reports_open_place, migration 1796365000006) lists them too: change both.
 */
export const OPEN_STATUSES: readonly S[] = [S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS];

/** How long after its resolution the reporter may reopen a report. */
export const REOPEN_DAYS = 7;

/** The status an action leads to from `current`, or ILLEGAL_STATE saying why not. */
export const nextReportStatus: (action: ReportAction, current: S) => S = stateMachine<S, ReportAction>(REPORT_ACTIONS, (action, current) =>
  AppError.illegalState(msg('reports.errors.cannot', { action: msg(`reports.actions.${action}`), status: msg(`enums.ReportStatus.${current}`) })),
);
