import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { auditAbout, auditScope } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { RateLimiter } from '../common/limits/rate-limiter';
import { toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UnitOfWork } from '../database/unit-of-work';
import { t } from '../i18n/i18n';
import { formatDateTime } from '../i18n/dates';
import { Mailer } from '../mail/mailer';
import { AuthService } from './auth.service';
import { RequestPasswordResetInput, ResetPasswordInput } from './dto/account.input';
import { PasswordResetTokenEntity } from './entities/password-reset-token.entity';
import { UserEntity } from './entities/user.entity';
import { hashPassword, passwordProblems } from './passwords';
import { hashRefreshToken, newRefreshToken } from './tokens';

/** How long a reset link works. */
export const RESET_TOKEN_TTL_MS = 30 * 60_000;

/**
 * The forgotten password: a one-time link by email, then a new password that ends every session.
 * The request is answered before anything is looked up, the same for every email, and the mail goes out
 * in the background: neither the answer nor its timing tells whether an account has that email.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly auth: AuthService,
    private readonly limiter: RateLimiter,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async requestReset(input: RequestPasswordResetInput, clientAddress: string): Promise<void> {
    const check = new InputCheck();
    const email = AuthService.checkEmail(check, input.email);
    check.done();
    const limited = await this.limiter.countPasswordReset(clientAddress, email);
    if (limited) throw AppError.rateLimited(msg('account.errors.tooManyResetRequests', { seconds: limited.retryAfter }), limited.retryAfter);
    // The token is made (random bytes and a hash) for every email alike, before the lookup.
    const token = newRefreshToken();
    const now = this.clock.now();
    // Outside the mutation's audit scope: its one entry (no subject) is written as it is answered, the
    // same for every email, and the background transaction writes none.
    this.mailer.inBackground('password reset', () => auditScope.exit(() => this.issue(email, token, now)));
  }

  /** Stores the token for the account of `email`, if there is one, replacing any older token, and mails the link. */
  private async issue(email: string, token: { token: string; hash: string }, now: Date): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
    if (!user) return;
    const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
    await this.unitOfWork.run(async ({ em }) => {
      // A new request makes the older links useless.
      await em.delete(PasswordResetTokenEntity, { userId: user.id, usedAt: IsNull() });
      await em.insert(PasswordResetTokenEntity, { userId: user.id, tokenHash: token.hash, expiresAt });
    });
    const link = new URL(this.config.passwordResetUrl);
    link.searchParams.set('token', token.token);
    const values = { name: user.displayName, link: link.toString(), expiresAt: formatDateTime(user.locale, expiresAt), minutes: RESET_TOKEN_TTL_MS / 60_000 };
    this.mailer.sendLater({
      kind: 'password-reset',
      to: user.email,
      subject: t(user.locale, 'mail.passwordReset.subject'),
      text: t(user.locale, 'mail.passwordReset.body', values),
    });
  }

  /**
   * Sets a new password with a token from the mail and ends every session of the account. A token that
   * is unknown, used, replaced or expired is refused alike. A new password that breaks the rules does
   * not use the token up.
   */
  async reset(input: ResetPasswordInput): Promise<UserEntity> {
    const now = this.clock.now();
    const refused = AppError.unauthenticated(msg('account.errors.resetTokenInvalid'));
    const given = typeof input.token === 'string' ? input.token.trim() : '';
    if (given.length === 0 || given.length > 200) throw refused;
    const tokenHash = hashRefreshToken(given);
    const found = await this.dataSource.getRepository(PasswordResetTokenEntity).findOneBy({ tokenHash });
    if (!found || found.usedAt || found.expiresAt.getTime() <= now.getTime()) throw refused;
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: found.userId });
    auditAbout({ subject: toGlobalId('User', user.id) });
    const check = new InputCheck();
    const password = input.newPassword ?? '';
    for (const problem of passwordProblems(password, { email: user.email, displayName: user.displayName }, 'input.newPassword')) check.fail('newPassword', problem.message);
    check.done();
    const passwordHash = await hashPassword(password);
    const outcome = await this.unitOfWork.run(async (tx) => {
      // Marked used under a condition, so two resets racing with one token cannot both succeed.
      const claimed = await tx.em
        .createQueryBuilder()
        .update(PasswordResetTokenEntity)
        .set({ usedAt: now })
        .where('id = :id AND used_at IS NULL AND expires_at > :now', { id: found.id, now })
        .execute();
      if (!claimed.affected) return null;
      await tx.em.update(UserEntity, { id: user.id }, { passwordHash });
      await this.auth.endSessionsOf(tx, user.id, null);
      return tx.em.findOneByOrFail(UserEntity, { id: user.id });
    });
    if (!outcome) throw refused;
    return outcome;
  }
}
