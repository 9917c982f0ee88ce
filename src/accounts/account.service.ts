import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { RateLimiter } from '../common/limits/rate-limiter';
import { toGlobalId } from '../common/relay/global-id';
import { UnitOfWork } from '../database/unit-of-work';
import { AuthService } from './auth.service';
import { ChangePasswordInput, UpdateProfileInput } from './dto/account.input';
import { Locale, UserEntity } from './entities/user.entity';
import { hashPassword, PASSWORD_MAX_LENGTH, passwordProblems, verifyPassword } from './passwords';

/** One sign-in session of an account, as its owner sees it: a family of rotating refresh tokens. */
export interface SessionRecord {
  /** The family id: what access tokens carry as `sid`. */
  id: string;
  userId: string;
  createdAt: Date;
  /** When its refresh token was last exchanged (its creation if never). */
  lastUsedAt: Date;
  expiresAt: Date;
  current: boolean;
}

/** What an account does to itself: its password, its profile and email preferences, its sessions. */
@Injectable()
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly auth: AuthService,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  /**
   * Changes the password after checking the current one (counted against the sign-in limits like a
   * sign-in, since it is a password guess), and ends every other session: whoever else held one of
   * them may be the reason for the change.
   */
  async changePassword(rc: RequestContext, input: ChangePasswordInput): Promise<{ user: UserEntity; endedSessions: number }> {
    const viewer = rc.requireViewer();
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: viewer.id });
    auditAbout({ subject: toGlobalId('User', user.id) });
    const limited = await this.limiter.countSignIn(rc.clientAddress ?? 'unknown', user.email);
    if (limited) throw AppError.rateLimited(msg('account.errors.tooManyAttempts', { seconds: limited.retryAfter }), limited.retryAfter);
    const current = input.currentPassword ?? '';
    if (current.length > PASSWORD_MAX_LENGTH * 4 || !(await verifyPassword(user.passwordHash, current))) {
      throw AppError.forbidden(msg('account.errors.wrongPassword'));
    }
    const check = new InputCheck();
    const password = input.newPassword ?? '';
    for (const problem of passwordProblems(password, { email: user.email, displayName: user.displayName }, 'input.newPassword')) check.fail('newPassword', problem.message);
    if (password === current) check.fail('newPassword', msg('account.errors.samePassword'));
    check.done();
    const passwordHash = await hashPassword(password);
    return this.unitOfWork.run(async (tx) => {
      await tx.em.update(UserEntity, { id: user.id }, { passwordHash });
      const endedSessions = await this.auth.endSessionsOf(tx, user.id, viewer.sessionId);
      return { user: await tx.em.findOneByOrFail(UserEntity, { id: user.id }), endedSessions };
    });
  }

  /** Display name, language and email preferences; what is left out (or null) stays as it is. */
  async updateProfile(rc: RequestContext, input: UpdateProfileInput): Promise<UserEntity> {
    const viewer = rc.requireViewer();
    auditAbout({ subject: toGlobalId('User', viewer.id) });
    const check = new InputCheck();
    const changes: Partial<UserEntity> = {};
    if (input.displayName !== undefined && input.displayName !== null) changes.displayName = check.text('displayName', input.displayName, { max: 100 });
    if (input.locale !== undefined && input.locale !== null) changes.locale = check.oneOf('locale', input.locale, Object.values(Locale));
    const preferences = input.emailPreferences;
    if (typeof preferences?.residencyDecisions === 'boolean') changes.emailResidencyDecisions = preferences.residencyDecisions;
    if (typeof preferences?.hearingReminders === 'boolean') changes.emailHearingReminders = preferences.hearingReminders;
    check.done();
    return this.unitOfWork.run(async ({ em }) => {
      if (Object.keys(changes).length > 0) await em.update(UserEntity, { id: viewer.id }, changes);
      return em.findOneByOrFail(UserEntity, { id: viewer.id });
    });
  }

  /** The viewer's sessions that can still be used, most recently used first. */
  async mySessions(rc: RequestContext): Promise<SessionRecord[]> {
    const viewer = rc.requireViewer();
    return this.activeSessions(viewer.id, viewer.sessionId);
  }

  /** One of the viewer's active sessions; null for anyone else's (or an ended one), so ids cannot be probed. */
  async findOwnSession(rc: RequestContext, sessionId: string): Promise<SessionRecord | null> {
    if (!rc.viewer) return null;
    return (await this.activeSessions(rc.viewer.id, rc.viewer.sessionId, sessionId))[0] ?? null;
  }

  /** Ends one of the viewer's sessions (the current one too, if asked). Another account's is NOT_FOUND, as an unknown one is. */
  async endSession(rc: RequestContext, sessionId: string): Promise<SessionRecord> {
    const viewer = rc.requireViewer();
    auditAbout({ subject: toGlobalId('User', viewer.id) });
    return this.unitOfWork.run(async (tx) => {
      const [session] = await this.activeSessions(viewer.id, viewer.sessionId, sessionId, tx.em.query.bind(tx.em));
      if (!session) throw AppError.notFound('Session');
      await this.auth.revokeFamily(tx, viewer.id, session.id, this.clock.now());
      return session;
    });
  }

  private async activeSessions(
    userId: string,
    currentId: string,
    onlyId: string | null = null,
    query: (sql: string, parameters: unknown[]) => Promise<unknown> = (sql, parameters) => this.dataSource.query(sql, parameters),
  ): Promise<SessionRecord[]> {
    const rows = (await query(
      `SELECT family_id, min(created_at) AS created_at, max(created_at) AS last_used_at, max(expires_at) AS expires_at
         FROM refresh_tokens
        WHERE user_id = $1 AND ($3::uuid IS NULL OR family_id = $3::uuid)
        GROUP BY family_id
       HAVING bool_or(revoked_at IS NULL AND used_at IS NULL AND expires_at > $2)
        ORDER BY max(created_at) DESC, family_id`,
      [userId, this.clock.now(), onlyId],
    )) as { family_id: string; created_at: Date; last_used_at: Date; expires_at: Date }[];
    return rows.map((row) => ({
      id: row.family_id,
      userId,
      createdAt: new Date(row.created_at),
      lastUsedAt: new Date(row.last_used_at),
      expiresAt: new Date(row.expires_at),
      current: row.family_id === currentId,
    }));
  }
}
