import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogue, t } from '../../src/i18n/i18n';
import { formatDate, formatDateTime, formatTime } from '../../src/i18n/dates';
import { KEY_FAMILIES } from '../../src/i18n/key-families';
import { Locale, localeFromAcceptLanguage, resolveLocale } from '../../src/i18n/locale';

/** Every "<namespace>.<path>" key of a catalogue, with its template. */
function flatten(namespaces: Record<string, unknown>): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') keys.set(prefix, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else throw new Error(`${prefix}: a message is a string, not ${JSON.stringify(value)}`);
  };
  walk('', namespaces);
  return keys;
}

const catalogues = Object.fromEntries(Object.values(Locale).map((locale) => [locale, flatten(readCatalogue(locale, join(__dirname, '../../src/i18n')))])) as Record<Locale, Map<string, string>>;
const variables = (template: string) => [...template.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('message catalogues', () => {
  it.each(Object.values(Locale).flatMap((a) => Object.values(Locale).filter((b) => b !== a).map((b) => [a, b])))('every %s key is also in %s', (a, b) => {
    const missing = [...catalogues[a as Locale].keys()].filter((key) => !catalogues[b as Locale].has(key));
    expect(missing).toEqual([]);
  });

  it('no message is empty, and both languages put in the same values', () => {
    const problems: string[] = [];
    for (const [key, th] of catalogues.th) {
      const en = catalogues.en.get(key);
      if (!th.trim()) problems.push(`${key}: empty in th`);
      if (en !== undefined && !en.trim()) problems.push(`${key}: empty in en`);
      if (en !== undefined && variables(th).join() !== variables(en).join()) problems.push(`${key}: th puts in ${variables(th).join() || 'nothing'}, en ${variables(en).join() || 'nothing'}`);
    }
    expect(problems).toEqual([]);
  });

  it('Thai messages are written in Thai', () => {
    // A Thai catalogue entry copied from English is a missing translation: it must hold Thai letters
    // (names of products and codes excepted, where the whole message is one).
    const untranslated = [...catalogues.th].filter(([key, th]) => !/[\u0E00-\u0E7F]/.test(th) && th.replace(/\{\{[^}]*\}\}/g, '').replace(/[\s\p{P}\p{S}\d]/gu, '').length > 0 && catalogues.en.get(key) === th);
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it('every key the code builds is in the catalogues, and every catalogue key is used', () => {
    const built = new Map<string, string>();
    for (const family of KEY_FAMILIES) for (const key of family.keys()) built.set(key, family.builtBy);
    const missing = [...built].filter(([key]) => !catalogues.th.has(key)).map(([key, by]) => `${key} (built by ${by})`);
    expect(missing).toEqual([]);

    const source = sourceFiles(join(__dirname, '../../src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    const written = new Set([...source.matchAll(/['"`]([a-z][\w]*(?:\.[\w]+)+)['"`]/g)].map((m) => m[1]));
    const missingWritten = [...written].filter((key) => isMessageKey(key) && !catalogues.th.has(key));
    expect(missingWritten).toEqual([]);
    const unused = [...catalogues.th.keys()].filter((key) => !written.has(key) && !built.has(key));
    expect(unused).toEqual([]);
  });

  /** A literal that looks like a key of a namespace we have (so that 'node:fs' or 'a.b' elsewhere is not taken for one). */
  function isMessageKey(literal: string): boolean {
    const namespace = literal.split('.')[0];
    return [...catalogues.th.keys()].some((key) => key.startsWith(`${namespace}.`));
  }

  it('a key missing from the catalogue throws instead of showing the key to a person', () => {
    expect(() => t(Locale.th, 'dates.noSuchMessage')).toThrow(/missing/);
  });
});

describe('language of a request', () => {
  it.each([
    ['th-TH,th;q=0.9,en;q=0.8', Locale.th],
    ['en-US,en;q=0.9,th;q=0.8', Locale.en],
    ['fr-FR, en;q=0.5', Locale.en],
    ['th;q=0.2, en;q=0.7', Locale.en],
    ['en;q=0, th', Locale.th],
    ['fr, de', null],
    ['', null],
    [undefined, null],
    ['*', null],
  ])('Accept-Language %p asks for %p', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it("the account's own language comes before the one asked for, and Thai before neither", () => {
    expect(resolveLocale(Locale.en, Locale.th)).toBe(Locale.en);
    expect(resolveLocale(null, Locale.en)).toBe(Locale.en);
    expect(resolveLocale(null, null)).toBe(Locale.th);
  });
});

describe('dates people read', () => {
  // 02:30 UTC is 09:30 in Bangkok; 20:00 UTC on 1 December is already 2 December there.
  const morning = new Date('2026-12-02T02:30:00Z');
  const lateUtc = new Date('2026-12-01T20:00:00Z');

  it('Thai: Bangkok time, Thai month, Buddhist-era year', () => {
    expect(formatDateTime(Locale.th, morning)).toBe('2 ธันวาคม 2569 เวลา 09:30 น.');
    expect(formatDate(Locale.th, lateUtc)).toBe('2 ธันวาคม 2569');
    expect(formatTime(Locale.th, lateUtc)).toBe('03:00');
  });

  it('English: Bangkok time, English style, Common-era year', () => {
    expect(formatDateTime(Locale.en, morning)).toBe('2 December 2026 at 09:30');
    expect(formatDate(Locale.en, lateUtc)).toBe('2 December 2026');
  });
});
