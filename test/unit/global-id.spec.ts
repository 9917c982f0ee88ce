import { AppError, ErrorCode, msg } from '../../src/common/errors/app-error';
import { fromGlobalId, isUuid, parseGlobalId, toGlobalId } from '../../src/common/relay/global-id';

const ID = '7f3c2a9e-5b1d-4c8e-9a6f-0d2e4b6c8a10';

/** The AppError fromGlobalId throws, failing the test when it throws none. */
function refusal(globalId: string, expectedType: string, field?: string): AppError {
  try {
    fromGlobalId(globalId, expectedType, field);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`fromGlobalId accepted ${JSON.stringify(globalId)} as a ${expectedType}`);
}

describe('global ids', () => {
  it('round-trips a type and a database id', () => {
    const globalId = toGlobalId('User', ID);
    expect(globalId).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(globalId).not.toContain(ID);
    expect(parseGlobalId(globalId)).toEqual({ type: 'User', id: ID });
    expect(fromGlobalId(globalId, 'User')).toBe(ID);
  });

  it('lower-cases the database id it returns', () => {
    expect(fromGlobalId(toGlobalId('Residency', ID.toUpperCase()), 'Residency')).toBe(ID);
  });

  it('keeps everything after the first colon as the id', () => {
    expect(parseGlobalId(toGlobalId('District', 'a:b'))).toEqual({ type: 'District', id: 'a:b' });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'VXNlcjo=!'],
    ['standard base64 with padding', Buffer.from(`User:${ID}`).toString('base64') + '='],
    ['no colon', Buffer.from('User').toString('base64url')],
    ['no type', Buffer.from(`:${ID}`).toString('base64url')],
    ['no id', Buffer.from('User:').toString('base64url')],
    ['too long', 'A'.repeat(201)],
  ])('parses nothing from a malformed global id (%s)', (_case, globalId) => {
    expect(parseGlobalId(globalId)).toBeNull();
  });

  it('parses nothing from what is not a string', () => {
    expect(parseGlobalId(undefined as unknown as string)).toBeNull();
    expect(parseGlobalId(42 as unknown as string)).toBeNull();
  });

  it.each([
    ['of another type', toGlobalId('District', ID)],
    ['garbage', 'not a global id'],
    ['empty', ''],
    ['not a UUID inside', toGlobalId('User', '1001')],
    ['a UUID with something after it', toGlobalId('User', `${ID}x`)],
    ['a bare UUID', ID],
  ])('refuses an id %s with BAD_USER_INPUT naming the argument', (_case, globalId) => {
    const error = refusal(globalId, 'User', 'input.userId');
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.fields).toEqual([{ field: 'input.userId', message: msg('errors.input.notIdOf', { type: 'User' }) }]);
    expect(error.message).toContain('input.userId');
  });

  it('names the argument "id" unless told otherwise', () => {
    expect(refusal('garbage', 'User').fields).toEqual([{ field: 'id', message: msg('errors.input.notIdOf', { type: 'User' }) }]);
  });

  it('isUuid', () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(true);
    expect(isUuid(ID.replace(/-/g, ''))).toBe(false);
    expect(isUuid(`${ID} `)).toBe(false);
  });
});
