import { EntityManager } from 'typeorm';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { TermsAcceptanceEntity, TermsVersionEntity } from './entities/terms.entity';

/** The version in force: the one published last. Null before any has been published. */
export function currentTerms(em: EntityManager): Promise<TermsVersionEntity | null> {
  return em.getRepository(TermsVersionEntity).findOne({ where: {}, order: { publishedAt: 'DESC', version: 'DESC' } });
}

/**
 * SQL, over `users u`: whether the account has yet to accept the version in force. False while none is
 * published. Read with the viewer's roles (AuthService.viewersNow), so the gate costs no query of its own.
 */
export const MUST_ACCEPT_TERMS_SQL = `EXISTS (
  SELECT 1 FROM (SELECT v.version FROM terms_versions v ORDER BY v.published_at DESC, v.version DESC LIMIT 1) cur
   WHERE NOT EXISTS (SELECT 1 FROM terms_acceptances a WHERE a.user_id = u.id AND a.version = cur.version))`;

/**
 * Registration records the version the new account accepted: the one its client showed
 * (`acceptedTermsVersion`, which must be the version in force), or, when the client does not say, the
 * version in force, which registering accepts (README, Security: consent).
 */
export async function recordTermsAtRegistration(em: EntityManager, userId: string, shown: string | null | undefined, now: Date): Promise<void> {
  const current = await currentTerms(em);
  if (!current) {
    if (shown) throw AppError.badInput([{ field: 'input.acceptedTermsVersion', message: msg('privacy.errors.noTermsPublished') }]);
    return;
  }
  if (shown && shown !== current.version) {
    throw AppError.badInput([{ field: 'input.acceptedTermsVersion', message: msg('privacy.errors.termsSuperseded', { current: current.version }) }]);
  }
  await em.insert(TermsAcceptanceEntity, { userId, version: current.version, acceptedAt: now, via: 'REGISTRATION' });
}

export function termsNotAccepted(): AppError {
  return new AppError(ErrorCode.TERMS_NOT_ACCEPTED, msg('privacy.errors.mustAcceptTerms'));
}
