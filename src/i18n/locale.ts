/** The languages people read this server in. Thai is the default everywhere. */
export enum Locale {
  th = 'th',
  en = 'en',
}

export const DEFAULT_LOCALE = Locale.th;

export function isLocale(value: unknown): value is Locale {
  return value === Locale.th || value === Locale.en;
}

/**
 * The language an Accept-Language header prefers among ours, by its q-values ("en-US,en;q=0.9,th;q=0.8"
 * gives en); null when it names neither, so the caller falls back to Thai.
 */
export function localeFromAcceptLanguage(header: unknown): Locale | null {
  if (typeof header !== 'string' || header.length > 500) return null;
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const language = tag.trim().toLowerCase().split('-')[0];
    if (!isLocale(language)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: language, q };
  }
  return best?.locale ?? null;
}

/**
 * Which language a request is answered in: the signed-in account's own choice, else what the client
 * asked for (Accept-Language over HTTP, `locale` in graphql-ws connectionParams), else Thai.
 */
export function resolveLocale(accountLocale: Locale | null | undefined, requested: Locale | null | undefined): Locale {
  return accountLocale ?? requested ?? DEFAULT_LOCALE;
}
