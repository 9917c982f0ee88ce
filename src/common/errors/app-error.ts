import { t } from '../../i18n/i18n';
import { Locale } from '../../i18n/locale';

/**
 * Every error a client may act on carries one of these codes in `extensions.code`.
 * Domain codes are added here as features need them, so the list stays the one place to look.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  /** A refresh token was presented again after it had been rotated: its whole family is revoked. */
  TOKEN_REUSED = 'TOKEN_REUSED',
  /** A transition the state machine does not allow from the current state. */
  ILLEGAL_STATE = 'ILLEGAL_STATE',
  /** Voting eligibility, each refusal with its own code so apps can tell people what to do. */
  ORGANIZATION_CANNOT_VOTE = 'ORGANIZATION_CANNOT_VOTE',
  RESIDENCY_REQUIRED = 'RESIDENCY_REQUIRED',
  WRONG_DISTRICT = 'WRONG_DISTRICT',
  VOTING_NOT_OPEN = 'VOTING_NOT_OPEN',
  VOTING_CLOSED = 'VOTING_CLOSED',
  /** The round was cancelled before it opened: it never takes ballots, and has no results. */
  VOTING_CANCELLED = 'VOTING_CANCELLED',
  ALREADY_VOTED = 'ALREADY_VOTED',
  /** A round's results and ballot record are published when it closes, not before. */
  RESULTS_NOT_PUBLISHED = 'RESULTS_NOT_PUBLISHED',
  /** A district host or the last administrator must hand the role over before deleting the account. */
  HANDOVER_REQUIRED = 'HANDOVER_REQUIRED',
  /** The account has not accepted the current terms and privacy notice: it may read, and must `acceptTerms` before changing anything. */
  TERMS_NOT_ACCEPTED = 'TERMS_NOT_ACCEPTED',
  /** What a one-time link gave is no longer there: already fetched, or expired (HTTP 410). */
  GONE = 'GONE',
  /** Too many requests of a kind in a short time; `extensions.retryAfter` says in how many seconds to try again. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The service is reachable but a dependency (database, Redis) is not; retrying later may succeed. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * A message a person reads, as a catalogue key and the values put into it ("errors.notFound",
 * { thing: ... }): rendered in the reader's language when the error is answered, in English for the log.
 */
export interface Message {
  key: string;
  values?: Record<string, unknown>;
}

/** A message by key: `msg('account.errors.wrongPassword')`. */
export function msg(key: string, values?: Record<string, unknown>): Message {
  return values ? { key, values } : { key };
}

/** A message as code writes it: a catalogue key, or (until every call site has one) English text. */
export type MessageText = string | Message;

/** English text of a message: what the log and `Error.message` show. */
export function englishOf(text: MessageText): string {
  return typeof text === 'string' ? text : t(Locale.en, text.key, text.values);
}

export interface FieldProblem {
  /** Path of the offending input field, e.g. "input.email". */
  field: string;
  message: MessageText;
}

/** The one error type the services throw; formatted into a GraphQL error with its code. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** What the person reads, rendered in their language when the error is answered. */
    readonly text: MessageText,
    readonly fields?: FieldProblem[],
    readonly retryAfterSeconds?: number,
  ) {
    super(englishOf(text));
    this.name = 'AppError';
  }

  static unauthenticated(message: MessageText = 'Sign in to do this.'): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
  static forbidden(message: MessageText = 'You are not allowed to do this.'): AppError {
    return new AppError(ErrorCode.FORBIDDEN, message);
  }
  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
  }
  static conflict(message: MessageText): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }
  static badInput(fields: FieldProblem[]): AppError {
    const message = fields.map((f) => `${f.field}: ${englishOf(f.message)}`).join('; ');
    return new AppError(ErrorCode.BAD_USER_INPUT, `Invalid input. ${message}`, fields);
  }
  static illegalState(message: MessageText): AppError {
    return new AppError(ErrorCode.ILLEGAL_STATE, message);
  }
  static rateLimited(message: MessageText, retryAfterSeconds: number): AppError {
    return new AppError(ErrorCode.RATE_LIMITED, message, undefined, retryAfterSeconds);
  }
}

/** Extensions a client sees for a given error: its code, plus the fields for input errors. */
export function extensionsOf(error: AppError): Record<string, unknown> {
  switch (error.code) {
    case ErrorCode.BAD_USER_INPUT:
      return { code: error.code, fields: (error.fields ?? []).map((f) => ({ field: f.field, message: englishOf(f.message) })) };
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.TOKEN_REUSED:
    case ErrorCode.ILLEGAL_STATE:
    case ErrorCode.ORGANIZATION_CANNOT_VOTE:
    case ErrorCode.RESIDENCY_REQUIRED:
    case ErrorCode.WRONG_DISTRICT:
    case ErrorCode.VOTING_NOT_OPEN:
    case ErrorCode.VOTING_CLOSED:
    case ErrorCode.VOTING_CANCELLED:
    case ErrorCode.ALREADY_VOTED:
    case ErrorCode.RESULTS_NOT_PUBLISHED:
    case ErrorCode.HANDOVER_REQUIRED:
    case ErrorCode.TERMS_NOT_ACCEPTED:
    case ErrorCode.GONE:
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return { code: error.code };
    case ErrorCode.SERVICE_UNAVAILABLE:
      return { code: error.code, retryable: true };
    case ErrorCode.RATE_LIMITED:
      return { code: error.code, retryAfter: error.retryAfterSeconds ?? 60 };
    default: {
      const unhandled: never = error.code;
      throw new Error(`Unhandled error code ${String(unhandled)}`);
    }
  }
}
