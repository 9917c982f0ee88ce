import { randomUUID } from 'node:crypto';
import { auditAbout } from '../audit/audit-scope';
import { toGlobalId } from '../common/relay/global-id';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppError, ErrorCode, Message, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { Clock } from '../common/clock/clock';
import { RateLimiter } from '../common/limits/rate-limiter';
import { Viewer } from '../common/context/request-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { AccountSockets } from '../realtime/account-sockets';
import { MUST_ACCEPT_TERMS_SQL, recordTermsAtRegistration } from '../privacy/terms';
import { LoginInput, RegisterInput } from './dto/auth.input';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { AccountKind, Locale, UserEntity } from './entities/user.entity';
import { decoyPasswordHash, hashPassword, PASSWORD_MAX_LENGTH, passwordProblems, verifyPassword } from './passwords';
import { AccessClaims, AccessTokens, bearerToken, hashRefreshToken, newRefreshToken } from './tokens';

/** What a successful sign-in returns, before it becomes the GraphQL AuthPayload. */
export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserEntity;
}

const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** Either a viewer, no credentials at all, or the reason the presented ones were refused. */
/** An Authorization header checked without the database (AuthService.checkHeader); undefined when there was none. */
export type AccessCheck = { claims: AccessClaims } | { problem: Message } | undefined;

export type Authentication = { viewer: Viewer; expiresAt: Date } | { viewer: null; problem?: Message };

/** An account's roles, as columns of a query over `users u`. */
const ROLE_COLUMNS = `u.is_admin,
  ARRAY(SELECT h.district_code FROM host_appointments h WHERE h.user_id = u.id) AS host_of,
  (SELECT r.district_code FROM residencies r WHERE r.user_id = u.id AND r.status = 'APPROVED') AS resident_of`;

/**
 * Accounts and sessions: registration, sign-in, rotating refresh tokens (a reused token revokes its
 * whole family), sign-out, and turning an access token into the request's viewer.
 */
