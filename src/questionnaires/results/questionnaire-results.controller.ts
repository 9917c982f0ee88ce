import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuthService } from '../../accounts/auth.service';
import { RequestContext } from '../../common/context/request-context';
import { AppError, ErrorCode, msg } from '../../common/errors/app-error';
import { attachment, csvField, UTF8_BOM } from '../../common/http/download';
import { fromGlobalId } from '../../common/relay/global-id';
import { requestedLocale } from '../../i18n/http-locale';
import { t } from '../../i18n/i18n';
import { Locale, resolveLocale } from '../../i18n/locale';
import { QuestionnaireResults } from './questionnaire-results.type';
import { QuestionnaireResultsService } from './questionnaire-results.service';

/** Responses read per query: a keyset batch, so that 100,000 responses never sit in memory at once. */
const BATCH = 1000;

export const RESULTS_COLUMNS = ['question', 'questionId', 'type', 'optionId', 'option', 'value', 'count', 'share', 'points', 'meanRank', 'firstPlaces', 'answered', 'mean', 'median', 'min', 'max'] as const;

/** The catalogue keys of results.csv's headers, one per column. */
export function resultsColumnKeys(): string[] {
  return RESULTS_COLUMNS.map((column) => `questionnaireResults.exports.resultsColumns.${column}`);
}

/**
 * A questionnaire's results and responses as CSV, with the results' visibility (staff always, everyone
 * once closed or when shown live). As the other downloads (README, "CSV exports"): a byte-order mark,
 * headers in the reader's language, fixed columns, file names in ASCII and UTF-8.
 *
 * `responses.csv` is one row per response, in the order of their ids (random, so it says nothing of
 * when anyone answered), with a row number and no respondent, response id or time, named or anonymous.
 * Hidden text answers are left out for everyone but the district's staff. An anonymous questionnaire's
 * responses are given only once it is closed: two downloads a minute apart would otherwise show which
 * answers were added between them.
 */
