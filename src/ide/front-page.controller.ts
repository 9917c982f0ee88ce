import { Controller, Get, Header, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig, schemaIsPublic } from '../config/config';
import { requestedLocale } from '../i18n/http-locale';
import { t } from '../i18n/i18n';
import { DEFAULT_LOCALE, Locale } from '../i18n/locale';

/** Text for HTML: the page quotes nothing from outside, but a link's text is escaped all the same. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A catalogue text as HTML: the text escaped, each named value put in as `<code>`. The catalogue holds
 * words, never markup.
 */
function html(locale: Locale, key: string, codes: Record<string, string> = {}): string {
  const marks = Object.fromEntries(Object.keys(codes).map((name, i) => [name, `\u0000${i}\u0000`]));
  let text = escapeHtml(t(locale, key, marks));
  Object.values(codes).forEach((code, i) => (text = text.replace(`\u0000${i}\u0000`, `<code>${escapeHtml(code)}</code>`)));
  return text;
}

/**
 * The front page in one language (Thai unless the request asks for English; src/i18n/<locale>/pages.json):
 * what this server is and where its doors are. No asset from anywhere. The GraphiQL IDE it links to stays
 * in English: it is a developer tool, and its examples are the README's.
 */
export function frontPageHtml(options: { ide: boolean; schema: boolean; locale: Locale }): string {
  const { locale } = options;
  // The link to the other language is written in that language (pages.front.otherLanguage), for whoever cannot read this one.
  const other = locale === Locale.th ? Locale.en : Locale.th;
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const item = (href: string, key: string) => `<li>${link(href, href)}: ${html(locale, key)}</li>`;
  const items = [
    options.ide ? item('/graphql', 'pages.front.links.ide') : '',
    options.schema ? item('/schema.graphql', 'pages.front.links.schema') : '',
    item('/health', 'pages.front.links.health'),
    item('/health/ready', 'pages.front.links.ready'),
  ].filter(Boolean);
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(locale, 'pages.front.title')}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1b1b1b; }
  code { background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
  .language { float: right; }
</style>
</head>
<body>
<p class="language"><a href="/?lang=${other}" lang="${other}" hreflang="${other}">${html(locale, 'pages.front.otherLanguage')}</a></p>
<h1>${html(locale, 'pages.front.heading')}</h1>
<p>${html(locale, 'pages.front.intro', { graphql: '/graphql' })}</p>
<h2>${html(locale, 'pages.front.linksHeading')}</h2>
<ul>
${items.join('\n')}
</ul>
<h2>${html(locale, 'pages.front.openDataHeading')}</h2>
<p>${html(locale, 'pages.front.openData', { results: '/voting-rounds/<id>/results.json', resultsCsv: 'results.csv', ballots: 'ballots.json', ballotsCsv: 'ballots.csv', id: '<id>', roundId: 'VotingRound.id', lang: '?lang=en' })}</p>
<p>${html(locale, 'pages.front.minutes', { path: '/hearings/<id>/minutes.md', id: '<id>', hearingId: 'Hearing.id' })}</p>
</body>
</html>
`;
}

@Controller()
export class FrontPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  // The page differs by Accept-Language: a shared cache must keep one per language.
  @Header('vary', 'Accept-Language')
  frontPage(@Req() req: Request, @Res({ passthrough: true }) res: Response): string {
    const locale = requestedLocale(req) ?? DEFAULT_LOCALE;
    res.setHeader('Content-Language', locale);
    return frontPageHtml({ ide: this.config.ide, schema: schemaIsPublic(this.config), locale });
  }

  /** The schema as SDL, where introspection would give it anyway. */
  @Get('schema.graphql')
  @Header('content-type', 'text/plain; charset=utf-8')
  schema(): string {
    if (!schemaIsPublic(this.config)) throw new NotFoundException();
    // The GraphQL module does not export its schema host; it is looked up where it lives.
    return printSchema(this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema) + '\n';
  }
}
