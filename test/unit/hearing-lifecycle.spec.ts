import { AppError, ErrorCode } from '../../src/common/errors/app-error';
import { HearingStatus as S } from '../../src/hearings/entities/hearing.entity';
import { HEARING_ACTIONS, HearingAction, nextHearingStatus, opensEarly } from '../../src/hearings/hearing-lifecycle';

describe('the hearing state machine', () => {
  it('runs a hearing from scheduled to closed, with a break', () => {
    const path: [HearingAction, S][] = [
      ['open', S.OPEN],
      ['startSession', S.IN_SESSION],
      ['adjourn', S.ADJOURNED],
      ['resume', S.IN_SESSION],
      ['close', S.CLOSED],
    ];
    let status = S.SCHEDULED;
    for (const [action, expected] of path) {
      status = nextHearingStatus(action, status);
      expect(status).toBe(expected);
    }
  });

  it('cancels only before the session', () => {
    expect(nextHearingStatus('cancel', S.SCHEDULED)).toBe(S.CANCELLED);
    expect(nextHearingStatus('cancel', S.OPEN)).toBe(S.CANCELLED);
    for (const status of [S.IN_SESSION, S.ADJOURNED, S.CLOSED, S.CANCELLED]) expect(() => nextHearingStatus('cancel', status)).toThrow(`Cannot cancel a hearing that is ${status}.`);
  });

  it('refuses every move the table does not list, with ILLEGAL_STATE naming the status', () => {
    for (const [action, move] of Object.entries(HEARING_ACTIONS) as [HearingAction, (typeof HEARING_ACTIONS)[HearingAction]][]) {
      for (const status of Object.values(S)) {
        const attempt = () => nextHearingStatus(action, status);
        if ((move.from as readonly S[]).includes(status)) {
          expect(attempt()).toBe(move.to);
          continue;
        }
        let refusal: unknown;
        try {
          attempt();
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toBeInstanceOf(AppError);
        expect((refusal as AppError).code).toBe(ErrorCode.ILLEGAL_STATE);
        expect((refusal as AppError).message).toContain(status);
      }
    }
  });

  it('lets the doors open within the hour before the start without a reason, not earlier', () => {
    const startsAt = new Date('2026-12-05T02:00:00Z');
    const before = (ms: number) => new Date(startsAt.getTime() - ms);
    expect(opensEarly(startsAt, before(3600_000))).toBe(false);
    expect(opensEarly(startsAt, before(3600_001))).toBe(true);
    expect(opensEarly(startsAt, before(3 * 86_400_000))).toBe(true);
    expect(opensEarly(startsAt, before(-600_000))).toBe(false);
  });
});
