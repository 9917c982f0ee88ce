import { AppError, ErrorCode } from '../../src/common/errors/app-error';
import { ProposalStatus as S } from '../../src/proposals/entities/proposal.entity';
import { nextStatus, PROPOSAL_ACTIONS, ProposalAction } from '../../src/proposals/proposal-lifecycle';

describe('the proposal state machine', () => {
  it('follows the path of a plan from draft to completion', () => {
    const path: [ProposalAction, S][] = [
      ['publish', S.PUBLISHED],
      ['qualify', S.QUALIFIED],
      ['takeToHearing', S.IN_HEARING],
      ['concludeHearing', S.HEARD],
      ['putToVote', S.IN_VOTE],
      ['adopt', S.ADOPTED],
      ['startWork', S.IN_PROGRESS],
      ['complete', S.COMPLETED],
    ];
    let status = S.DRAFT;
    for (const [action, expected] of path) {
      status = nextStatus(action, status, null);
      expect(status).toBe(expected);
    }
  });

  it('refuses every move the table does not list, with ILLEGAL_STATE', () => {
    for (const [action, move] of Object.entries(PROPOSAL_ACTIONS) as [ProposalAction, (typeof PROPOSAL_ACTIONS)[ProposalAction]][]) {
      for (const status of Object.values(S)) {
        const allowed = (move.from as readonly S[]).includes(status);
        const attempt = () => nextStatus(action, status, S.PUBLISHED);
        if (allowed) {
          expect(attempt).not.toThrow();
        } else {
          expect(attempt).toThrow(AppError);
          try {
            attempt();
          } catch (error) {
            expect((error as AppError).code).toBe(ErrorCode.ILLEGAL_STATE);
            expect((error as AppError).message).toContain(status);
          }
        }
      }
    }
  });

  it('never lets a plan be withdrawn or edited-away once its vote has started', () => {
    for (const status of [S.IN_VOTE, S.ADOPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED]) {
      expect(() => nextStatus('withdraw', status, null)).toThrow('Cannot withdraw');
    }
    expect(() => nextStatus('hide', S.IN_VOTE, null)).toThrow('Cannot hide');
  });

  it('puts a plan on an agenda to a vote only once it has been heard', () => {
    expect(() => nextStatus('putToVote', S.IN_HEARING, null)).toThrow('Cannot put to a vote a proposal that is IN_HEARING.');
    expect(nextStatus('putToVote', S.HEARD, null)).toBe(S.IN_VOTE);
    // A heard plan may be heard again, and comes back heard if that hearing is called off.
    expect(nextStatus('takeToHearing', S.HEARD, null)).toBe(S.IN_HEARING);
    expect(nextStatus('returnFromHearing', S.IN_HEARING, S.HEARD)).toBe(S.HEARD);
  });

  it('restores a hidden plan to the status it had', () => {
    expect(nextStatus('restore', S.HIDDEN, S.QUALIFIED)).toBe(S.QUALIFIED);
    expect(() => nextStatus('restore', S.HIDDEN, null)).toThrow(AppError);
  });
});
