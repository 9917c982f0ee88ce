import { AppError, defaultMessage, ErrorCode, msg } from '../common/errors/app-error';
import { formatDateTime } from '../i18n/dates';
import { Locale } from '../i18n/locale';

/**
 * How a round's state refuses what it cannot do yet or any more: one condition, one code, in
 * GraphQL and in the open-data downloads alike (there as HTTP 409 with the same code).
 */
export const VotingRefusal = {
  notOpenYet: (opensAt: Date) => new AppError(ErrorCode.VOTING_NOT_OPEN, msg('errors.voting.opensAt', { opensAt: { th: formatDateTime(Locale.th, opensAt), en: opensAt.toISOString() } })),
  closed: () => new AppError(ErrorCode.VOTING_CLOSED),
  cancelled: (reason: string | null) => new AppError(ErrorCode.VOTING_CANCELLED, reason ? msg('errors.voting.cancelledBecause', { reason }) : defaultMessage(ErrorCode.VOTING_CANCELLED)),
  notPublished: () => new AppError(ErrorCode.RESULTS_NOT_PUBLISHED),
};
