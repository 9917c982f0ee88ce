import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { auditAbout } from '../../audit/audit-scope';
import { RequestContext } from '../../common/context/request-context';
import { AppError, ErrorCode, msg } from '../../common/errors/app-error';
import { InputCheck } from '../../common/errors/validation';
import { Clock } from '../../common/clock/clock';
import { RateLimiter } from '../../common/limits/rate-limiter';
import { toGlobalId } from '../../common/relay/global-id';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { CommentableRegistry } from '../../discussions/commentable-registry';
import { DEFAULT_LOCALE } from '../../i18n/locale';
import { AccountSockets } from '../../realtime/account-sockets';
import { HearingStatus, RegistrationEntity, RegistrationStatus, SpeakerRequestEntity, SpeakerRequestStatus } from '../../hearings/entities/hearing.entity';
import { HearingEventKind, HearingLiveService } from '../../hearings/hearing-live.service';
import { HearingRegistrationService } from '../../hearings/hearing-registration.service';
import { HearingsService } from '../../hearings/hearings.service';
import { UserEntity } from '../entities/user.entity';
import { PASSWORD_MAX_LENGTH, verifyPassword } from '../passwords';

/** The domain an erased account's placeholder email is in: reserved (RFC 2606), it can never receive mail. */
const ERASED_EMAIL_DOMAIN = 'erased.invalid';

/**
 * The right to erasure (PDPA section 33): an account's personal data goes, the records others rely on
 * stay. The user row becomes a tombstone (no email, password, name or locale; a random pseudonym), since
 * published proposals, hearing statements, ballots' participation and the audit chain point at its id;
 * the API shows it only under its pseudonym, named "deleted account". What goes and what stays, and why,
 * is in README's Security section.
 */
