import { OnModuleInit } from '@nestjs/common';
import { writeNote } from '../notifications/notification-texts';
import { Args, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { requestForEvent } from '../common/graphql/live-requests';
import { AppError } from '../common/errors/app-error';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { NotificationKind } from '../notifications/notification.entity';
import { Notification } from '../notifications/notification.type';
import { NotificationsService } from '../notifications/notifications.service';
import { channel, EventBus } from '../realtime/event-bus';
import {
  CreateProposalPayload,
  EndorseProposalPayload,
  HideProposalPayload,
  InviteCoSponsorPayload,
  PostProgressUpdatePayload,
  PublishProposalPayload,
  RespondToCoSponsorInvitationPayload,
  RestoreProposalPayload,
  SetEndorsementThresholdPayload,
  UpdateProposalPayload,
  WithdrawEndorsementPayload,
  WithdrawProposalPayload,
} from './dto/payloads';
import {
  CreateProposalInput,
  EndorseProposalInput,
  HideProposalInput,
  InviteCoSponsorInput,
  PostProgressUpdateInput,
  ProposalFilter,
  ProposalOrder,
  PublishProposalInput,
  RespondToCoSponsorInvitationInput,
  RestoreProposalInput,
  SetEndorsementThresholdInput,
  UpdateProposalInput,
  WithdrawEndorsementInput,
  WithdrawProposalInput,
} from './dto/proposal.input';
import { CoSponsor, ProgressUpdate, Proposal, ProposalConnection, ProposalRevision, ProposalTransition, ProposalUpdate } from './proposal.type';
import { ProposalDiscussion } from './proposal-discussion';
import { PROPOSALS_IN_DISTRICT_UPDATED, ProposalsService, ProposalUpdatedEvent } from './proposals.service';

@Resolver(() => Proposal)
export class ProposalsResolver implements OnModuleInit {
  constructor(
    private readonly service: ProposalsService,
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
    private readonly discussion: ProposalDiscussion,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Proposal', async (id, rc) => {
      const proposal = await this.service.findVisible(rc, id);
      return proposal ? Proposal.from(proposal) : null;
    });
  }

  @Query(() => ProposalConnection, { description: 'Proposals you may see, filtered and ordered (newest first by default).' })
  async proposals(
    @Args('filter', { type: () => ProposalFilter, nullable: true }) filter: ProposalFilter | null,
    @Args('orderBy', { type: () => ProposalOrder, nullable: true, defaultValue: ProposalOrder.NEWEST }) orderBy: ProposalOrder,
    @Args() page: PageArgs,
    @Ctx() rc: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProposalConnection> {
    return mapConnection(await this.service.list(rc, filter, orderBy, page, this.discussion.listAlongside(rc, info)), Proposal.from);
  }

  @Query(() => Proposal, { nullable: true, description: 'A proposal by id; null when it does not exist or you may not see it.' })
  async proposal(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Proposal | null> {
    return this.nodes.fetchAs<Proposal>(id, 'Proposal', rc, 'id');
  }

  @Mutation(() => CreateProposalPayload, { description: 'Start a community plan for a district, as a DRAFT only you and your co-sponsors see.' })
  async createProposal(@Args('input', { type: () => CreateProposalInput }) input: CreateProposalInput, @Ctx() rc: RequestContext): Promise<CreateProposalPayload> {
    return { proposal: Proposal.from(await this.service.create(rc, input)) };
  }

  @Mutation(() => UpdateProposalPayload, { description: 'Edit a proposal (author or accepted co-sponsor), until a vote on it starts.' })
  async updateProposal(@Args('input', { type: () => UpdateProposalInput }) input: UpdateProposalInput, @Ctx() rc: RequestContext): Promise<UpdateProposalPayload> {
    return { proposal: Proposal.from(await this.service.update(rc, input)) };
  }

  @Mutation(() => PublishProposalPayload, { description: 'DRAFT → PUBLISHED: open it for discussion and endorsement.' })
  async publishProposal(@Args('input', { type: () => PublishProposalInput }) input: PublishProposalInput, @Ctx() rc: RequestContext): Promise<PublishProposalPayload> {
    return { proposal: Proposal.from(await this.service.publish(rc, input.proposalId)) };
  }

  @Mutation(() => WithdrawProposalPayload, { description: 'The author withdraws it, before any vote.' })
  async withdrawProposal(@Args('input', { type: () => WithdrawProposalInput }) input: WithdrawProposalInput, @Ctx() rc: RequestContext): Promise<WithdrawProposalPayload> {
    return { proposal: Proposal.from(await this.service.withdraw(rc, input.proposalId, input.note)) };
  }

  @Mutation(() => HideProposalPayload, { description: 'A host of the district hides it from the public, with a reason.' })
  async hideProposal(@Args('input', { type: () => HideProposalInput }) input: HideProposalInput, @Ctx() rc: RequestContext): Promise<HideProposalPayload> {
    return { proposal: Proposal.from(await this.service.moderate(rc, input.proposalId, 'hide', input.reason)) };
  }

  @Mutation(() => RestoreProposalPayload, { description: 'A host of the district restores a hidden proposal to its previous status, with a reason.' })
  async restoreProposal(@Args('input', { type: () => RestoreProposalInput }) input: RestoreProposalInput, @Ctx() rc: RequestContext): Promise<RestoreProposalPayload> {
    return { proposal: Proposal.from(await this.service.moderate(rc, input.proposalId, 'restore', input.reason)) };
  }

  @Mutation(() => InviteCoSponsorPayload, { description: 'The author invites an account to co-sponsor (and co-edit) the proposal.' })
  async inviteCoSponsor(@Args('input', { type: () => InviteCoSponsorInput }) input: InviteCoSponsorInput, @Ctx() rc: RequestContext): Promise<InviteCoSponsorPayload> {
    return { proposal: Proposal.from(await this.service.inviteCoSponsor(rc, input.proposalId, input.userId)) };
  }

  @Mutation(() => RespondToCoSponsorInvitationPayload, { description: 'Accept or decline an invitation to co-sponsor.' })
  async respondToCoSponsorInvitation(
    @Args('input', { type: () => RespondToCoSponsorInvitationInput }) input: RespondToCoSponsorInvitationInput,
    @Ctx() rc: RequestContext,
  ): Promise<RespondToCoSponsorInvitationPayload> {
    return { proposal: Proposal.from(await this.service.respondToInvitation(rc, input.proposalId, input.accept)) };
  }

  @Mutation(() => EndorseProposalPayload, { description: 'Endorse a proposal (once per account; endorsing again changes nothing).' })
  async endorseProposal(@Args('input', { type: () => EndorseProposalInput }) input: EndorseProposalInput, @Ctx() rc: RequestContext): Promise<EndorseProposalPayload> {
    return { proposal: Proposal.from(await this.service.endorse(rc, input.proposalId)) };
  }

  @Mutation(() => WithdrawEndorsementPayload)
  async withdrawEndorsement(@Args('input', { type: () => WithdrawEndorsementInput }) input: WithdrawEndorsementInput, @Ctx() rc: RequestContext): Promise<WithdrawEndorsementPayload> {
    return { proposal: Proposal.from(await this.service.withdrawEndorsement(rc, input.proposalId)) };
  }

  @Mutation(() => PostProgressUpdatePayload, { description: 'A host reports progress on an adopted plan; the first report starts the work, 100% completes it.' })
  async postProgressUpdate(@Args('input', { type: () => PostProgressUpdateInput }) input: PostProgressUpdateInput, @Ctx() rc: RequestContext): Promise<PostProgressUpdatePayload> {
    return { proposal: Proposal.from(await this.service.postProgress(rc, input)) };
  }

  @Mutation(() => SetEndorsementThresholdPayload, { description: 'A host of the district sets how many endorsements qualify a proposal (default 10).' })
  async setEndorsementThreshold(
    @Args('input', { type: () => SetEndorsementThresholdInput }) input: SetEndorsementThresholdInput,
    @Ctx() rc: RequestContext,
  ): Promise<SetEndorsementThresholdPayload> {
    return { district: District.from(await this.service.setEndorsementThreshold(rc, input.districtCode, input.threshold)) };
  }

  @Subscription(() => ProposalUpdate, {
    description: "Changes to the district's proposals (status, endorsements, revisions, discussion size), as you may see them at each change.",
    filter(this: ProposalsResolver, event: ProposalUpdatedEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: ProposalsResolver, event: ProposalUpdatedEvent, _args: unknown, context: GraphQLContext) {
      return this.updateFor(event, context);
    },
  })
  async proposalsInDistrictUpdated(@Args('districtCode', { type: () => String }) districtCode: string): Promise<AsyncIterableIterator<ProposalUpdatedEvent>> {
    const district = await this.districts.require(districtCode);
    return this.events.subscribe<ProposalUpdatedEvent>(channel(PROPOSALS_IN_DISTRICT_UPDATED, district.code));
  }

  @Subscription(() => ProposalUpdate, {
    description: 'Changes to one proposal you may see (status, endorsements, revisions, discussion size); a change you may no longer see does not reach you.',
    filter(this: ProposalsResolver, event: ProposalUpdatedEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: ProposalsResolver, event: ProposalUpdatedEvent, _args: unknown, context: GraphQLContext) {
      return this.updateFor(event, context);
    },
  })
  async proposalUpdated(@Args('proposalId', { type: () => ID }) proposalId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<ProposalUpdatedEvent>> {
    return this.events.subscribe<ProposalUpdatedEvent>(await this.service.channelOf(rc, proposalId));
  }

  /** Whether a change reaches a subscriber: decided with their rights at this event, not at subscribing. */
  private async mayHear(event: ProposalUpdatedEvent, context: GraphQLContext): Promise<boolean> {
    const rc = await requestForEvent(context, event);
    return !!rc && ProposalsService.mayHear(rc.viewer, event);
  }

  // `context` here is the event's own request (see live-requests.ts), as is every field's below it.
  private async updateFor(event: ProposalUpdatedEvent, context: GraphQLContext): Promise<ProposalUpdate> {
    const proposal = await this.service.findVisible(context.rc, event.proposalId);
    if (!proposal) throw AppError.notFound('Proposal');
    return { kind: event.kind, proposal: Proposal.from(proposal) };
  }

  // Resolved once per item of a list: without parameter decorators Nest calls it as GraphQL does,
  // (parent, args, context), instead of building its own context for each call (nestjs/graphql#3838).
  @ResolveField(() => User)
  async author(proposal: Proposal, _args: unknown, { rc }: GraphQLContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(proposal.authorId))!);
  }

  @ResolveField(() => District)
  async district(@Parent() proposal: Proposal): Promise<District> {
    return District.from((await this.districts.find(proposal.districtCode))!);
  }

  @ResolveField(() => [CoSponsor], { description: 'Accepted co-sponsors; the author and co-sponsors also see pending and declined invitations.' })
  async coSponsors(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<CoSponsor[]> {
    const sponsors = await rc.loader(this.service.sponsorsOf).load(proposal.proposalId);
    const insider = !!rc.viewer && (rc.viewer.id === proposal.authorId || sponsors.some((s) => s.userId === rc.viewer!.id));
    return sponsors.filter((s) => insider || s.status === 'ACCEPTED').map(CoSponsor.from);
  }

  @ResolveField(() => Boolean, { description: 'Whether you endorse it.' })
  async viewerHasEndorsed(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<boolean> {
    return rc.viewer ? rc.loader(this.service.endorsed).load(`${proposal.proposalId}:${rc.viewer.id}`) : false;
  }

  @ResolveField(() => [ProposalTransition], { description: 'Every status change, oldest first.' })
  async statusHistory(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<ProposalTransition[]> {
    return (await rc.loader(this.service.transitionsOf).load(proposal.proposalId)).map(ProposalTransition.from);
  }

  @ResolveField(() => [ProposalRevision], { description: 'The text before each edit made after publishing, oldest first.' })
  async revisions(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<ProposalRevision[]> {
    return (await rc.loader(this.service.revisionsOf).load(proposal.proposalId)).map(ProposalRevision.from);
  }

  @ResolveField(() => [ProgressUpdate], { description: 'Progress reports on the adopted plan, oldest first.' })
  async progressUpdates(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): Promise<ProgressUpdate[]> {
    return (await rc.loader(this.service.progressOf).load(proposal.proposalId)).map(ProgressUpdate.from);
  }
}

/** Who did what, on the records a proposal keeps. */
@Resolver(() => ProposalTransition)
export class ProposalTransitionResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => String, { nullable: true, description: 'Why: as the person who made the change wrote it, or, when the platform wrote it, in your language.' })
  note(@Parent() transition: ProposalTransition, @Ctx() rc: RequestContext): string | null {
    return transition.why === null ? null : writeNote(rc.locale, transition.why);
  }

  @ResolveField(() => User, { nullable: true, description: 'Null when the system made the change (the endorsement threshold was reached).' })
  async actor(@Parent() transition: ProposalTransition, @Ctx() rc: RequestContext): Promise<User | null> {
    const user = transition.actorId ? await rc.loader(this.users.userById).load(transition.actorId) : null;
    return user ? User.from(user) : null;
  }
}

@Resolver(() => ProposalRevision)
export class ProposalRevisionResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => User, { description: 'Who made the edit.' })
  async editor(@Parent() revision: ProposalRevision, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(revision.editorId))!);
  }
}

