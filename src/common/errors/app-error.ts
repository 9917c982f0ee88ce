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
  /** A body larger than the limit of its kind (an uploaded photo); nothing was kept (HTTP 413). */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** Too many requests of a kind in a short time; `extensions.retryAfter` says in how many seconds to try again. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A district (or the city) already has the most pinned announcements it may: unpin one first. */
  PIN_LIMIT_REACHED = 'PIN_LIMIT_REACHED',
  /** The service is reachable but a dependency (database, Redis) is not; retrying later may succeed. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** Questionnaires: a response to one that is not OPEN (`extensions.status`). */
  QUESTIONNAIRE_NOT_OPEN = 'QUESTIONNAIRE_NOT_OPEN',
  /** Questionnaires: its questions froze when it opened. */
  QUESTIONS_FROZEN = 'QUESTIONS_FROZEN',
  /** Questionnaires: the respondent is not in its audience (`extensions.audience`). */
  NOT_IN_AUDIENCE = 'NOT_IN_AUDIENCE',
  /** Refused answers, each naming its question in `extensions.questionId` (and `extensions.field`): nothing of the response is stored. */
  ANSWER_TYPE_MISMATCH = 'ANSWER_TYPE_MISMATCH',
  ANSWER_OPTION_NOT_OF_QUESTION = 'ANSWER_OPTION_NOT_OF_QUESTION',
  ANSWER_REQUIRED = 'ANSWER_REQUIRED',
  ANSWER_TO_HIDDEN_QUESTION = 'ANSWER_TO_HIDDEN_QUESTION',
  ANSWER_OUT_OF_RANGE = 'ANSWER_OUT_OF_RANGE',
  ANSWER_CHOICE_COUNT = 'ANSWER_CHOICE_COUNT',
  ANSWER_RANKING_NOT_PERMUTATION = 'ANSWER_RANKING_NOT_PERMUTATION',
}

/**
 * A message a person reads, as a catalogue key and the values put into it ("errors.notFound",
 * { thing: ... }): rendered in the reader's language when the error is answered, in English for the log.
 */
export interface Message {
  key: string;
  values?: Record<string, unknown>;
}

/**
 * A message by key: `msg('account.errors.wrongPassword')`. A value may itself be a message (the thing
 * that was not found, a reason), rendered in the same language as the message it goes into, or data
 * kept in both languages (`{ th: district.nameTh, en: district.nameEn }`), of which the reader's is put in.
 */
export function msg(key: string, values?: Record<string, unknown>): Message {
  return values ? { key, values } : { key };
}

function isBilingual(value: unknown): value is Record<Locale, string> {
  return !!value && typeof value === 'object' && Object.keys(value).sort().join() === 'en,th';
}

function isMessage(value: unknown): value is Message {
  return !!value && typeof value === 'object' && typeof (value as Message).key === 'string' && Object.keys(value).every((k) => k === 'key' || k === 'values');
}

/** A message as code writes it: always a catalogue key, so that every message has its Thai and its English. */
export type MessageText = Message;

/** A note on a record: a person's own words (kept as written, in their language) or a message the platform writes (rendered per reader). */
export type Note = string | Message;

/** A message in a reader's language, its values that are messages rendered in that language too. */
export function renderMessage(locale: Locale, text: MessageText): string {
  const rendered = (value: unknown) => (value instanceof FieldProblems ? value.in(locale) : isMessage(value) ? renderMessage(locale, value) : isBilingual(value) ? value[locale] : value);
  const values = text.values && Object.fromEntries(Object.entries(text.values).map(([name, value]) => [name, rendered(value)]));
  return t(locale, text.key, values);
}

/** English text of a message: what the log and `Error.message` show. */
export function englishOf(text: MessageText): string {
  return renderMessage(Locale.en, text);
}

/** The message every code has when nothing more particular is said ("errors.codes.FORBIDDEN"). */
export function defaultMessage(code: ErrorCode): Message {
  return msg(`errors.codes.${code}`);
}

export function defaultMessageKeys(): string[] {
  return Object.values(ErrorCode).map((code) => defaultMessage(code).key);
}

/**
 * What may be not found, each with its name in both languages ("errors.things.<Thing>"): the kinds of
 * node, and a few things that are not nodes.
 */
