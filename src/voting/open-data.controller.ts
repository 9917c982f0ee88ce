import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { fromGlobalId } from '../common/relay/global-id';
import { BallotRecord, GENESIS, RecordEntry, recordEntry } from './ballot-record.service';
import { BallotEntity, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { RoundResults } from './vote-counter.service';
import { VotingResults } from './voting.type';

const BATCH = 10_000;

/**
 * Open data: a closed round's results and its ballot record as CSV and JSON, for journalists,
 * researchers and anyone who wants to recount. Streamed in batches, so a million ballots fit.
 * The JSON gives exactly what GraphQL gives (`VotingResults.from`, `recordEntry`); the CSV the same
 * columns, options by their ids.
 */
@Controller('voting-rounds')
export class OpenDataController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly record: BallotRecord,
  ) {}

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
  async resultsCsv(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    const results = VotingResults.from(round.results as RoundResults)!;
    csvDownload(res, id, 'results.csv');
    const lines = ['option_id,position,label,votes,share,winner'];
    for (const option of results.options) lines.push([option.optionId, option.position, csv(option.label), option.votes, option.share.toFixed(6), option.winner].join(','));
    res.send(lines.join('\n') + '\n');
  }

  /** `choices` are option ids separated by spaces (in the ballot's order); `choice_positions` the same as positions, which entry_hash covers. */
  @Get(':id/ballots.csv')
  async ballotsCsv(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    csvDownload(res, id, 'ballots.csv');
    res.write('position,receipt_hash,choices,choice_positions,previous_hash,entry_hash\n');
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
    let previous = GENESIS;
    let from = 0;
    for (;;) {
      const batch = await this.dataSource
        .getRepository(BallotEntity)
        .createQueryBuilder('b')
        .select(['b.recordPosition', 'b.receiptHash', 'b.choices', 'b.recordHash'])
        .where('b.round_id = :roundId AND b.record_position >= :from', { roundId, from })
        .orderBy('b.record_position', 'ASC')
        .limit(BATCH)
        .getMany();
      for (const ballot of batch) {
        write(recordEntry(ballot, previous, options));
        previous = ballot.recordHash!;
      }
      if (batch.length < BATCH) return;
      from = batch[batch.length - 1].recordPosition! + 1;
    }
  }
}

/**
 * A browser saves a download as `voting-round-<id>-<file>` instead of showing it (the id is base64url,
 * safe in a file name); a script still reads it as any response.
 */
function downloadName(roundId: string, file: string): string {
  return `voting-round-${roundId}-${file}`;
}

function csvDownload(res: Response, roundId: string, file: string): void {
  res.attachment(downloadName(roundId, file));
  res.type('text/csv; charset=utf-8');
}

function csv(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
