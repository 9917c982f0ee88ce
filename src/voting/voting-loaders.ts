import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { LoaderDefinition, loaderById } from '../common/context/request-context';
import { VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';

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
   * Each round's tally shards summed by position, TURNOUT included: a fixed number of rows whatever
   * the number of ballots, one query for a page of rounds, shared by turnout and the live results.
   */
  readonly shardTotalsOf: LoaderDefinition<string, Map<number, number>> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { round_id: string; position: number; n: string }[] = await this.dataSource.query(
          `SELECT round_id, position, sum(count) AS n FROM tally_shards WHERE round_id = ANY($1) GROUP BY round_id, position`,
          [[...ids]],
        );
        const totals = new Map(ids.map((id) => [id, new Map<number, number>()]));
        for (const row of rows) totals.get(row.round_id)!.set(row.position, Number(row.n));
        return ids.map((id) => totals.get(id)!);
      }),
  };

  /** Each district's eligible voters, as the database keeps them (DistrictElectorateEntity). */
  readonly electorateOf: LoaderDefinition<string, number> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows: { district_code: string; eligible_voters: number }[] = await this.dataSource.query(
          `SELECT district_code, eligible_voters FROM district_electorates WHERE district_code = ANY($1)`,
          [[...codes]],
        );
        return codes.map((code) => rows.find((r) => r.district_code === code)?.eligible_voters ?? 0);
      }),
  };

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
