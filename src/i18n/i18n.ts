import i18next, { i18n as I18next } from 'i18next';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOCALE, Locale } from './locale';

/**
 * The message catalogues: src/i18n/<locale>/<namespace>.json, one key per message, the same keys in
 * every language (i18n.spec checks both ways, and that every key is used). A key is written
 * "<namespace>.<path>", e.g. "errors.auth.sessionEnded"; values are i18next templates ("{{name}}").
 */
export type Catalogue = Record<string, unknown>;

/** Reads one language's catalogue: every namespace file of its folder (copied beside the compiled code by nest-cli.json's assets). */
export function readCatalogue(locale: Locale, root = __dirname): Record<string, Catalogue> {
  const folder = join(root, locale);
  const namespaces: Record<string, Catalogue> = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    namespaces[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Catalogue;
  }
  return namespaces;
}

function createTranslator(): I18next {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(Object.values(Locale).map((locale) => [locale, readCatalogue(locale)]));
  // Synchronous: the resources are in memory, so `t` works from the first line of the process on.
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    ns: Object.keys(resources[DEFAULT_LOCALE]),
    nsSeparator: '.',
    keySeparator: '.',
    initAsync: false,
    returnNull: false,
    // Values are put into plain text (Markdown, CSV, email, GraphQL messages), never into HTML unescaped:
    // the places that write HTML escape what they put there themselves.
    interpolation: { escapeValue: false },
  });
  return instance;
}

let translator: I18next | undefined;

/** The message `key` in `locale`, with `values` put in. A key missing from the catalogue is a bug: it throws. */
export function t(locale: Locale, key: string, values?: Record<string, unknown>): string {
  translator ??= createTranslator();
  if (!translator.exists(key, { lng: locale })) throw new Error(`Message key "${key}" is missing in ${locale}`);
  return translator.t(key, { lng: locale, ...values }) as string;
}

/** The message in every language, Thai first: for what is stored or sent once to everybody (the log, a bilingual page). */
export function tAll(key: string, values?: Record<string, unknown>): Record<Locale, string> {
  return { th: t(Locale.th, key, values), en: t(Locale.en, key, values) };
}
