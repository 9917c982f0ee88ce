import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { fromGlobalId } from '../common/relay/global-id';
import { BallotRecord } from './ballot-record.service';
import { BallotEntity, VotingRoundEntity } from './entities/voting.entity';
import { RoundResults } from './vote-counter.service';

const BATCH = 10_000;

/**
 * Open data: a closed round's results and its ballot record as CSV and JSON, for journalists,
 * researchers and anyone who wants to recount. Streamed in batches, so a million ballots fit.
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
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw AppError.notFound('Voting round');
      throw error;
    }
    return this.record.published(id);
  }

  @Get(':id/results.json')
  async resultsJson(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<object> {
    const round = await this.closedRound(id);
    saveAs(res, id, 'results.json');
    return { roundId: id, title: round.title, status: round.status, method: round.method, recordHead: round.recordHead, results: round.results };
  }

  @Get(':id/results.csv')
  async resultsCsv(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    const results = round.results as RoundResults;
    saveAs(res, id, 'results.csv');
    res.type('text/csv; charset=utf-8');
    const lines = ['position,label,votes,share,winner'];
    for (const option of results.options) {
      const label = results.labels.find((l) => l.position === option.position)?.label ?? '';
      lines.push([option.position, csv(label), option.votes, option.share.toFixed(6), results.winners.includes(option.position)].join(','));
    }
    res.send(lines.join('\n') + '\n');
  }

  @Get(':id/ballots.csv')
  async ballotsCsv(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    saveAs(res, id, 'ballots.csv');
    res.type('text/csv; charset=utf-8');
    res.write('position,receipt_hash,choices,entry_hash\n');
    await this.stream(round.id, (b) => res.write(`${b.recordPosition},${b.receiptHash},"${b.choices.join(' ')}",${b.recordHash}\n`));
    res.end();
  }

  @Get(':id/ballots.json')
  async ballotsJson(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const round = await this.closedRound(id);
    saveAs(res, id, 'ballots.json');
    res.type('application/json');
    res.write(`{"roundId":${JSON.stringify(id)},"recordHead":${JSON.stringify(round.recordHead)},"entries":[`);
    let first = true;
    await this.stream(round.id, (b) => {
      res.write(`${first ? '' : ','}${JSON.stringify({ position: b.recordPosition, receiptHash: b.receiptHash, choices: b.choices, entryHash: b.recordHash })}`);
      first = false;
    });
    res.end(']}');
  }

  private async stream(roundId: string, write: (ballot: BallotEntity) => void): Promise<void> {
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
      batch.forEach(write);
      if (batch.length < BATCH) return;
      from = batch[batch.length - 1].recordPosition! + 1;
    }
  }
}

/**
 * A browser saves the download as `voting-round-<id>-<file>` instead of showing it (the id is base64url,
 * safe in a file name), and a script can still read it as any response.
 */
function saveAs(res: Response, roundId: string, file: string): void {
  res.setHeader('content-disposition', `attachment; filename="voting-round-${roundId}-${file}"`);
}

function csv(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
