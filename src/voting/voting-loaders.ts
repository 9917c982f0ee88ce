import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { LoaderDefinition, loaderById, RequestContext } from '../common/context/request-context';
import { VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';

/** A round's live count before counting: shard totals by position, its options (database ids) and its district's eligible voters. */
export interface LiveCountInputs {
  totals: Map<number, number>;
  options: { position: number; optionId: string; label: string }[];
  eligibleVoters: number;
}

/** The live count's inputs as one JSON value, for the round aliased `r` (the results benchmark times it too). */
export const LIVE_COUNT_OF_R = `json_build_object(
  'eligibleVoters', (SELECT e.eligible_voters FROM district_electorates e WHERE e.district_code = r.district_code),
  'totals', (SELECT coalesce(json_agg(json_build_array(s.position, s.n::text)), '[]') FROM (SELECT t.position, sum(t.count) AS n FROM tally_shards t WHERE t.round_id = r.id GROUP BY t.position) s),
  'options', (SELECT coalesce(json_agg(json_build_array(o.position, o.id, o.label) ORDER BY o.position), '[]') FROM voting_options o WHERE o.round_id = r.id))`;

interface LiveCountRow {
  eligibleVoters: number | null;
  totals: [number, string][];
  options: [number, string, string][];
}

function liveCountInputs(row: LiveCountRow | undefined): LiveCountInputs {
  return {
    totals: new Map((row?.totals ?? []).map(([position, n]): [number, number] => [position, Number(n)])),
    options: (row?.options ?? []).map(([position, optionId, label]) => ({ position, optionId, label })),
    eligibleVoters: row?.eligibleVoters ?? 0,
  };
}

/**
 * The reads of a request about voting rounds, batched per request (each RequestContext makes its own
 * loaders): shared by the rounds, the ballot box and the counter, so a field read twice costs one query.
 */
@Injectable()
export class VotingLoaders {
  constructor(private readonly dataSource: DataSource) {}

  readonly byId = loaderById((ids) => this.dataSource.getRepository(VotingRoundEntity).findBy({ id: In(ids) }));

  /** Options by their own id (node(id:)); whether the viewer may see one is its round's question. */
  readonly optionById = loaderById((ids) => this.dataSource.getRepository(VotingOptionEntity).findBy({ id: In(ids) }));

  readonly optionsOf: LoaderDefinition<string, VotingOptionEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(VotingOptionEntity).find({ where: { roundId: In([...ids]) }, order: { position: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.roundId === id));
      }),
  };

  /**
   * What a round's live count reads, in one statement whatever the number of ballots: its tally shards
   * summed by position (TURNOUT included, a fixed number of rows), its options as they stand on the
   * ballot, and its district's eligible voters (one row, as the database keeps them: DistrictElectorateEntity).
   * Shared by turnout, eligibleVoters and the live results, so a page of rounds, or one round's
   * turnout and results together, cost one query.
   */
  readonly liveCountOf: LoaderDefinition<string, LiveCountInputs> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { round_id: string; live: LiveCountRow }[] = await this.dataSource.query(`SELECT r.id AS round_id, ${LIVE_COUNT_OF_R} AS live FROM voting_rounds r WHERE r.id = ANY($1)`, [[...ids]]);
        const byId = new Map(rows.map((row) => [row.round_id, row.live]));
        return ids.map((id) => liveCountInputs(byId.get(id)));
      }),
  };

  /**
   * Rounds with their live counts read in the same statement: a round's own page (votingRound(id),
   * node(id)) shows its turnout and results, so the request costs one query, not two one after the
   * other. The request's byId and liveCountOf loaders are primed with what it read.
   */
  async withLiveCount(rc: RequestContext, id: string): Promise<VotingRoundEntity | null> {
    const { entities, raw } = await this.dataSource.getRepository(VotingRoundEntity).createQueryBuilder('r').addSelect(LIVE_COUNT_OF_R, 'live').where('r.id = :id', { id }).getRawAndEntities<{ live: LiveCountRow }>();
    const round = entities[0] ?? null;
    if (round) {
      rc.loader(this.byId).prime(id, round);
      rc.loader(this.liveCountOf).prime(id, liveCountInputs(raw[0].live));
    }
    return round;
  }

  /** Keyed by `${roundId}:${voterId}`: whether that account voted (never what). */
  readonly votedIn: LoaderDefinition<string, boolean> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows: { round_id: string; voter_id: string }[] = await this.dataSource.query(
          `SELECT round_id, voter_id FROM voting_participations WHERE (round_id, voter_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
          [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
        );
        const found = new Set(rows.map((r) => `${r.round_id}:${r.voter_id}`));
        return keys.map((key) => found.has(key));
      }),
  };
}
