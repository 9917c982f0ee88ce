import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { LoaderDefinition } from '../common/context/request-context';
import { EVENTS, TURNOUT } from './tally-shards';

/** Published tallies of a secret round: votes by option position, and the ballots they count. */
export interface TallySnapshot {
  turnout: number;
  votes: number[];
}

/**
 * The live tallies of secret rounds. Shown ballot by ballot, a tally change could be set beside who
 * was seen voting at that moment (a sign-in, a request log line), so a secret LIVE round publishes its
 * tallies only in batches: a snapshot of the running counts, taken once at least `liveBatchSize`
 * ballot events (new ballots and revotes, which move tallies without moving turnout) have passed
 * since the last. The snapshot is one row in the database, moved only forward by one conditional
 * statement, so every instance shows the same batches and polling any of them shows nothing finer.
 * The last batch is the final count, at closing.
 */
@Injectable()
export class LiveTallies {
  constructor(private readonly dataSource: DataSource) {}

  /** Per request: each round's published snapshot (null before its first batch). */
  readonly snapshotOf: LoaderDefinition<string, TallySnapshot | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { round_id: string; turnout: number; votes: number[] }[] = await this.dataSource.query(`SELECT round_id, turnout, votes FROM live_tallies WHERE round_id = ANY($1)`, [[...ids]]);
        return ids.map((id) => rows.find((r) => r.round_id === id) ?? null);
      }),
  };

  /**
   * Publishes the running counts if at least `batch` ballot events have passed since the published
   * snapshot, and answers the snapshot as it then stands. The counts are read in the statement that
   * writes them (one consistent view of the shards), and the update's condition makes instances that
   * race each other only ever move the snapshot forward, by a batch or more.
   */
  async advance(roundId: string, batch: number): Promise<TallySnapshot | null> {
    const moved: { turnout: number; votes: number[] }[] = await this.dataSource.query(
      `WITH shard AS (SELECT position, sum(count)::int AS n FROM tally_shards WHERE round_id = $1 GROUP BY position),
            running AS (
              SELECT coalesce((SELECT n FROM shard WHERE position = ${EVENTS}), 0) AS events,
                     coalesce((SELECT n FROM shard WHERE position = ${TURNOUT}), 0) AS turnout,
                     (SELECT coalesce(array_agg(coalesce(s.n, 0) ORDER BY o.position), '{}') FROM voting_options o LEFT JOIN shard s ON s.position = o.position WHERE o.round_id = $1) AS votes)
       INSERT INTO live_tallies (round_id, events, turnout, votes)
       SELECT $1, events, turnout, votes FROM running WHERE events >= $2
       ON CONFLICT (round_id) DO UPDATE SET events = EXCLUDED.events, turnout = EXCLUDED.turnout, votes = EXCLUDED.votes
        WHERE live_tallies.events + $2 <= EXCLUDED.events
       RETURNING turnout, votes`,
      [roundId, batch],
    );
    if (moved.length) return moved[0];
    const rows: TallySnapshot[] = await this.dataSource.query(`SELECT turnout, votes FROM live_tallies WHERE round_id = $1`, [roundId]);
    return rows[0] ?? null;
  }
}