@Controller('questionnaires')
export class QuestionnaireResultsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly results: QuestionnaireResultsService,
    private readonly auth: AuthService,
  ) {}

  /** Who asks, and the language of the headers and of a refusal (HttpErrorFilter reads req.locale). */
  private async request(req: Request & { locale?: Locale }): Promise<{ rc: RequestContext; locale: Locale }> {
    const { viewer } = await this.auth.authenticate(req.headers.authorization);
    req.locale = resolveLocale(viewer?.locale, requestedLocale(req));
    return { rc: new RequestContext(randomUUID(), viewer, undefined, undefined, req.locale), locale: req.locale };
  }

  /** A malformed id in a URL is no such questionnaire. */
  private id(globalId: string): string {
    try {
      return fromGlobalId(globalId, 'Questionnaire');
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw AppError.notFound('Questionnaire');
      throw error;
    }
  }

  @Get(':id/results.csv')
  async resultsCsv(@Param('id') globalId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { rc, locale } = await this.request(req);
    const results = await this.results.results(rc, this.id(globalId));
    download(res, locale, globalId, 'results', t(locale, 'questionnaireResults.exports.resultsFile'));
    const lines = [resultsColumnKeys().map((key) => csvField(t(locale, key))).join(',')];
    for (const row of resultRows(results)) lines.push(RESULTS_COLUMNS.map((c) => csvField(row[c] === null || row[c] === undefined ? '' : String(row[c]))).join(','));
    res.send(UTF8_BOM + lines.join('\n') + '\n');
  }

  @Get(':id/responses.csv')
  async responsesCsv(@Param('id') globalId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { rc, locale } = await this.request(req);
    const questionnaire = await this.results.requireVisible(rc, this.id(globalId));
    if (questionnaire.anonymous && questionnaire.status !== 'CLOSED') throw new AppError(ErrorCode.RESULTS_NOT_PUBLISHED, msg('questionnaireResults.errors.responsesAfterClosing'));
    const staff = QuestionnaireResultsService.isStaff(rc.viewer, questionnaire);
    const questions = await this.results.questions(questionnaire.id);
    download(res, locale, globalId, 'responses', t(locale, 'questionnaireResults.exports.responsesFile'));
    const header = [t(locale, 'questionnaireResults.exports.row'), ...questions.map((q, i) => `${i + 1}. ${q.title}`)];
    res.write(UTF8_BOM + header.map(csvField).join(',') + '\n');
    const labels = new Map(questions.flatMap((q) => q.options.map((o): [string, string] => [o.id, o.label])));
    let after = '00000000-0000-0000-0000-000000000000';
    let row = 0;
    try {
      for (;;) {
        const ids: { id: string }[] = await this.dataSource.query(`SELECT id FROM questionnaire_responses WHERE questionnaire_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [questionnaire.id, after, BATCH]);
        if (!ids.length) break;
        const answers: { response_id: string; question_id: string; option_id: string | null; rank: number | null; number_value: string | null; text_value: string | null }[] = await this.dataSource.query(
          `SELECT response_id, question_id, option_id, rank, number_value::float8::text AS number_value, text_value
             FROM questionnaire_answers
            WHERE response_id = ANY($1) ${staff ? '' : 'AND NOT hidden'}
            ORDER BY response_id, question_id, rank NULLS LAST, option_id`,
          [ids.map((r) => r.id)],
        );
        const byResponse = new Map<string, typeof answers>();
        for (const answer of answers) byResponse.set(answer.response_id, [...(byResponse.get(answer.response_id) ?? []), answer]);
        for (const { id } of ids) {
          const mine = byResponse.get(id) ?? [];
          const cells = questions.map((q) => {
            const given = mine.filter((a) => a.question_id === q.id);
            if (q.type === 'MULTIPLE_CHOICE') given.sort((a, b) => q.optionIds.indexOf(a.option_id!) - q.optionIds.indexOf(b.option_id!));
            return given.map((a) => (a.option_id ? labels.get(a.option_id) : (a.number_value ?? asText(a.text_value ?? '')))).join(' | ');
          });
          if (!res.write([String(++row), ...cells].map(csvField).join(',') + '\n')) await once(res, 'drain');
          if (res.destroyed) return;
        }
        after = ids[ids.length - 1].id;
        if (ids.length < BATCH) break;
      }
    } catch (error) {
      // The status line is gone already: a cut connection, not a short file that looks whole.
      res.destroy(error as Error);
      return;
    }
    res.end();
  }
}

type ResultRow = Partial<Record<(typeof RESULTS_COLUMNS)[number], string | number | null>>;

/** One row per option (choice, ranking), per scale value, or per question (number, text). */
function resultRows(results: QuestionnaireResults): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const q of results.questions) {
    const base = { question: asText(q.title), questionId: q.questionId, type: q.type, answered: q.answered };
    if (q.options) {
      for (const o of q.options) rows.push({ ...base, optionId: o.optionId, option: asText(o.label), count: o.count, share: o.share.toFixed(6), points: o.points, meanRank: o.meanRank, firstPlaces: o.firstPlaces });
    } else if (q.scale) {
      for (const p of q.scale.distribution) rows.push({ ...base, value: p.value, count: p.count, share: p.share.toFixed(6), mean: q.scale.mean, median: q.scale.median });
    } else if (q.number) {
      rows.push({ ...base, count: q.number.count, mean: q.number.mean, median: q.number.median, min: q.number.min, max: q.number.max });
    } else {
      rows.push(base);
    }
  }
  return rows;
}

/** `questionnaire-<id>-results.csv` in ASCII, the reader's words in UTF-8. */
function download(res: Response, locale: Locale, globalId: string, file: string, localName: string): void {
  attachment(res, `questionnaire-${globalId.replace(/[^A-Za-z0-9_-]/g, '')}-${file}.csv`, `${t(locale, 'questionnaireResults.exports.questionnaire')}-${globalId}-${localName}.csv`);
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Language', locale);
  // The headers differ by language: a shared cache keeps one copy per language.
  res.setHeader('Vary', 'Accept-Language');
}

/** Text people wrote stays text in a spreadsheet: a leading = + - @ would run as a formula (CSV injection). */
function asText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
