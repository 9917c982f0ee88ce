import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { requestedLocale } from '../../i18n/http-locale';
import { DEFAULT_LOCALE, Locale } from '../../i18n/locale';
import { AppError, ErrorCode, extensionsOf, msg, textOf } from './app-error';

/** Codes that graphql-js and Apollo give to problems with the request itself; kept as they are. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
]);

/**
 * Node and PostgreSQL error codes meaning the database cannot be reached right now, or cannot answer in
 * time: 57014 is a statement cancelled at DB_STATEMENT_TIMEOUT_MS (an overloaded database, or a wait for
 * a lock held longer than that).
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006']);

export const DATABASE_UNAVAILABLE_MESSAGE = msg('errors.unavailable.database');

/**
 * The language each error is answered in, by the error: Apollo's formatError is given the error but not
 * the request, so a plugin (answerLanguagePlugin) notes the request's language here first.
 */
const answerLocales = new WeakMap<object, Locale>();

export function answerIn(error: unknown, locale: Locale): void {
  if (error && typeof error === 'object') answerLocales.set(error, locale);
}

/** The language noted for an error (or for an error it wraps), else Thai. */
export function answerLocaleOf(error: unknown): Locale {
  for (let e = error; e && typeof e === 'object'; e = (e as { originalError?: unknown }).originalError) {
    const locale = answerLocales.get(e);
    if (locale) return locale;
    if ((e as { originalError?: unknown }).originalError === e) break;
  }
  return DEFAULT_LOCALE;
}

/** The language of a plain HTTP answer: the account's when a handler knew it (`req.locale`), else Accept-Language, else Thai. */
export function httpLocale(req: { headers: Record<string, unknown>; query?: Record<string, unknown>; locale?: Locale } | undefined): Locale {
  return req?.locale ?? (req ? requestedLocale(req) : null) ?? DEFAULT_LOCALE;
}

/** The AppError an error is or wraps (a GraphQLError made from one keeps it as originalError). */
export function appErrorIn(error: unknown): AppError | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { originalError?: unknown }).originalError) {
    if (e instanceof AppError) return e;
    if ((e as { originalError?: unknown }).originalError === e) break;
  }
  return undefined;
}

/** An AppError as a plain HTTP answer's body, in `locale`: `{ errors: [{ message, extensions }] }`. */
export function errorBody(error: AppError, locale: Locale, extra: Record<string, unknown> = {}): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message: textOf(error, locale), extensions: { ...extensionsOf(error, locale), ...extra } }] };
}

export function isDatabaseUnavailable(error: unknown): boolean {
  // By shape, not `instanceof Error`: socket errors come from Node's own realm, and graphql-js turns a
  // value it does not recognise as an Error into "Unexpected error value: <message>".
  if (!error || typeof error !== 'object' || typeof (error as { message?: unknown }).message !== 'string') return false;
  // Errors Apollo wraps (context creation) keep ours as originalError; with two copies of graphql
  // loaded (CommonJS and ESM), `instanceof GraphQLError` cannot be trusted, so look inside by shape.
  const inner = (error as { originalError?: unknown }).originalError;
  if (inner && inner !== error && isDatabaseUnavailable(inner)) return true;
  // What graphql-js wrapped as "Unexpected error value" (an error of another realm) is kept as thrownValue.
  const thrown = (error as { thrownValue?: unknown }).thrownValue;
  if (thrown && thrown !== error && isDatabaseUnavailable(thrown)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Connection is not established|connect ECONNREFUSED|ECONNRESET|read ETIMEDOUT|Query read timeout|Client was closed and is not queryable/i.test((error as Error).message);
}

/**
 * For Apollo's context function (authentication reads the session): a database failure there answers
 * like one during execution, SERVICE_UNAVAILABLE with HTTP 200, where Apollo would answer any error
 * thrown there with 500. Errors in the body and 200 is how Apollo (and Nest's driver, which resets the
 * status to 200 once an operation ran) reports every error of an operation; other errors pass unchanged.
 */
export function unavailableInContext(error: unknown, locale: Locale = DEFAULT_LOCALE): never {
  if (!isDatabaseUnavailable(error)) throw error;
  // No request context exists yet: the language is the one the request asked for.
  answerIn(error, locale);
  const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
  throw new GraphQLError(unavailable.message, { originalError: error as Error, extensions: { ...extensionsOf(unavailable), http: { status: 200 } } });
}

/** Whether an error is the server's fault (logged with its stack) rather than the client's. */
export function isInternalError(error: unknown): boolean {
  const original = error instanceof GraphQLError ? unwrapResolverError(error) : error;
  if (original instanceof AppError) return false;
  if (isDatabaseUnavailable(original)) return false;
  const code = original instanceof GraphQLError ? original.extensions?.code : undefined;
  return !(typeof code === 'string' && REQUEST_CODES.has(code));
}

/**
 * Apollo files every error a validation rule reports under GRAPHQL_VALIDATION_FAILED; the limits'
 * rule (documentShapeRule) gives its own code, kept here. Read by shape: two copies of graphql load.
 */
function validationRuleCode(error: unknown): string | undefined {
  const code = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
  return typeof code === 'string' && REQUEST_CODES.has(code) ? code : undefined;
}

/**
 * What a client sees of an error: a message in `locale` and `extensions.code`, never a stack trace.
 * Internal errors become INTERNAL_SERVER_ERROR with the request id to quote to support (they are logged
 * in full, in English). graphql-js's own messages (parse, validation) stay English: they are for developers.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, locale: Locale = answerLocaleOf(error)): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const requestId = formatted.extensions?.requestId;
  const base = { locations: formatted.locations, path: formatted.path };
  const appError = appErrorIn(original);
  if (appError) {
    return { ...base, message: textOf(appError, locale), extensions: { ...extensionsOf(appError, locale), ...(requestId ? { requestId } : {}) } };
  }
  if (isDatabaseUnavailable(original)) {
    const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
    return { ...base, message: textOf(unavailable, locale), extensions: { ...extensionsOf(unavailable, locale), requestId } };
  }
  const code = (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? validationRuleCode(error) : undefined) ?? formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_CODES.has(code) && !(original instanceof QueryFailedError)) {
    const { limit, retryAfter } = formatted.extensions ?? {};
    return {
      ...base,
      message: formatted.message,
      extensions: { code, ...(limit !== undefined ? { limit } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}), ...(requestId ? { requestId } : {}) },
    };
  }
  const internal = new AppError(ErrorCode.INTERNAL_SERVER_ERROR);
  return { ...base, message: textOf(internal, locale), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
}

/**
 * An error without graphql-js's "Did you mean ...?" suggestions (field, argument, type and enum value
 * names), which reveal the schema: production strips them from every error, on both transports. The
 * same pattern as Apollo's hideSchemaDetailsFromClientErrors, which covers only HTTP validation.
 */
export function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
  return message === error.message ? error : { ...error, message };
}
