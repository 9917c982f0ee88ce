import { VotingMethod, VotingRoundEntity } from './entities/voting.entity';

/**
 * The running counts (TallyShardEntity): written by the ballot box with each ballot, read by the
 * counter for live turnout and tallies.
 */

/** Counters are spread over this many rows per option, so simultaneous ballots rarely wait on each other. */
export const SHARDS = 16;
/** The shard position that counts ballots (turnout). */
export const TURNOUT = -1;
/** The shard position that counts ballot events, new ballots and revotes: what moves tallies, the unit of a secret round's live batches. */
export const EVENTS = -2;

/** Adds the deltas ($4) at the option positions ($3) to shard $2 of round $1 (the running counts), if `condition` holds. */
export const tallyUpsert = (condition = 'true') => `INSERT INTO tally_shards (round_id, position, shard, count) SELECT $1, p, $2, d FROM unnest($3::smallint[], $4::bigint[]) AS v(p, d) WHERE ${condition}
  ON CONFLICT (round_id, position, shard) DO UPDATE SET count = tally_shards.count + EXCLUDED.count`;

/** The parameters of tallyUpsert moving the counts from the old choices to the new ones (one ballot event), on a random shard. */
export function tallyMove(round: Pick<VotingRoundEntity, 'id' | 'method'>, before: number[], after: number[], newBallot: boolean): [string, number, number[], number[]] {
  const counted = (choices: number[]) => (round.method === VotingMethod.RANKED_CHOICE ? choices.slice(0, 1) : choices);
  const delta = new Map<number, number>([[EVENTS, 1]]);
  if (newBallot) delta.set(TURNOUT, 1);
  for (const p of counted(before)) delta.set(p, (delta.get(p) ?? 0) - 1);
  for (const p of counted(after)) delta.set(p, (delta.get(p) ?? 0) + 1);
  const changes = [...delta.entries()].filter(([, d]) => d !== 0).sort(([a], [b]) => a - b);
  return [round.id, Math.floor(Math.random() * SHARDS), changes.map(([p]) => p), changes.map(([, d]) => d)];
}