@Resolver(() => CoSponsor)
export class CoSponsorResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => User)
  async user(@Parent() sponsor: CoSponsor, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(sponsor.userId))!);
  }
}

@Resolver(() => ProgressUpdate)
export class ProgressUpdateResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => User)
  async author(@Parent() update: ProgressUpdate, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(update.authorId))!);
  }
}

@Resolver(() => District)
export class DistrictThresholdResolver {
  constructor(private readonly service: ProposalsService) {}

  @ResolveField(() => Int, { description: 'Endorsements that qualify a published proposal.' })
  async endorsementThreshold(@Parent() district: District, @Ctx() rc: RequestContext): Promise<number> {
    return rc.loader(this.service.thresholdOf).load(district.code);
  }
}

@Resolver(() => Notification)
export class NotificationProposalResolver implements OnModuleInit {
  constructor(
    private readonly service: ProposalsService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    // An invitation quotes the proposal's title as it reads now, while the invitee may still see it.
    this.notifications.quote(NotificationKind.COSPONSOR_INVITATION, async (rc, notification) => {
      const proposal = notification.proposalId ? await this.service.findVisible(rc, notification.proposalId) : null;
      return proposal?.title ?? null;
    });
  }

  @ResolveField(() => Proposal, { nullable: true, description: 'The proposal it is about, if you may still see it.' })
  async proposal(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<Proposal | null> {
    if (!notification.proposalId) return null;
    const proposal = await this.service.findVisible(rc, notification.proposalId);
    return proposal ? Proposal.from(proposal) : null;
  }
}

export const PROPOSAL_RESOLVERS = [
  ProposalsResolver,
  ProposalTransitionResolver,
  ProposalRevisionResolver,
  CoSponsorResolver,
  ProgressUpdateResolver,
  DistrictThresholdResolver,
  NotificationProposalResolver,
];

