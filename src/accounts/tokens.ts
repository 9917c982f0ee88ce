import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../common/relay/global-id';
import { Message, msg } from '../common/errors/app-error';

/** What an access token says: the account, its sign-in session, and when it stops being valid. */
export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

/**
 * Short-lived access tokens: JWTs signed with HMAC-SHA256 (RFC 7519). Nothing secret is inside;
 * they are checked by signature and expiry, and the session by the database.
 */
export class AccessTokens {
  private static readonly header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  sign(userId: string, sessionId: string, now: Date): { token: string; expiresAt: Date } {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: AccessClaims = { sub: userId, sid: sessionId, iat, exp: iat + this.ttlSeconds };
    const body = `${AccessTokens.header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${body}.${this.signature(body)}`, expiresAt: new Date(claims.exp * 1000) };
  }

  /** The claims of a well-signed, unexpired token; otherwise the reason it is refused. */
  verify(token: string, now: Date): { claims: AccessClaims } | { problem: Message } {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== AccessTokens.header) return { problem: msg('errors.auth.tokenMalformed') };
    const expected = Buffer.from(this.signature(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: msg('errors.auth.tokenInvalid') };
    let claims: Partial<AccessClaims> | null;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<AccessClaims> | null;
    } catch {
      return { problem: msg('errors.auth.tokenMalformed') };
    }
    // A good signature says only that this server signed the bytes: the claims are still checked for
    // shape, as the ids go to the database as uuids and the expiry sets timers.
    if (!isWellFormed(claims)) return { problem: msg('errors.auth.tokenMalformed') };
    if (claims.exp * 1000 <= now.getTime()) return { problem: msg('errors.auth.tokenExpired') };
    return { claims };
  }

  private signature(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function isWellFormed(claims: Partial<AccessClaims> | null): claims is AccessClaims {
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.sub === 'string' &&
    isUuid(claims.sub) &&
    typeof claims.sid === 'string' &&
    isUuid(claims.sid) &&
    Number.isSafeInteger(claims.exp)
  );
}

/** A new refresh token: 256 random bits; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Pulls the token out of "Bearer <token>"; undefined when there is none. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1] : undefined;
}
