import { t } from '../../i18n/i18n';
import { Locale } from '../../i18n/locale';

/** How an erased account is named wherever a name is shown, in the reader's language. */
export function deletedAccountName(locale: Locale): string {
  return t(locale, 'erasure.deletedAccount');
}

/**
 * SQL for the stored id of the account an API id names: a live account by its id, an erased one by its
 * pseudonym only (NULL, matching nothing, for an erased account's former id).
 */
export function accountAsShown(parameter: string): string {
  return `(SELECT u.id FROM users u WHERE (u.id = ${parameter} AND u.deleted_at IS NULL) OR u.pseudonym = ${parameter})`;
}
