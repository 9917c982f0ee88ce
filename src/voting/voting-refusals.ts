import { AppError, ErrorCode } from '../common/errors/app-error';

/**
 * How a round's state refuses what it cannot do yet or any more: one condition, one code, in
 * GraphQL and in the open-data downloads alike (there as HTTP 409 with the same code).
 */
export const VotingRefusal = {
  notOpenYet: (opensAt: Date) => new AppError(ErrorCode.VOTING_NOT_OPEN, `Voting opens at ${opensAt.toISOString()}.`),
  closed: () => new AppError(ErrorCode.VOTING_CLOSED, 'Voting in this round has closed.'),
  cancelled: (reason: string | null) => new AppError(ErrorCode.VOTING_CANCELLED, `This round was cancelled before it opened${reason ? `: ${reason}` : '.'}`),
  notPublished: () => new AppError(ErrorCode.RESULTS_NOT_PUBLISHED, 'The results and the ballot record are published when the round closes.'),
};
