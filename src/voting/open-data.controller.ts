import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuthService } from '../accounts/auth.service';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { attachment, csvField as csv, UTF8_BOM } from '../common/http/download';
import { fromGlobalId } from '../common/relay/global-id';
import { requestedLocale } from '../i18n/http-locale';
import { t } from '../i18n/i18n';
import { Locale, resolveLocale } from '../i18n/locale';
import { BallotRecord, RecordEntry, recordEntry } from './ballot-record.service';
import { VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { RoundResults } from './vote-counter.service';
import { VotingResults } from './voting.type';

/**
 * Open data: a closed round's results and its ballot record as CSV and JSON, for journalists,
 * researchers and anyone who wants to recount. Streamed in batches, so a million ballots fit.
 * The JSON gives exactly what GraphQL gives (`VotingResults.from`, `recordEntry`); the CSV the same
 * columns, options by their ids.
 *
 * The CSV is for spreadsheets used in Thai offices: UTF-8 with a byte-order mark, column headers in the
 * reader's language (the account's when a bearer token comes with the request, else `?lang=`, else
 * Accept-Language, else Thai; the English headers are the JSON's field names in snake_case), a file name
 * in ASCII and in UTF-8. The values are the record's, in every language: ids, positions, counts, shares,
 * hashes and true/false are what a recount compares, and an option's label is as its author wrote it.
 * The column order is fixed, so a script may read by position whatever the language.
 */
@Controller('voting-rounds')
export class OpenDataController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly record: BallotRecord,
    private readonly auth: AuthService,
  ) {}

  /** The language a CSV's headers and file name are in; the downloads are public, so a token that signs nobody in only loses its language. */
  private async locale(req: Request & { locale?: Locale }): Promise<Locale> {
    const { viewer } = await this.auth.authenticate(req.headers.authorization);
    // Also the language of a refusal (HttpErrorFilter reads req.locale first).
    req.locale = resolveLocale(viewer?.locale, requestedLocale(req));
    return req.locale;
  }

  /** Refused as the GraphQL record refuses (HttpErrorFilter gives each code its status); a malformed id in a URL is no such round. */
  private async closedRound(globalId: string): Promise<VotingRoundEntity> {
    let id: string;
    try {
      id = fromGlobalId(globalId, 'VotingRound');
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw AppError.notFound('VotingRound');
      throw error;
    }
    return this.record.published(id);
  }

  @Get(':id/results.json')
  async resultsJson(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<object> {
    const round = await this.closedRound(id);
    res.attachment(downloadName(id, 'results.json'));
    return { roundId: id, title: round.title, status: round.status, method: round.method, recordHead: round.recordHead, results: VotingResults.from(round.results as RoundResults) };
  }

  @Get(':id/results.csv')
  async resultsCsv(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = await this.locale(req);
    const round = await this.closedRound(id);
    const results = VotingResults.from(round.results as RoundResults)!;
    csvDownload(res, locale, id, 'results.csv', t(locale, 'exports.results.file'));
    const header = ['exports.results.columns.optionId', 'exports.results.columns.position', 'exports.results.columns.label', 'exports.results.columns.votes', 'exports.results.columns.share', 'exports.results.columns.winner'];
    const lines = [header.map((key) => csv(t(locale, key))).join(',')];
    for (const option of results.options) lines.push([option.optionId, option.position, csv(asText(option.label)), option.votes, option.share.toFixed(6), option.winner].join(','));
    res.send(UTF8_BOM + lines.join('\n') + '\n');
  }

  /** `choices` are option ids separated by spaces (in the ballot's order); `choice_positions` the same as positions, which entry_hash covers. */
  @Get(':id/ballots.csv')
  async ballotsCsv(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = await this.locale(req);
    const round = await this.closedRound(id);
    csvDownload(res, locale, id, 'ballots.csv', t(locale, 'exports.ballots.file'));
    const header = ['exports.ballots.columns.position', 'exports.ballots.columns.receiptHash', 'exports.ballots.columns.choices', 'exports.ballots.columns.choicePositions', 'exports.ballots.columns.previousHash', 'exports.ballots.columns.entryHash'];
    res.write(UTF8_BOM + header.map((key) => csv(t(locale, key))).join(',') + '\n');
    await this.stream(round.id, (e) => res.write(`${e.position},${e.receiptHash},"${e.choices.join(' ')}","${e.choicePositions.join(' ')}",${e.previousHash},${e.entryHash}\n`));
    res.end();
  }

  @Get(':id/ballots.json')
  async ballotsJson(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    res.attachment(downloadName(id, 'ballots.json'));
    res.type('application/json');
    res.write(`{"roundId":${JSON.stringify(id)},"recordHead":${JSON.stringify(round.recordHead)},"entries":[`);
    let first = true;
    await this.stream(round.id, (entry) => {
      res.write(`${first ? '' : ','}${JSON.stringify(entry)}`);
      first = false;
    });
    res.end(']}');
  }

  /** The record's entries in order, chained as GraphQL's ballotRecord gives them. */
  private async stream(roundId: string, write: (entry: RecordEntry) => void): Promise<void> {
    const options = await this.dataSource.getRepository(VotingOptionEntity).findBy({ roundId });
    await BallotRecord.walk(this.dataSource.manager, roundId, (entry) => write(recordEntry(entry, options)));
  }
}

/**
 * A browser saves a download as `voting-round-<id>-<file>` instead of showing it (the id is base64url,
 * safe in a file name); a script still reads it as any response.
 */
function downloadName(roundId: string, file: string): string {
  return `voting-round-${roundId}-${file}`;
}

/** A CSV download: `voting-round-<id>-results.csv` in ASCII, "รอบลงคะแนน-<id>-ผลการลงคะแนน.csv" in UTF-8 for a Thai reader. */
function csvDownload(res: Response, locale: Locale, roundId: string, file: string, localName: string): void {
  attachment(res, downloadName(roundId, file), `${t(locale, 'exports.votingRound.file')}-${roundId}-${localName}.csv`);
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Language', locale);
  // The headers differ by language: a shared cache keeps one copy per language.
  res.setHeader('Vary', 'Accept-Language');
}

/**
 * Text people wrote, kept text in a spreadsheet: one starting with = + - @ (or a tab or carriage return)
 * would run as a formula there (CSV injection), so it gets a leading apostrophe, as OWASP advises; the
 * JSON keeps it as written.
 */
function asText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