export const THINGS = [
  'Account',
  'Announcement',
  'Comment',
  'Hearing',
  'Notification',
  'Open311Key',
  'Proposal',
  'QuestionnaireTextAnswer',
  'Question',
  'Questionnaire',
  'Report',
  'ReportCategory',
  'Registration',
  'ResidencyRequest',
  'Session',
  'Statement',
  'User',
  'VotingRound',
  'YourRegistration',
  'YourSpeakerRequest',
] as const;
export type Thing = (typeof THINGS)[number];

export function thing(name: Thing): Message {
  return msg(`errors.things.${name}`);
}

export function thingKeys(): string[] {
  return THINGS.map((name) => thing(name).key);
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
    readonly text: MessageText = defaultMessage(code),
    readonly fields?: FieldProblem[],
    readonly retryAfterSeconds?: number,
    /** What the client sees beside the code, for the codes that carry more (the question an answer was refused for). */
    readonly details?: Record<string, unknown>,
  ) {
    super(englishOf(text));
    this.name = 'AppError';
  }

  static unauthenticated(message: MessageText = defaultMessage(ErrorCode.UNAUTHENTICATED)): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
  static forbidden(message: MessageText = defaultMessage(ErrorCode.FORBIDDEN)): AppError {
    return new AppError(ErrorCode.FORBIDDEN, message);
  }
  /** NOT_FOUND: "Proposal was not found.", the thing named in the reader's language. */
  static notFound(what: Thing | Message): AppError {
    return new AppError(ErrorCode.NOT_FOUND, msg('errors.notFound', { thing: typeof what === 'string' ? thing(what) : what }));
  }
  static conflict(message: MessageText): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }
  static badInput(fields: FieldProblem[]): AppError {
    return new AppError(ErrorCode.BAD_USER_INPUT, msg('errors.input.invalid', { problems: new FieldProblems(fields) }), fields);
  }
  static illegalState(message: MessageText): AppError {
    return new AppError(ErrorCode.ILLEGAL_STATE, message);
  }
  static rateLimited(message: MessageText, retryAfterSeconds: number): AppError {
    return new AppError(ErrorCode.RATE_LIMITED, message, undefined, retryAfterSeconds);
  }
}

/**
 * The list of an input error's problems ("input.title: is required; input.body: ..."), put into
 * errors.input.invalid: a value rendered in the language of the message it goes into.
 */
class FieldProblems {
  constructor(readonly fields: FieldProblem[]) {}
  in(locale: Locale): string {
    return this.fields.map((f) => t(locale, 'errors.input.problem', { field: f.field, problem: renderMessage(locale, f.message) })).join(t(locale, 'errors.input.separator'));
  }
}

/** What the person reads of an error, in their language. */
export function textOf(error: AppError, locale: Locale): string {
  return renderMessage(locale, error.text);
}

/** Extensions a client sees for a given error: its code, plus the fields for input errors (in `locale`, English by default). */
export function extensionsOf(error: AppError, locale: Locale = Locale.en): Record<string, unknown> {
  switch (error.code) {
    case ErrorCode.BAD_USER_INPUT:
      return { code: error.code, fields: (error.fields ?? []).map((f) => ({ field: f.field, message: renderMessage(locale, f.message) })) };
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
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.PIN_LIMIT_REACHED:
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return { code: error.code };
    case ErrorCode.SERVICE_UNAVAILABLE:
      return { code: error.code, retryable: true };
    case ErrorCode.RATE_LIMITED:
      return { code: error.code, retryAfter: error.retryAfterSeconds ?? 60 };
    case ErrorCode.QUESTIONNAIRE_NOT_OPEN:
    case ErrorCode.QUESTIONS_FROZEN:
    case ErrorCode.NOT_IN_AUDIENCE:
    case ErrorCode.ANSWER_TYPE_MISMATCH:
    case ErrorCode.ANSWER_OPTION_NOT_OF_QUESTION:
    case ErrorCode.ANSWER_REQUIRED:
    case ErrorCode.ANSWER_TO_HIDDEN_QUESTION:
    case ErrorCode.ANSWER_OUT_OF_RANGE:
    case ErrorCode.ANSWER_CHOICE_COUNT:
    case ErrorCode.ANSWER_RANKING_NOT_PERMUTATION:
      return { code: error.code, ...error.details };
    default: {
      const unhandled: never = error.code;
      throw new Error(`Unhandled error code ${String(unhandled)}`);
    }
  }
}
