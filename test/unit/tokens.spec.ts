import { createHash, createHmac } from 'node:crypto';
import { AccessTokens, bearerToken, hashRefreshToken, newRefreshToken } from '../../src/accounts/tokens';
import { englishOf } from '../../src/common/errors/app-error';

const SECRET = 'test-secret-test-secret-test-secret-0001';
const USER = '7f3c2a9e-5b1d-4c8e-9a6f-0d2e4b6c8a10';
const SESSION = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const NOW = new Date('2026-03-01T09:00:00.000Z');

function at(secondsAfterNow: number): Date {
  return new Date(NOW.getTime() + secondsAfterNow * 1000);
}

function problemOf(result: ReturnType<AccessTokens['verify']>): string | undefined {
  return 'problem' in result ? englishOf(result.problem) : undefined;
}

function decode(part: string): any {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('access tokens', () => {
  const tokens = new AccessTokens(SECRET, 900);

  it('verifies what it signed, giving back the account, session and times', () => {
    const { token, expiresAt } = tokens.sign(USER, SESSION, NOW);
    expect(expiresAt).toEqual(at(900));
    const iat = NOW.getTime() / 1000;
    expect(tokens.verify(token, at(1))).toEqual({ claims: { sub: USER, sid: SESSION, iat, exp: iat + 900 } });
  });

  it('is a JWT signed with HS256 (RFC 7519)', () => {
    const { token } = tokens.sign(USER, SESSION, NOW);
    const [header, payload, signature] = token.split('.');
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(payload)).toMatchObject({ sub: USER, sid: SESSION });
    expect(signature).toBe(createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'));
  });

  it('expires after its time to live, to the second', () => {
    const { token } = tokens.sign(USER, SESSION, NOW);
    expect('claims' in tokens.verify(token, at(899))).toBe(true);
    expect(problemOf(tokens.verify(token, at(900)))).toMatch(/expired/);
    expect(problemOf(tokens.verify(token, at(86_400)))).toMatch(/expired/);
  });

  it('uses whole seconds: a token signed mid-second expires on the second boundary', () => {
    const { token, expiresAt } = tokens.sign(USER, SESSION, new Date(NOW.getTime() + 700));
    expect(expiresAt).toEqual(at(900));
    expect(problemOf(tokens.verify(token, new Date(at(900).getTime() - 1)))).toBeUndefined();
    expect(problemOf(tokens.verify(token, at(900)))).toMatch(/expired/);
  });

  it('refuses a token whose payload was changed', () => {
    const { token } = tokens.sign(USER, SESSION, NOW);
    const [header, payload, signature] = token.split('.');
    const claims = decode(payload);
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    expect(problemOf(tokens.verify(`${header}.${forged}.${signature}`, at(1)))).toBe('The access token is not valid.');
    const extended = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url');
    expect(problemOf(tokens.verify(`${header}.${extended}.${signature}`, at(1000)))).toBe('The access token is not valid.');
  });

  it('refuses a changed signature', () => {
    const { token } = tokens.sign(USER, SESSION, NOW);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(problemOf(tokens.verify(token.slice(0, -1) + last, at(1)))).toBe('The access token is not valid.');
    expect(problemOf(tokens.verify(token.slice(0, -1), at(1)))).toBe('The access token is not valid.');
  });

  it('refuses a token signed with another secret', () => {
    const { token } = new AccessTokens('another-secret-another-secret-another-0002', 900).sign(USER, SESSION, NOW);
    expect(problemOf(tokens.verify(token, at(1)))).toBe('The access token is not valid.');
  });

  it('refuses the "none" algorithm and other headers', () => {
    const { token } = tokens.sign(USER, SESSION, NOW);
    const [, payload] = token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(problemOf(tokens.verify(`${none}.${payload}.`, at(1)))).toBe('The access token is malformed.');
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['garbage', '!!!.???.***'],
  ])('refuses a malformed token (%s)', (_case, token) => {
    expect(problemOf(tokens.verify(token, NOW))).toBe('The access token is malformed.');
  });

  it('refuses a well-signed token whose claims are not the expected shape', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const sign = (payload: string) => `${header}.${payload}.${createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')}`;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(problemOf(tokens.verify(sign(encode({ sub: USER, sid: SESSION })), NOW))).toBe('The access token is malformed.');
    expect(problemOf(tokens.verify(sign(encode({ sub: 1, sid: SESSION, exp: 2e9 })), NOW))).toBe('The access token is malformed.');
    expect(problemOf(tokens.verify(sign(Buffer.from('not json').toString('base64url')), NOW))).toBe('The access token is malformed.');
    for (const claims of [{ sub: 'not-a-uuid', sid: SESSION, exp: 2e9 }, { sub: USER, sid: `${SESSION}\u0000`, exp: 2e9 }, { sub: USER, sid: SESSION, exp: 1e300 }, null, [], 'text']) {
      expect(problemOf(tokens.verify(sign(encode(claims)), NOW))).toBe('The access token is malformed.');
    }
  });
});

describe('refresh tokens', () => {
  it('are random, 256 bits, and stored only as their SHA-256', () => {
    const tokens = Array.from({ length: 20 }, () => newRefreshToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(20);
    expect(new Set(tokens.map((t) => t.hash)).size).toBe(20);
    for (const { token, hash } of tokens) {
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toBe(token);
      expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(hashRefreshToken(token)).toBe(hash);
    }
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
    ['  Bearer abc', 'abc'],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([[undefined], [null], [42], [['Bearer abc']], [''], ['Bearer'], ['Bearer '], ['Basic dXNlcjpwYXNz'], ['abc.def.ghi'], ['Bearer a b'], ['Bearerabc']])(
    'finds no token in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined();
    },
  );
});
