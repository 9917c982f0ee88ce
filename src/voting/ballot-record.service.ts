import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { BallotEntity, RoundStatus, VotingRoundEntity } from './entities/voting.entity';
import { VotingRefusal } from './voting-refusals';

const GENESIS = '0'.repeat(64);

/** One entry of the published ballot record: no voter in a secret round. */
export interface RecordEntry {
  position: number;
  receiptHash: string;
  choices: number[];
  previousHash: string;
  entryHash: string;
  voterId: string | null;
}

/** The hash of a record entry: it covers the previous entry's hash, so any change breaks the chain. */
export function recordEntryHash(previousHash: string, receiptHash: string, choices: number[]): string {
  return createHash('sha256').update(`${previousHash}|${receiptHash}|${choices.join(',')}`).digest('hex');
}

/**
 * The published ballot record: written at closing (every counted ballot as its receipt hash and
 * choices, in receipt-hash order, each entry chained to the previous), read page by page by anyone.
 */
@Injectable()
export class BallotRecord {
  constructor(private readonly dataSource: DataSource) {}

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
  async page(roundGlobalId: string, page: PageArgs): Promise<ConnectionShape<RecordEntry>> {
    const round = await this.published(fromGlobalId(roundGlobalId, 'VotingRound', 'roundId'));
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
      return { cursor: edge.cursor, node: { position: b.recordPosition!, receiptHash: b.receiptHash, choices: b.choices, previousHash: prev, entryHash: b.recordHash!, voterId: round.secret ? null : b.voterId } };
    });
    return { ...connection, edges };
  }

  /**
   * A round whose results and record are published (closed or certified), or why not: the same
   * refusal for the GraphQL record and for the downloads.
   */
  async published(id: string): Promise<VotingRoundEntity> {
    const round = await this.dataSource.getRepository(VotingRoundEntity).findOneBy({ id });
    if (!round || round.status === RoundStatus.DRAFT) throw AppError.notFound('Voting round');
    if (round.status === RoundStatus.CANCELLED) throw VotingRefusal.cancelled(round.cancelReason);
    if (round.status !== RoundStatus.CLOSED && round.status !== RoundStatus.CERTIFIED) throw VotingRefusal.notPublished();
    return round;
  }
}