@Injectable()
export class AccountErasureService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly accountSockets: AccountSockets,
    private readonly commentables: CommentableRegistry,
    private readonly hearings: HearingsService,
    private readonly registrations: HearingRegistrationService,
    private readonly hearingLive: HearingLiveService,
  ) {}

  async deleteMyAccount(rc: RequestContext, password: string | null | undefined, removeComments: boolean): Promise<UserEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    if (typeof password !== 'string' || password.length === 0) check.fail('password', msg('erasure.errors.passwordRequired'));
    check.done();
    // A password guess like any other: counted against the sign-in limits of the account and the address.
    const limited = await this.limiter.countSignIn(rc.clientAddress ?? 'unknown', `erase:${viewer.id}`);
    if (limited) throw AppError.rateLimited(msg('erasure.errors.tooManyAttempts', { seconds: limited.retryAfter }), limited.retryAfter);

    return this.unitOfWork.run(async (tx) => {
      const { em } = tx;
      // Locks the row: a second deletion (another tab) waits, then finds a tombstone.
      const user = await em.findOne(UserEntity, { where: { id: viewer.id }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.deletedAt) throw AppError.unauthenticated(msg('erasure.errors.alreadyDeleted'));
      const ok = password!.length <= PASSWORD_MAX_LENGTH * 4 && (await verifyPassword(user.passwordHash, password!));
      if (!ok) throw AppError.forbidden(msg('erasure.errors.wrongPassword'));
      await this.requireHandedOver(tx, user);

      const pseudonym = randomUUID();
      auditAbout({ subject: toGlobalId('User', pseudonym) });
      await this.endSessions(tx, user.id);
      await this.eraseResidencies(tx, user.id);
      await em.query(`DELETE FROM notifications WHERE user_id = $1`, [user.id]);
      // Reset links, prepared copies of the person's data and pending hearing reminders go with the person.
      await em.query(`DELETE FROM password_reset_tokens WHERE user_id = $1`, [user.id]);
      await em.query(`DELETE FROM data_exports WHERE user_id = $1`, [user.id]);
      await em.query(`DELETE FROM hearing_reminders WHERE user_id = $1`, [user.id]);
      // Which districts the person followed, and what they wanted to hear of them (src/following).
      await em.query(`DELETE FROM district_follows WHERE user_id = $1`, [user.id]);
      // Drafts were never public: nobody relies on them. Published proposals stay (see the class comment).
      await em.query(`DELETE FROM proposals WHERE author_id = $1 AND status = 'DRAFT'`, [user.id]);
      if (removeComments) await this.removeComments(tx, user.id);
      await this.leaveHearings(tx, user.id);
      await em.update(UserEntity, { id: user.id }, {
        email: `${pseudonym}@${ERASED_EMAIL_DOMAIN}`,
        // No hash verifies against an empty string: nobody can sign in as the tombstone.
        passwordHash: '',
        displayName: '',
        locale: DEFAULT_LOCALE,
        isAdmin: false,
        emailResidencyDecisions: false,
        emailHearingReminders: false,
        deletedAt: this.clock.now(),
        pseudonym,
      });
      return em.findOneByOrFail(UserEntity, { id: user.id });
    });
  }

  /** A district host hands the district over first (an administrator removes the appointment); the last administrator appoints another. */
  private async requireHandedOver(tx: Tx, user: UserEntity): Promise<void> {
    const hosted: { district_code: string }[] = await tx.em.query(`SELECT district_code FROM host_appointments WHERE user_id = $1 ORDER BY district_code`, [user.id]);
    if (hosted.length > 0) {
      throw new AppError(ErrorCode.HANDOVER_REQUIRED, msg('erasure.errors.hostMustHandOver', { districts: hosted.map((h) => h.district_code).join(', ') }));
    }
    if (!user.isAdmin) return;
    // Locks every administrator: two administrators erasing themselves at once cannot both be "not the last".
    const admins: { id: string }[] = await tx.em.query(`SELECT id FROM users WHERE is_admin AND deleted_at IS NULL ORDER BY id FOR UPDATE`);
    if (admins.every((a) => a.id === user.id)) throw new AppError(ErrorCode.HANDOVER_REQUIRED, msg('erasure.errors.lastAdministrator'));
  }

  /** Every session ends; once committed, the account's open WebSockets close on every instance. */
  private async endSessions(tx: Tx, userId: string): Promise<void> {
    const families: { family_id: string }[] = await tx.em.query(`SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1`, [userId]);
    await tx.em.query(`DELETE FROM refresh_tokens WHERE user_id = $1`, [userId]);
    tx.afterCommit(() => {
      for (const { family_id: sessionId } of families) this.accountSockets.announce({ kind: 'SESSION_ENDED', userId, sessionId });
    });
  }

  /** Residency requests hold the person's address and the review of it; the electorate triggers count an approved one out. */
  private async eraseResidencies(tx: Tx, userId: string): Promise<void> {
    await tx.em.query(`DELETE FROM residencies WHERE user_id = $1`, [userId]);
  }

  /**
   * A seat held for a hearing still to come is given up (the waitlist moves up), and a place in a speaker
   * queue withdrawn: nobody may be called to speak as "deleted account". Check-ins and statements stay.
   */
  private async leaveHearings(tx: Tx, userId: string): Promise<void> {
    const affected: { hearing_id: string }[] = await tx.em.query(
      `SELECT r.hearing_id FROM hearing_registrations r JOIN hearings h ON h.id = r.hearing_id
        WHERE r.user_id = $1 AND r.status <> 'CANCELLED' AND r.checked_in_at IS NULL AND h.status IN ('SCHEDULED', 'OPEN')
       UNION
       SELECT hearing_id FROM hearing_speaker_requests WHERE user_id = $1 AND status = 'QUEUED'
       ORDER BY 1`,
      [userId],
    );
    for (const { hearing_id: hearingId } of affected) {
      const hearing = await this.hearings.lock(tx, toGlobalId('Hearing', hearingId));
      const now = this.clock.now();
      await tx.em.update(RegistrationEntity, { hearingId, userId, status: Not(RegistrationStatus.CANCELLED), checkedInAt: IsNull() }, { status: RegistrationStatus.CANCELLED, cancelledAt: now });
      await tx.em.update(SpeakerRequestEntity, { hearingId, userId, status: SpeakerRequestStatus.QUEUED }, { status: SpeakerRequestStatus.WITHDRAWN, endedAt: now });
      if (hearing.status === HearingStatus.SCHEDULED || hearing.status === HearingStatus.OPEN) await this.registrations.promoteWaitlist(tx, hearing);
      await this.hearingLive.changed(tx, hearingId, HearingEventKind.ATTENDANCE_CHANGED);
    }
  }

  /** As deleteComment does, for every comment at once: the words and their earlier versions go, tombstones keep the threads' shape. */
  private async removeComments(tx: Tx, userId: string): Promise<void> {
    const removed: { subject_type: string; subject_id: string; was_visible: boolean }[] = await tx.em.query(
      // A SELECT around the UPDATE: the driver answers an UPDATE with [rows, count], a SELECT with rows.
      `WITH mine AS (SELECT id, status FROM comments WHERE author_id = $1 AND status <> 'DELETED' FOR UPDATE),
            removed AS (UPDATE comments c SET status = 'DELETED', body = NULL FROM mine WHERE c.id = mine.id
                        RETURNING c.subject_type, c.subject_id, mine.status = 'VISIBLE' AS was_visible)
       SELECT * FROM removed`,
      [userId],
    );
    await tx.em.query(`DELETE FROM comment_edits e USING comments c WHERE e.comment_id = c.id AND c.author_id = $1`, [userId]);
    const bySubject = new Map<string, { type: string; id: string; n: number }>();
    for (const row of removed.filter((r) => r.was_visible)) {
      const entry = bySubject.get(row.subject_id) ?? { type: row.subject_type, id: row.subject_id, n: 0 };
      entry.n += 1;
      bySubject.set(row.subject_id, entry);
    }
    for (const { type, id, n } of bySubject.values()) await this.commentables.kind(type).adjustCommentCount(tx, id, -n);
  }
}