@Injectable()
export class AuthService {
  private readonly accessTokens: AccessTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly accountSockets: AccountSockets,
    private readonly limiter: RateLimiter,
  ) {
    this.accessTokens = new AccessTokens(config.authSecret, config.accessTokenTtlSeconds);
  }

  static normalizeEmail(email: string): string {
    return email.trim().toLowerCase();
  }

  /** Email checks shared by registration and the bootstrap admin. */
  static checkEmail(check: InputCheck, email: string | null | undefined): string {
    const normalized = AuthService.normalizeEmail(email ?? '');
    if (normalized.length === 0) check.fail('email', msg('errors.input.required'));
    else if (normalized.length > 254 || !EMAIL.test(normalized) || !normalized.isWellFormed()) check.fail('email', msg('errors.accounts.notEmail'));
    return normalized;
  }

  async register(input: RegisterInput): Promise<Session> {
    const check = new InputCheck();
    const email = AuthService.checkEmail(check, input.email);
    const displayName = check.text('displayName', input.displayName, { max: 100 });
    if (!Object.values(AccountKind).includes(input.kind)) check.fail('kind', msg('errors.accounts.kind'));
    const locale = input.locale ?? Locale.th;
    if (!Object.values(Locale).includes(locale)) check.fail('locale', msg('errors.accounts.locale'));
    const password = input.password ?? '';
    for (const problem of passwordProblems(password, { email, displayName })) check.fail(problem.field.replace(/^input\./, ''), problem.message);
    check.done();

    const passwordHash = await hashPassword(password);
    return this.unitOfWork.run(async ({ em }) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ email, passwordHash, displayName, kind: input.kind, locale, isAdmin: false })
        .orIgnore()
        .returning('*')
        .execute();
      if (inserted.raw.length === 0) throw AppError.conflict(msg('errors.accounts.emailTaken'));
      const user = await em.findOneByOrFail(UserEntity, { email });
      await recordTermsAtRegistration(em, user.id, input.acceptedTermsVersion, this.clock.now());
      return this.openSession(em, user);
    });
  }

  /** Every attempt counts against the sign-in limits of its email and its client address, right or wrong. */
  async login(input: LoginInput, clientAddress: string): Promise<Session> {
    const email = AuthService.normalizeEmail(input.email ?? '');
    const password = input.password ?? '';
    const limited = await this.limiter.countSignIn(clientAddress, email);
    if (limited) throw AppError.rateLimited(msg('errors.auth.tooManySignIns', { retryAfter: limited.retryAfter }), limited.retryAfter);
    const refused = AppError.unauthenticated(msg('errors.auth.wrongCredentials'));
    if (email.length > 254 || !EMAIL.test(email) || !email.isWellFormed() || password.length > PASSWORD_MAX_LENGTH * 4) throw refused;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
    // Verify against a decoy when the email is unknown, so timing does not tell which emails exist.
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!user || !ok || user.deletedAt) throw refused;
    return this.unitOfWork.run(({ em }) => this.openSession(em, user));
  }

  /** Exchanges a refresh token for a new pair. A token used twice means it leaked: the session ends. */
  async refresh(token: string): Promise<Session> {
    const now = this.clock.now();
    const outcome = await this.unitOfWork.run(async (tx) => {
      const { em } = tx;
      const row = await em.findOne(RefreshTokenEntity, { where: { tokenHash: hashRefreshToken(token ?? '') }, lock: { mode: 'pessimistic_write' } });
      if (!row) return { error: AppError.unauthenticated(msg('errors.auth.refreshInvalid')) };
      if (row.revokedAt) return { error: AppError.unauthenticated(msg('errors.auth.sessionEnded')) };
      if (row.usedAt) {
        await this.revokeFamily(tx, row.userId, row.familyId, now);
        return { error: new AppError(ErrorCode.TOKEN_REUSED) };
      }
      if (row.expiresAt.getTime() <= now.getTime()) return { error: AppError.unauthenticated(msg('errors.auth.sessionExpired')) };
      await em.update(RefreshTokenEntity, { id: row.id }, { usedAt: now });
      const user = await em.findOneByOrFail(UserEntity, { id: row.userId });
      return { session: await this.openSession(em, user, row.familyId) };
    });
    // Thrown after commit, so that revoking a reused token's family is kept.
    if ('error' in outcome && outcome.error) throw outcome.error;
    return (outcome as { session: Session }).session;
  }

  /** Ends the session of the given refresh token, or else the viewer's current session. */
  async logout(refreshToken: string | null | undefined, viewer: Viewer | null): Promise<boolean> {
    const now = this.clock.now();
    return this.unitOfWork.run(async (tx) => {
      let session: { userId: string; familyId: string } | null;
      if (refreshToken) {
        session = await tx.em.findOneBy(RefreshTokenEntity, { tokenHash: hashRefreshToken(refreshToken) });
        if (!session) throw AppError.unauthenticated(msg('errors.auth.refreshInvalid'));
      } else if (viewer) {
        session = { userId: viewer.id, familyId: viewer.sessionId };
      } else {
        throw AppError.unauthenticated(msg('errors.auth.signOutWhich'));
      }
      return (await this.revokeFamily(tx, session.userId, session.familyId, now)) > 0;
    });
  }

  /**
   * An Authorization header checked by the token's signature and expiry alone (no database): who it
   * claims to be, or why it is refused, or `undefined` when there is none. Checked once per request: the
   * rate limit counts the claimed account before the body is read, and authenticate takes the same check.
   */
  checkHeader(authorization: unknown): AccessCheck {
    if (authorization === undefined || authorization === null || authorization === '') return undefined;
    const token = bearerToken(authorization);
    if (!token) return { problem: msg('errors.auth.headerShape') };
    return this.accessTokens.verify(token, this.clock.now());
  }

  /** The account a checked header speaks for, for its rate limit; null when none or refused. */
  static claimedAccount(check: AccessCheck): string | null {
    return check && 'claims' in check ? check.claims.sub : null;
  }

  /** The viewer behind an Authorization header value ("Bearer <token>"), or behind its check already made (checkHeader). */
  async authenticate(authorization: unknown, checked?: { check: AccessCheck }): Promise<Authentication> {
    const verified = checked ? checked.check : this.checkHeader(authorization);
    if (!verified) return { viewer: null };
    if ('problem' in verified) return { viewer: null, problem: verified.problem };
    const { sub, sid } = verified.claims;
    const [now] = await this.viewersNow([{ userId: sub, sessionId: sid }]);
    if (now === 'NO_ACCOUNT') return { viewer: null, problem: msg('errors.auth.accountGone') };
    if (now === 'SESSION_ENDED') return { viewer: null, problem: msg('errors.auth.sessionEnded') };
    return { viewer: now, expiresAt: new Date(verified.claims.exp * 1000) };
  }

  /**
   * Who each (account, session) is now, in one query: roles and residency as they are in the database at
   * this moment, or why the pair no longer speaks for anyone. A live subscription asks this for every
   * event, so that a change of roles or the end of a session applies to the next event.
   */
  async viewersNow(keys: readonly { userId: string; sessionId: string }[]): Promise<(Viewer | 'NO_ACCOUNT' | 'SESSION_ENDED')[]> {
    if (keys.length === 0) return [];
    const rows: { user_id: string; session_id: string; kind: AccountKind; is_admin: boolean; host_of: string[]; resident_of: string | null; locale: Locale; session_active: boolean; must_accept_terms: boolean }[] =
      await this.dataSource.query(
        `SELECT k.user_id, k.session_id, u.kind, u.locale, ${ROLE_COLUMNS}, ${MUST_ACCEPT_TERMS_SQL} AS must_accept_terms,
                EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = k.session_id AND t.user_id = u.id AND t.revoked_at IS NULL AND t.used_at IS NULL) AS session_active
           FROM unnest($1::uuid[], $2::uuid[]) AS k(user_id, session_id) JOIN users u ON u.id = k.user_id AND u.deleted_at IS NULL`,
        [keys.map((k) => k.userId), keys.map((k) => k.sessionId)],
      );
    return keys.map(({ userId, sessionId }) => {
      const row = rows.find((r) => r.user_id === userId && r.session_id === sessionId);
      if (!row) return 'NO_ACCOUNT';
      if (!row.session_active) return 'SESSION_ENDED';
      return { id: row.user_id, kind: row.kind, isAdmin: row.is_admin, hostOf: new Set(row.host_of), residentOf: row.resident_of, sessionId, locale: row.locale, mustAcceptTerms: row.must_accept_terms };
    });
  }

  private async openSession(em: EntityManager, user: UserEntity, familyId: string = randomUUID()): Promise<Session> {
    auditAbout({ subject: toGlobalId('User', user.id) });
    const now = this.clock.now();
    const refresh = newRefreshToken();
    const refreshTokenExpiresAt = new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000);
    await em.insert(RefreshTokenEntity, { userId: user.id, familyId, tokenHash: refresh.hash, expiresAt: refreshTokenExpiresAt });
    const access = this.accessTokens.sign(user.id, familyId, now);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken: refresh.token, refreshTokenExpiresAt, user };
  }

  /**
   * Ends every active session of an account but `except` (the one in use, when a password is changed):
   * how many ended. Each one's WebSockets close once the transaction has committed.
   */
  async endSessionsOf(tx: Tx, userId: string, except: string | null): Promise<number> {
    const families: { family_id: string }[] = await tx.em.query(
      `SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)`,
      [userId, except],
    );
    const now = this.clock.now();
    for (const { family_id } of families) await this.revokeFamily(tx, userId, family_id, now);
    return families.length;
  }

  /** Ends a session; once that has committed, its open WebSockets close too, on every instance. */
  async revokeFamily(tx: Tx, userId: string, familyId: string, now: Date): Promise<number> {
    const result = await tx.em.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: now });
    tx.afterCommit(() => this.accountSockets.announce({ kind: 'SESSION_ENDED', userId, sessionId: familyId }));
    return result.affected ?? 0;
  }
}
