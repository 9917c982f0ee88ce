import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { toGlobalId } from '../common/relay/global-id';
import { BallotGroup, countBudget, countInstantRunoff, countMarks, CountResult } from './counting';
import { ResultsVisibility, RoundStatus, VotingMethod, VotingOptionEntity, VotingRoundEntity } from './entities/voting.entity';
import { LiveTallies } from './live-tallies.service';
import { TURNOUT } from './tally-shards';
import { VotingLiveService } from './voting-live.service';
import { VotingLoaders } from './voting-loaders';

/** Ballot events per published batch of a secret LIVE round, unless the round says otherwise. */
export const DEFAULT_LIVE_BATCH = 20;

export interface RoundResults extends CountResult {
  /** The options as they stood on the ballot, by position. */
  labels: { position: number; optionId: string; label: string }[];
  method: VotingMethod;
  turnout: number;
  eligibleVoters: number;
  quorum: number;
  quorumMet: boolean;
  final: boolean;
}

/**
 * Counting a round: the authoritative count from the ballots at closing, and what the public may see
 * of the count while it is open (live turnout and, for LIVE rounds, tallies from the running counts).
 * The counting rules themselves are pure functions in counting.ts.
 */
@Injectable()
export class VoteCounter implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly loaders: VotingLoaders,
    private readonly live: VotingLiveService,
    private readonly liveTallies: LiveTallies,
  ) {}

  onApplicationBootstrap(): void {
    this.live.attach(async (roundId) => {
      const round = await this.dataSource.getRepository(VotingRoundEntity).findOneBy({ id: roundId });
      if (!round) return null;
      // Read as nobody in particular: the update goes to every watcher, who see the same figures.
      const rc = new RequestContext('voting-live', null);
      // The flush after ballots is what publishes a secret round's next batch, when one is due.
      const [turnout, results] = await Promise.all([this.turnoutOf(rc, round.id), this.visibleResults(round, rc, { publishBatch: true })]);
      return { round, turnout, results };
    });
  }

  async turnoutOf(rc: RequestContext, roundId: string): Promise<number> {
    return (await rc.loader(this.loaders.liveCountOf).load(roundId)).totals.get(TURNOUT) ?? 0;
  }

  /** The district's verified residents: one row, which the database keeps exact (DistrictElectorateEntity). */
  async eligibleVoters(em: EntityManager, districtCode: string): Promise<number> {
    const rows: { eligible_voters: number }[] = await em.query(`SELECT eligible_voters FROM district_electorates WHERE district_code = $1`, [districtCode]);
    return rows[0]?.eligible_voters ?? 0;
  }

  /** The live count from the shards' totals (ranked choice: first preferences only); no lot yet, so a tie at the cut-off stays undecided. */
  static liveCounts(totals: Map<number, number>, optionCount: number, seats: number): CountResult {
    const groups: BallotGroup[] = [...totals].filter(([position]) => position >= 0).map(([position, count]) => ({ choices: [position], count }));
    const ballots = totals.get(TURNOUT) ?? 0;
    const marks = countMarks(groups, optionCount, seats);
    return { ...marks, ballots, options: marks.options.map((o) => ({ ...o, share: ballots ? o.votes / ballots : 0 })) };
  }

  /**
   * The authoritative count, from the ballots themselves grouped by identical choices (as the record's
   * walk groups them: BallotRecord.write); ties drawn by lot from the record's head.
   */
  async count(em: EntityManager, round: VotingRoundEntity, recordHead: string, groups: BallotGroup[], final: boolean): Promise<RoundResults> {
    const options = await em.find(VotingOptionEntity, { where: { roundId: round.id }, order: { position: 'ASC' } });
    const result = VoteCounter.countGroups(round, options, groups, recordHead);
    return {
      ...result,
      labels: VoteCounter.labels(options),
      method: round.method,
      turnout: result.ballots,
      eligibleVoters: round.eligibleAtClose ?? (await this.eligibleVoters(em, round.districtCode)),
      quorum: round.quorum,
      quorumMet: result.ballots >= round.quorum,
      final,
    };
  }

  static labels(options: VotingOptionEntity[]): RoundResults['labels'] {
    return options.map((o) => ({ position: o.position, optionId: toGlobalId('VotingOption', o.id), label: o.label }));
  }

  /** The same count from any ballot list and the record's head (the seed of the lot): what a recount from the published record runs. */
  static countGroups(round: Pick<VotingRoundEntity, 'method' | 'budget' | 'seats'>, options: Pick<VotingOptionEntity, 'cost'>[], groups: BallotGroup[], recordHead: string): CountResult {
    switch (round.method) {
      case VotingMethod.RANKED_CHOICE:
        return countInstantRunoff(groups, options.length, recordHead);
      case VotingMethod.BUDGET:
        return countBudget(groups, options.map((o) => Number(o.cost)), Number(round.budget), recordHead);
      default:
        return countMarks(groups, options.length, round.seats ?? 1, recordHead);
    }
  }

  /**
   * What the viewer may see of the result: after closing for everyone; live only when the round says
   * so, and for a secret round only as its last published batch (LiveTallies), which `publishBatch`
   * moves on when one is due. Read through the request's loaders: the turnout field reads the same row
   * (liveCountOf), so a round's turnout and live results cost one statement.
   */
  async visibleResults(round: VotingRoundEntity, rc: RequestContext, options: { publishBatch?: boolean } = {}): Promise<RoundResults | null> {
    if (round.status === RoundStatus.CLOSED || round.status === RoundStatus.CERTIFIED) return round.results as RoundResults;
    if (round.status !== RoundStatus.OPEN || round.resultsVisibility !== ResultsVisibility.LIVE) return null;
    const [inputs, published] = await Promise.all([rc.loader(this.loaders.liveCountOf).load(round.id), round.secret ? this.publishedTotals(round, rc, options.publishBatch ?? false) : null]);
    const labels = inputs.options.map((o) => ({ position: o.position, optionId: toGlobalId('VotingOption', o.optionId), label: o.label }));
    const live = VoteCounter.liveCounts(published ?? inputs.totals, labels.length, round.method === VotingMethod.RANKED_CHOICE ? 1 : (round.seats ?? 1));
    return { ...live, labels, method: round.method, turnout: live.ballots, eligibleVoters: inputs.eligibleVoters, quorum: round.quorum, quorumMet: live.ballots >= round.quorum, final: false };
  }

  /** A secret round's published snapshot, as totals by position (TURNOUT included). */
  private async publishedTotals(round: VotingRoundEntity, rc: RequestContext, publishBatch: boolean): Promise<Map<number, number>> {
    const snapshot = publishBatch ? await this.liveTallies.advance(round.id, round.liveBatchSize ?? DEFAULT_LIVE_BATCH) : await rc.loader(this.liveTallies.snapshotOf).load(round.id);
    return new Map<number, number>([[TURNOUT, snapshot?.turnout ?? 0], ...(snapshot?.votes ?? []).map((votes, position): [number, number] => [position, votes])]);
  }
}
