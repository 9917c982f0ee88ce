import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { Proposal } from '../proposals/proposal.type';
import { ProposalsService } from '../proposals/proposals.service';
import { channel, EventBus } from '../realtime/event-bus';
import { CancelVotingRoundInput, CastBallotInput, CertifyVotingRoundInput, CloseVotingRoundInput, CreateVotingRoundInput, OpenVotingRoundInput, ScheduleVotingRoundInput } from './dto/voting.input';
import {
  CancelVotingRoundPayload,
  CastBallotPayload,
  CertifyVotingRoundPayload,
  CloseVotingRoundPayload,
  CreateVotingRoundPayload,
  OpenVotingRoundPayload,
  ScheduleVotingRoundPayload,
} from './dto/payloads';
import { ROUND_UPDATES_PACING, VOTING_ROUND_UPDATED, VotingRoundUpdate } from './voting-live.service';
import { BallotBox } from './ballot-box.service';
import { BallotRecord } from './ballot-record.service';
import { VoteCounter } from './vote-counter.service';
import { VotingLoaders } from './voting-loaders';
import { VotingRoundsService } from './voting-rounds.service';
import { BallotRecordConnection, ReceiptCheck, VotingOption, VotingResults, VotingRound, VotingRoundConnection, VotingRoundUpdateType } from './voting.type';

@Resolver(() => VotingRound)
export class VotingResolver implements OnModuleInit {
  constructor(
    private readonly rounds: VotingRoundsService,
    private readonly ballotBox: BallotBox,
    private readonly record: BallotRecord,
    private readonly counter: VoteCounter,
    private readonly loaders: VotingLoaders,
    private readonly districts: DistrictsService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    // A round fetched by its id is its page: turnout and results come in the same statement.
    this.nodes.register('VotingRound', async (id, rc) => {
      const round = await this.rounds.findWithLiveCount(rc, id);
      return round ? VotingRound.from(round) : null;
    });
    // An option is seen wherever its round is (a draft's options only by the district's hosts).
    this.nodes.register('VotingOption', async (id, rc) => {
      const option = await rc.loader(this.loaders.optionById).load(id);
      return option && (await this.rounds.find(rc, option.roundId)) ? VotingOption.from(option) : null;
    });
  }

  @Query(() => VotingRound, { nullable: true })
  async votingRound(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<VotingRound | null> {
    return this.nodes.fetchAs<VotingRound>(id, 'VotingRound', rc, 'id');
  }

  @Query(() => VotingRoundConnection, { description: "A district's voting rounds, latest first." })
  async votingRounds(@Args('districtCode', { type: () => String }) districtCode: string, @Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<VotingRoundConnection> {
    return mapConnection(await this.rounds.inDistrict(rc, districtCode, page), VotingRound.from);
  }

  @Query(() => ReceiptCheck, { description: 'Is the ballot of this receipt counted? Its holder also sees their choices.' })
  async verifyReceipt(@Args('roundId', { type: () => ID }) roundId: string, @Args('receipt', { type: () => String }) receipt: string, @Ctx() rc: RequestContext): Promise<ReceiptCheck> {
    const check = await this.ballotBox.verifyReceipt(rc, roundId, receipt);
    return { counted: check.counted, superseded: check.superseded, choices: check.optionIds, recordPosition: check.position, entryHash: check.entryHash };
  }

  @Query(() => BallotRecordConnection, { description: 'After closing: every counted ballot, chained by hashes, in receipt-hash order. Recount it to check the result.' })
  async ballotRecord(@Args('roundId', { type: () => ID }) roundId: string, @Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<BallotRecordConnection> {
    return this.record.page(rc, roundId, page);
  }

  @Mutation(() => CreateVotingRoundPayload, { description: 'A host of the district prepares a round (DRAFT).' })
  async createVotingRound(@Args('input', { type: () => CreateVotingRoundInput }) input: CreateVotingRoundInput, @Ctx() rc: RequestContext): Promise<CreateVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.create(rc, input)) };
  }

