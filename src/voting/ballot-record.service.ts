import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { RequestContext } from '../common/context/request-context';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { BallotEntity, RoundStatus, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { BallotGroup } from './counting';
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

/** A ballot of the record with its place in it: what the record's entries are made of. */
interface Placed {
  position: number;
  receiptHash: string;
  choices: number[];
  previousHash: string;
  entryHash: string;
}

/** A placed ballot as an entry of the published record. */
export function recordEntry(ballot: Placed, options: Pick<VotingOptionEntity, 'id' | 'position'>[]): RecordEntry {
  return {
    position: ballot.position,
    receiptHash: ballot.receiptHash,
    choices: choiceIds(ballot.choices, options),
    choicePositions: ballot.choices,
    previousHash: ballot.previousHash,
    entryHash: ballot.entryHash,
  };
}

/** Closing stores the chain's state before every this-many-th entry (ballot_record_checkpoints). */
export const CHECKPOINT_EVERY = 1000;
/** Ballots read at a time when the whole record is walked. */
const BATCH = 20_000;

/**
 * The published ballot record: every counted ballot as its receipt hash and choices, in receipt-hash order
 * (no time order to leak), each entry chained to the previous one by its hash; read page by page by anyone
 * after closing. Closing walks the chain once and stores a checkpoint every CHECKPOINT_EVERY entries (the
 * position, its receipt hash, the chain's hash before it); any entry is placed again from the checkpoint
 * before it, reading at most CHECKPOINT_EVERY ballots. Nothing is written on the ballots themselves.
 */
@Injectable()
export class BallotRecord {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: VotingLoaders,
  ) {}

  /**
   * Walks the chain in receipt-hash order, storing its checkpoints; returns the head, and the ballots
   * grouped by identical choices for the count (so that closing reads the ballots once).
   */
  async write(em: EntityManager, roundId: string): Promise<{ head: string; groups: BallotGroup[] }> {
    const checkpoints: { position: number; receiptHash: string; previousHash: string }[] = [];
    const groups = new Map<string, BallotGroup>();
    const head = await BallotRecord.walk(em, roundId, (entry) => {
      if (entry.position % CHECKPOINT_EVERY === 0) checkpoints.push({ position: entry.position, receiptHash: entry.receiptHash, previousHash: entry.previousHash });
      const key = entry.choices.join(',');
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { choices: entry.choices, count: 1 });
    });
    for (let i = 0; i < checkpoints.length; i += BATCH) {
      const batch = checkpoints.slice(i, i + BATCH);
      await em.query(
        `INSERT INTO ballot_record_checkpoints (round_id, position, receipt_hash, previous_hash) SELECT $1, v.position, v.receipt_hash, v.previous_hash FROM unnest($2::int[], $3::text[], $4::text[]) AS v(position, receipt_hash, previous_hash)`,
        [roundId, batch.map((c) => c.position), batch.map((c) => c.receiptHash), batch.map((c) => c.previousHash)],
      );
    }
    return { head, groups: [...groups.values()] };
  }

  /**
   * Every entry of a round's chain in order, from the first (GENESIS before it), to `visit`; returns the
   * head. Inside a transaction (`em` a transaction's, as at closing) through a cursor: one sort of the
   * round's ballots, read BATCH at a time (keyset paging through the index took 58 s for 1,000,000
   * ballots, the cursor over the index 6 to 7 s, over a sort 3.4 s). Outside one (a download) by keyset paging on
   * the unique (round_id, receipt_hash) index, so that no connection is held between batches.
   */
  static async walk(em: EntityManager, roundId: string, visit: (entry: Placed) => void): Promise<string> {
    let previous = GENESIS;
    let position = 0;
    const take = (rows: { receipt_hash: string; choices: number[] }[]) => {
      for (const row of rows) {
        const entryHash = recordEntryHash(previous, row.receipt_hash, row.choices);
        visit({ position: position++, receiptHash: row.receipt_hash, choices: row.choices, previousHash: previous, entryHash });
        previous = entryHash;
      }
      return rows.length === BATCH;
    };
    if (em.queryRunner?.isTransactionActive) {
      // Sorted by bytes (COLLATE "C"): one sort of the round's ballots, three times faster than walking the
      // index (which the planner prefers otherwise). Receipt hashes are lowercase hex of one length, which
      // every deterministic collation without numeric ordering sorts as bytes do: the order of the pages,
      // read through the index (voting-record-checkpoints.spec checks they chain on both databases).
      await em.query(`DECLARE ballot_record_walk NO SCROLL CURSOR FOR SELECT receipt_hash, choices FROM ballots WHERE round_id = $1 ORDER BY receipt_hash COLLATE "C"`, [roundId]);
      while (take(await em.query(`FETCH ${BATCH} FROM ballot_record_walk`)));
      await em.query(`CLOSE ballot_record_walk`);
      return previous;
    }
    let after = '';
    for (;;) {
      const rows: { receipt_hash: string; choices: number[] }[] = await em.query(
        `SELECT receipt_hash, choices FROM ballots WHERE round_id = $1 AND receipt_hash > $2 ORDER BY receipt_hash LIMIT $3`,
        [roundId, after, BATCH],
      );
      if (!take(rows)) return previous;
      after = rows[rows.length - 1].receipt_hash;
    }
  }

  /**
   * The entries whose receipt hashes lie in [first, last] (receipt hashes of the round's ballots), placed
   * from the checkpoint at or before `first`; empty when the round has no record (not closed).
   */
  private async placed(roundId: string, first: string, last: string): Promise<Placed[]> {
    const [checkpoint]: { position: number; receipt_hash: string; previous_hash: string }[] = await this.dataSource.query(
      `SELECT position, receipt_hash, previous_hash FROM ballot_record_checkpoints WHERE round_id = $1 AND receipt_hash <= $2 ORDER BY receipt_hash DESC LIMIT 1`,
      [roundId, first],
    );
    if (!checkpoint) return [];
    const rows: { receipt_hash: string; choices: number[] }[] = await this.dataSource.query(
      `SELECT receipt_hash, choices FROM ballots WHERE round_id = $1 AND receipt_hash >= $2 AND receipt_hash <= $3 ORDER BY receipt_hash`,
      [roundId, checkpoint.receipt_hash, last],
    );
    let previous = checkpoint.previous_hash;
    const placed: Placed[] = [];
    rows.forEach((row, i) => {
      const entryHash = recordEntryHash(previous, row.receipt_hash, row.choices);
      if (row.receipt_hash >= first) placed.push({ position: checkpoint.position + i, receiptHash: row.receipt_hash, choices: row.choices, previousHash: previous, entryHash });
      previous = entryHash;
    });
    return placed;
  }

  /** A counted ballot's place in the published record (by its receipt hash), or null before closing. */
  async locate(roundId: string, receiptHash: string): Promise<{ position: number; entryHash: string } | null> {
    const [entry] = await this.placed(roundId, receiptHash, receiptHash);
    return entry ? { position: entry.position, entryHash: entry.entryHash } : null;
  }

  /** The published record, after closing: every counted ballot as (receipt hash, choices), chained. */
  async page(rc: RequestContext, roundGlobalId: string, page: PageArgs): Promise<ConnectionShape<RecordEntry>> {
    const round = await this.published(fromGlobalId(roundGlobalId, 'VotingRound', 'roundId'));
    const options = await rc.loader(this.loaders.optionsOf).load(round.id);
    const query = this.dataSource.getRepository(BallotEntity).createQueryBuilder('b').where('b.round_id = :id', { id: round.id });
    const connection = await paginate(query, page, { columns: [{ sql: 'b.receipt_hash', value: (b) => b.receiptHash }], direction: 'ASC' }, (b) => b);
    if (!connection.edges.length) return { ...connection, edges: [] };
    const placed = await this.placed(round.id, connection.edges[0].node.receiptHash, connection.edges[connection.edges.length - 1].node.receiptHash);
    const byReceipt = new Map(placed.map((entry) => [entry.receiptHash, entry]));
    return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: recordEntry(byReceipt.get(edge.node.receiptHash)!, options) })) };
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
