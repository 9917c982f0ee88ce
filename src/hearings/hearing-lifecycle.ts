import { AppError, msg } from '../common/errors/app-error';
import { HearingStatus as S } from './entities/hearing.entity';

/** The one state machine of a hearing; every move is a host's (or an administrator's). */
export const HEARING_ACTIONS = {
  open: { from: [S.SCHEDULED], to: S.OPEN },
  startSession: { from: [S.OPEN], to: S.IN_SESSION },
  adjourn: { from: [S.IN_SESSION], to: S.ADJOURNED },
  resume: { from: [S.ADJOURNED], to: S.IN_SESSION },
  close: { from: [S.IN_SESSION, S.ADJOURNED], to: S.CLOSED },
  cancel: { from: [S.SCHEDULED, S.OPEN], to: S.CANCELLED },
} as const satisfies Record<string, { from: readonly S[]; to: S }>;

export type HearingAction = keyof typeof HEARING_ACTIONS;

export function nextHearingStatus(action: HearingAction, current: S): S {
  const move = HEARING_ACTIONS[action];
  if (!(move.from as readonly S[]).includes(current)) throw AppError.illegalState(msg('errors.hearings.cannot', { action: msg(`errors.hearings.actions.${action}`), status: current }));
  return move.to;
}

/** Before the session: the schedule and the agenda may still change. */
export const PLANNABLE: readonly S[] = [S.SCHEDULED, S.OPEN];
/** Registration is open until the hearing ends. */
export const REGISTRABLE: readonly S[] = [S.SCHEDULED, S.OPEN, S.IN_SESSION, S.ADJOURNED];
/** Check-in runs from doors opening to closing. */
export const CHECK_IN: readonly S[] = [S.OPEN, S.IN_SESSION, S.ADJOURNED];
/** Questions may be asked and voted on while people are there. */
export const LIVE: readonly S[] = [S.OPEN, S.IN_SESSION, S.ADJOURNED];
/** Not over yet: a proposal on the agenda of such a hearing is still to be heard there. */
export const NOT_OVER: readonly S[] = [S.SCHEDULED, S.OPEN, S.IN_SESSION, S.ADJOURNED];

/**
 * Doors usually open for check-in within the hour before a hearing starts. Opening earlier (days
 * ahead, say) needs a reason, which the hearing and its minutes keep.
 */
export const OPENING_WINDOW_MS = 3600_000;

/** Whether opening now is earlier than the window before the scheduled start. */
export function opensEarly(startsAt: Date, now: Date): boolean {
  return startsAt.getTime() - now.getTime() > OPENING_WINDOW_MS;
}