  @Mutation(() => ScheduleVotingRoundPayload, { description: 'DRAFT → SCHEDULED: options freeze, proposals on the ballot move to IN_VOTE; it opens and closes on time by itself.' })
  async scheduleVotingRound(@Args('input', { type: () => ScheduleVotingRoundInput }) input: ScheduleVotingRoundInput, @Ctx() rc: RequestContext): Promise<ScheduleVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.schedule(rc, input.roundId)) };
  }

  @Mutation(() => OpenVotingRoundPayload, { description: 'Open a scheduled round now.' })
  async openVotingRound(@Args('input', { type: () => OpenVotingRoundInput }) input: OpenVotingRoundInput, @Ctx() rc: RequestContext): Promise<OpenVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.open(rc, input.roundId)) };
  }

  @Mutation(() => CloseVotingRoundPayload, { description: 'Close an open round now: the ballots are counted and the record published.' })
  async closeVotingRound(@Args('input', { type: () => CloseVotingRoundInput }) input: CloseVotingRoundInput, @Ctx() rc: RequestContext): Promise<CloseVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.close(rc, input.roundId)) };
  }

  @Mutation(() => CertifyVotingRoundPayload, { description: 'Certify a closed round: winners are adopted, other proposals rejected (nothing stands without quorum).' })
  async certifyVotingRound(@Args('input', { type: () => CertifyVotingRoundInput }) input: CertifyVotingRoundInput, @Ctx() rc: RequestContext): Promise<CertifyVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.certify(rc, input.roundId)) };
  }

  @Mutation(() => CancelVotingRoundPayload, { description: 'Cancel before opening, with a reason; proposals go back.' })
  async cancelVotingRound(@Args('input', { type: () => CancelVotingRoundInput }) input: CancelVotingRoundInput, @Ctx() rc: RequestContext): Promise<CancelVotingRoundPayload> {
    return { votingRound: VotingRound.from(await this.rounds.cancel(rc, input.roundId, input.reason)) };
  }

  @Mutation(() => CastBallotPayload, { description: 'Vote: verified residents of the district, while the round is open, once (or again, if the round allows revoting).' })
  async castBallot(@Args('input', { type: () => CastBallotInput }) input: CastBallotInput, @Ctx() rc: RequestContext): Promise<CastBallotPayload> {
    const { receipt, replaced, superseded } = await this.ballotBox.cast(rc, input);
    return { receipt: { receipt, replaced, superseded } };
  }

  @Subscription(() => VotingRoundUpdateType, {
    description: 'Turnout (and tallies, when the round shows them live) as ballots arrive: at most ten updates a second, fewer when many watch (the newest always arrives); state changes and the result at once.',
    resolve: (update: VotingRoundUpdate) => ({ ...update, results: VotingResults.from(update.results) }),
  })
  async votingRoundUpdated(@Args('roundId', { type: () => ID }) roundId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<VotingRoundUpdate>> {
    const round = await this.nodes.fetchAs<VotingRound>(roundId, 'VotingRound', rc, 'roundId');
    if (!round) throw AppError.notFound('VotingRound');
    return this.events.subscribe<VotingRoundUpdate>(channel(VOTING_ROUND_UPDATED, round.entity.id), ROUND_UPDATES_PACING);
  }

  @ResolveField(() => District)
  async district(@Parent() round: VotingRound): Promise<District> {
    return District.from((await this.districts.find(round.entity.districtCode))!);
  }

  @ResolveField(() => [VotingOption])
  async options(@Parent() round: VotingRound, @Ctx() rc: RequestContext): Promise<VotingOption[]> {
    return (await rc.loader(this.loaders.optionsOf).load(round.entity.id)).map(VotingOption.from);
  }

  @ResolveField(() => Int, { description: 'Ballots cast so far (from counters: constant cost whatever the number of ballots).' })
  turnout(@Parent() round: VotingRound, @Ctx() rc: RequestContext): Promise<number> {
    return this.counter.turnoutOf(rc, round.entity.id);
  }

  @ResolveField(() => Int, { description: 'Verified residents of the district (at closing, once closed).' })
  async eligibleVoters(@Parent() round: VotingRound, @Ctx() rc: RequestContext): Promise<number> {
    return round.entity.eligibleAtClose ?? (await rc.loader(this.loaders.liveCountOf).load(round.entity.id)).eligibleVoters;
  }

  @ResolveField(() => VotingResults, { nullable: true, description: 'Null until closing for AFTER_CLOSE rounds, for everyone.' })
  async results(@Parent() round: VotingRound, @Ctx() rc: RequestContext): Promise<VotingResults | null> {
    return VotingResults.from(await this.counter.visibleResults(round.entity, rc));
  }

  @ResolveField(() => Boolean, { description: 'Whether you have voted in this round (never what).' })
  hasVoted(@Parent() round: VotingRound, @Ctx() rc: RequestContext): Promise<boolean> {
    return this.ballotBox.hasVoted(rc, round.entity.id);
  }
}

@Resolver(() => VotingOption)
export class VotingOptionResolver {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly rounds: VotingRoundsService,
  ) {}

  @ResolveField(() => VotingRound, { description: 'The round whose ballot it is on.' })
  async round(@Parent() option: VotingOption, @Ctx() rc: RequestContext): Promise<VotingRound> {
    // Whoever sees an option sees its round: options are reached only through their round or node(), which checks it.
    const round = await this.rounds.find(rc, option.roundId);
    if (!round) throw AppError.notFound('VotingRound');
    return VotingRound.from(round);
  }

  @ResolveField(() => Proposal, { nullable: true })
  async proposal(@Parent() option: VotingOption, @Ctx() rc: RequestContext): Promise<Proposal | null> {
    const proposal = option.proposalId ? await this.proposals.findVisible(rc, option.proposalId) : null;
    return proposal ? Proposal.from(proposal) : null;
  }
}

export const VOTING_RESOLVERS = [VotingResolver, VotingOptionResolver];
