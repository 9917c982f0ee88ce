import { GraphQLError } from 'graphql';
import { AppError, ErrorCode, msg } from '../../src/common/errors/app-error';
import { Locale } from '../../src/i18n/locale';
import { formatGraphQLError, isInternalError, unavailableInContext, withoutSuggestions } from '../../src/common/errors/format-error';

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['someField'], originalError: original, extensions: { requestId: 'req-1' } });
}

describe('error formatting', () => {
  it('hides an unexpected error behind INTERNAL_SERVER_ERROR with the request id, and no stack', () => {
    const error = resolverError(new TypeError("Cannot read properties of undefined (reading 'password_hash')"));
    const formatted = formatGraphQLError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1', stacktrace: ['at x'] } }, error, Locale.en);
    expect(formatted).toEqual({ message: 'Internal server error.', path: ['someField'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' } });
    expect(isInternalError(error)).toBe(true);
  });

  it('keeps an AppError message and code, with the offending fields for bad input', () => {
    const error = resolverError(AppError.badInput([{ field: 'input.title', message: msg('errors.input.required') }]));
    const formatted = formatGraphQLError(error.toJSON(), error, Locale.en);
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.title', message: 'is required' }], requestId: 'req-1' });
    expect(formatted.message).toBe('Invalid input. input.title: is required');
    expect(isInternalError(error)).toBe(false);
  });

  it('answers in the language asked for (Thai by default), and keeps English for the log', () => {
    const error = resolverError(AppError.badInput([{ field: 'input.title', message: msg('errors.input.required') }]));
    const thai = formatGraphQLError(error.toJSON(), error);
    expect(thai.message).toBe('ข้อมูลที่กรอกไม่ถูกต้อง input.title: จำเป็นต้องกรอก');
    expect(thai.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.title', message: 'จำเป็นต้องกรอก' }] });
    expect(error.originalError?.message).toBe('Invalid input. input.title: is required');
    const notFound = resolverError(AppError.notFound('Proposal'));
    expect(formatGraphQLError(notFound.toJSON(), notFound, Locale.th).message).toBe('ไม่พบข้อเสนอ');
    expect(formatGraphQLError(notFound.toJSON(), notFound, Locale.en).message).toBe('Proposal was not found.');
  });

  it.each([
    [Locale.en, 'The database is unavailable right now: please retry shortly.'],
    [Locale.th, 'ฐานข้อมูลไม่พร้อมใช้งานในขณะนี้ กรุณาลองใหม่อีกครั้งในไม่ช้า'],
  ])('answers a database failure before any context exists in the language the request asked for (%s)', (locale, message) => {
    let thrown: unknown;
    try {
      unavailableInContext(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), locale);
    } catch (error) {
      thrown = error;
    }
    // As Apollo formats it: without a request context, from the error alone.
    const formatted = formatGraphQLError((thrown as GraphQLError).toJSON(), thrown);
    expect(formatted).toMatchObject({ message, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
  });

  it.each(Object.values(ErrorCode))('%s has its default message in Thai and in English', (code) => {
    const error = new AppError(code);
    expect(error.message.length).toBeGreaterThan(0);
    expect(formatGraphQLError({ message: '' }, error, Locale.th).message).toMatch(/[\u0E00-\u0E7F]/);
    expect(formatGraphQLError({ message: '' }, error, Locale.en).message).toBe(error.message);
  });

  it('tells the client to retry when the database is unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const error = resolverError(refused);
    const formatted = formatGraphQLError(error.toJSON(), error);
    expect(formatted.extensions).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
    expect(formatted.message).not.toContain('127.0.0.1');
  });

  it('keeps the code a validation rule gave (the limits), which Apollo files under GRAPHQL_VALIDATION_FAILED', () => {
    const refusal = new GraphQLError('The query uses 31 aliases; at most 30 are allowed.', { extensions: { code: 'TOO_MANY_ALIASES', limit: 30 } });
    // As Apollo's ValidationError wraps it: the rule's extensions, the code overwritten, the rule's error as originalError.
    const wrapped = new GraphQLError(refusal.message, { originalError: refusal, extensions: { ...refusal.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatGraphQLError(wrapped.toJSON(), wrapped).extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 30 });
    const unknownField = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatGraphQLError(unknownField.toJSON(), unknownField).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it.each([
    ['a statement cancelled at the statement timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['a database that never answered (pg query_timeout)', new Error('Query read timeout')],
    ['a connection ended under a statement', new Error('Client was closed and is not queryable')],
    // Errors of another realm (Node's sockets under jest) reach the formatter wrapped by graphql-js.
    ['a non-Error value graphql-js wrapped', Object.assign(new Error('Unexpected error value: { code: "ECONNREFUSED" }'), { thrownValue: { message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' } })],
  ])('tells the client to retry after %s', (_case, original) => {
    const error = resolverError(original);
    expect(formatGraphQLError(error.toJSON(), error).extensions).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
    expect(isInternalError(error)).toBe(false);
  });

  it('removes graphql-js\'s "did you mean" suggestions, and keeps the rest of the message', () => {
    const messages: [string, string][] = [
      ['Cannot query field "districs" on type "Query". Did you mean "district" or "districts"?', 'Cannot query field "districs" on type "Query".'],
      ['Variable "$o" got invalid value "NEWES"; Value "NEWES" does not exist in "ProposalOrder" enum. Did you mean the enum value "NEWEST"?', 'Variable "$o" got invalid value "NEWES"; Value "NEWES" does not exist in "ProposalOrder" enum.'],
      ['Unknown type "Strin". Did you mean "String"?', 'Unknown type "Strin".'],
      ['Cannot query field "nope" on type "Query".', 'Cannot query field "nope" on type "Query".'],
    ];
    for (const [message, expected] of messages) expect(withoutSuggestions({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })).toEqual({ message: expected, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});
