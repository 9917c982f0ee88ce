import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { RequestContext } from '../common/context/request-context';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { BallotEntity, RoundStatus, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { VotingLoaders } from './voting-loaders';
import { VotingRefusal } from './voting-refusals';

export const GENESIS = '0'.repeat(64);

/** One entry of the published ballot record, as GraphQL and ballots.json give it: no voter in a secret round. */
export interface RecordEntry {
  position: number;
  receiptHash: string;
  /** Option ids, in the ballot's order. */
  choices: string[];
  /** The same choices as option positions: what the entry's hash covers. */
  choicePositions: number[];
  previousHash: string;
  entryHash: string;
}

/**
 * The hash of a record entry: it covers the previous entry's hash, so any change breaks the chain.
 * Ballots are stored by option position, so the chain is computed on positions (see README).
 */
export function recordEntryHash(previousHash: string, receiptHash: string, choicePositions: number[]): string {
  return createHash('sha256').update(`${previousHash}|${receiptHash}|${choicePositions.join(',')}`).digest('hex');
}

/**
 * A ballot's choices as clients see them: option positions (as stored) to option ids. `options` are the
 * round's, in any order.
 */
export function choiceIds(positions: number[], options: Pick<VotingOptionEntity, 'id' | 'position'>[]): string[] {
  return positions.map((position) => {
    const option = options.find((o) => o.position === position);
    if (!option) throw new Error(`a ballot names position ${position}, which its round does not have`);
    return toGlobalId('VotingOption', option.id);
  });
}

/** A stored ballot as an entry of the published record. */
export function recordEntry(ballot: Pick<BallotEntity, 'recordPosition' | 'receiptHash' | 'choices' | 'recordHash'>, previousHash: string, options: Pick<VotingOptionEntity, 'id' | 'position'>[]): RecordEntry {
  return {
    position: ballot.recordPosition!,
    receiptHash: ballot.receiptHash,
    choices: choiceIds(ballot.choices, options),
    choicePositions: ballot.choices,
    previousHash,
    entryHash: ballot.recordHash!,
  };
}

/**
 * The published ballot record: written at closing (every counted ballot as its receipt hash and
 * choices, in receipt-hash order, each entry chained to the previous), read page by page by anyone.
 */
@Injectable()
export class BallotRecord {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: VotingLoaders,
  ) {}

  /** Chains the ballots in receipt-hash order (no time order to leak), writing each entry's hash; returns the head. */
  async write(em: EntityManager, roundId: string): Promise<string> {
    let previous = GENESIS;
    let position = 0;
    const batch = 5000;
    // Keyset paging on the unique (round_id, receipt_hash) index: each page costs the same, where an
    // OFFSET would re-read every ballot before it (closing 1M ballots took minutes).
    let after = '';
    for (;;) {
      const rows: { id: string; receipt_hash: string; choices: number[] }[] = await em.query(
        `SELECT id, receipt_hash, choices FROM ballots WHERE round_id = $1 AND receipt_hash > $2 ORDER BY receipt_hash LIMIT $3`,
        [roundId, after, batch],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].receipt_hash;
      const ids: string[] = [];
      const positions: number[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        previous = recordEntryHash(previous, row.receipt_hash, row.choices);
        ids.push(row.id);
        positions.push(position++);
        hashes.push(previous);
      }
      await em.query(
        `UPDATE ballots b SET record_position = v.position, record_hash = v.hash FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, position, hash) WHERE b.id = v.id`,
        [ids, positions, hashes],
      );
    }
    return previous;
  }

  /** The published record, after closing: every counted ballot as (receipt hash, choices), chained. */
  async page(rc: RequestContext, roundGlobalId: string, page: PageArgs): Promise<ConnectionShape<RecordEntry>> {
    const round = await this.published(fromGlobalId(roundGlobalId, 'VotingRound', 'roundId'));
    const options = await rc.loader(this.loaders.optionsOf).load(round.id);
    const query = this.dataSource.getRepository(BallotEntity).createQueryBuilder('b').where('b.round_id = :id', { id: round.id });
    const connection = await paginate(query, page, { columns: [{ sql: 'b.record_position', value: (b) => b.recordPosition ?? 0 }], direction: 'ASC' }, (b) => b);
    const previous = new Map<number, string>();
    const firstPosition = connection.edges[0]?.node.recordPosition ?? 0;
    if (firstPosition > 0) {
      const before = await this.dataSource.getRepository(BallotEntity).findOneBy({ roundId: round.id, recordPosition: firstPosition - 1 });
      previous.set(firstPosition, before?.recordHash ?? GENESIS);
    } else previous.set(0, GENESIS);
    const edges = connection.edges.map((edge, i) => {
      const b = edge.node;
      const prev = i === 0 ? previous.get(b.recordPosition!)! : connection.edges[i - 1].node.recordHash!;
      return { cursor: edge.cursor, node: recordEntry(b, prev, options) };
    });
    return { ...connection, edges };
  }

  /**
   * A round whose results and record are published (closed or certified), or why not: the same
   * refusal for the GraphQL record and for the downloads.
   */
  async published(id: string): Promise<VotingRoundEntity> {
    const round = await this.dataSource.getRepository(VotingRoundEntity).findOneBy({ id });
    if (!round || round.status === RoundStatus.DRAFT) throw AppError.notFound('VotingRound');
    if (round.status === RoundStatus.CANCELLED) throw VotingRefusal.cancelled(round.cancelReason);
    if (round.status !== RoundStatus.CLOSED && round.status !== RoundStatus.CERTIFIED) throw VotingRefusal.notPublished();
    return round;
  }
}
