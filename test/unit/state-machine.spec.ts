import { AppError, msg } from '../../src/common/errors/app-error';
import { stateMachine } from '../../src/common/lifecycle/state-machine';

type S = 'OPEN' | 'SHUT' | 'HIDDEN';
const TABLE = {
  shut: { from: ['OPEN'], to: 'SHUT' },
  hide: { from: ['OPEN', 'SHUT'], to: 'HIDDEN' },
  restore: { from: ['HIDDEN'], to: 'previous' },
} as const;

describe('stateMachine: the step function behind every lifecycle table', () => {
  const refused: string[] = [];
  const next = stateMachine<S, keyof typeof TABLE>(
    TABLE,
    (action, current) => {
      refused.push(`${action} from ${current}`);
      return AppError.illegalState(msg('errors.proposals.noPreviousStatus'));
    },
    () => AppError.conflict(msg('errors.proposals.noPreviousStatus')),
  );

  it('leads an allowed action to its status, and `previous` back to the status given', () => {
    expect(next('shut', 'OPEN')).toBe('SHUT');
    expect(next('hide', 'SHUT')).toBe('HIDDEN');
    expect(next('restore', 'HIDDEN', 'SHUT')).toBe('SHUT');
  });

  it("refuses an action from a status it does not start from with the table's own error, naming both", () => {
    expect(() => next('shut', 'SHUT')).toThrow(AppError);
    expect(() => next('restore', 'OPEN', 'SHUT')).toThrow(AppError);
    expect(refused).toEqual(['shut from SHUT', 'restore from OPEN']);
  });

  it('refuses going back when nothing was kept to go back to', () => {
    let error: unknown;
    try {
      next('restore', 'HIDDEN', null);
    } catch (e) {
      error = e;
    }
    expect((error as AppError).code).toBe('CONFLICT');
  });
});
