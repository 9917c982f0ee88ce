import { AppError } from '../errors/app-error';

/** One action of a state machine: the statuses it may start from, and where it leads (`previous`: back to the status kept for it). */
export interface Move<S extends string> {
  from: readonly S[];
  to: S | 'previous';
}

/**
 * The step function of a state machine written as a table (proposals, reports): the status an action
 * leads to from `current`, or the error `refuse` builds (ILLEGAL_STATE, in the feature's own words).
 */
export function stateMachine<S extends string, A extends string>(
  table: Record<A, Move<S>>,
  refuse: (action: A, current: S) => AppError,
  noPrevious?: () => AppError,
): (action: A, current: S, previous?: S | null) => S {
  return (action, current, previous = null) => {
    const move = table[action];
    if (!move.from.includes(current)) throw refuse(action, current);
    if (move.to !== 'previous') return move.to;
    if (!previous) throw noPrevious ? noPrevious() : refuse(action, current);
    return previous;
  };
}
