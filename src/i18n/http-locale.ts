import { isLocale, Locale, localeFromAcceptLanguage } from './locale';

/** What a plain HTTP request (a download, the front page) carries about its language. */
export interface LanguageOfRequest {
  query?: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/**
 * The language an HTTP request asks for: `?lang=th|en` (a link can carry it), else Accept-Language;
 * null when neither names one of ours. The signed-in account's own language comes first where there is
 * one (RequestContext.locale); then Thai.
 */
export function requestedLocale(req: LanguageOfRequest): Locale | null {
  const lang = req.query?.lang;
  if (isLocale(lang)) return lang;
  return localeFromAcceptLanguage(req.headers['accept-language']);
}
