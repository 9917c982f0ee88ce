import { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { channel, EventBus } from '../realtime/event-bus';
import { RequestResidencyPayload, ReviewResidencyPayload } from './dto/payloads';
import { RequestResidencyInput, ReviewResidencyInput } from './dto/residency.input';
import { ResidencyStatus } from './entities/residency.entity';
import { Residency, ResidencyConnection } from './residency.type';
import { RESIDENCY_UPDATED, ResidencyService, ResidencyUpdatedEvent } from './residency.service';
import { User } from './user.type';
import { UsersService } from './users.service';

@Resolver(() => Residency)
export class ResidencyResolver implements OnModuleInit {
  constructor(
    private readonly service: ResidencyService,
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Residency', async (id, rc) => {
      const residency = await this.service.findVisible(rc, id);
      return residency ? Residency.from(residency) : null;
    });
  }

  @Mutation(() => RequestResidencyPayload, { description: 'Ask to be verified as a resident of a district (persons only).' })
  async requestResidency(@Args('input', { type: () => RequestResidencyInput }) input: RequestResidencyInput, @Ctx() rc: RequestContext): Promise<RequestResidencyPayload> {
    return { residency: Residency.from(await this.service.request(rc, input.districtCode, input.note)) };
  }

  @Mutation(() => ReviewResidencyPayload, { description: 'A host of the district or an administrator approves or rejects a pending request.' })
  async reviewResidency(@Args('input', { type: () => ReviewResidencyInput }) input: ReviewResidencyInput, @Ctx() rc: RequestContext): Promise<ReviewResidencyPayload> {
    return { residency: Residency.from(await this.service.review(rc, input)) };
  }

  @Query(() => ResidencyConnection, { description: "A district's residency requests, newest first: for its hosts and administrators." })
  async residencyRequests(
    @Args('districtCode', { type: () => String }) districtCode: string,
    @Args('status', { type: () => ResidencyStatus, nullable: true }) status: ResidencyStatus | null,
    @Args() page: PageArgs,
    @Ctx() rc: RequestContext,
  ): Promise<ResidencyConnection> {
    return mapConnection(await this.service.list(rc, districtCode, status, page), Residency.from);
  }

  @Subscription(() => Residency, {
    description: "The signed-in person's residency requests as they are reviewed.",
    filter(this: ResidencyResolver, event: ResidencyUpdatedEvent, _args: unknown, context: GraphQLContext) {
      return context.rc.viewer?.id === event.userId;
    },
    async resolve(this: ResidencyResolver, event: ResidencyUpdatedEvent, _args: unknown, context: GraphQLContext) {
      const residency = await this.service.forSubscriber(context.rc, event);
      return residency ? Residency.from(residency) : null;
    },
  })
  residencyUpdated(@Ctx() rc: RequestContext): AsyncIterableIterator<ResidencyUpdatedEvent> {
    const viewer = rc.requireViewer();
    return this.events.subscribe<ResidencyUpdatedEvent>(channel(RESIDENCY_UPDATED, viewer.id));
  }

  @ResolveField(() => User)
  async user(@Parent() residency: Residency, @Ctx() rc: RequestContext): Promise<User> {
    return User.from((await rc.loader(this.users.userById).load(residency.userId))!);
  }

  @ResolveField(() => District)
  async district(@Parent() residency: Residency): Promise<District> {
    return District.from((await this.districts.find(residency.districtCode))!);
  }

  @ResolveField(() => User, { nullable: true, description: 'Who reviewed it.' })
  async reviewedBy(@Parent() residency: Residency, @Ctx() rc: RequestContext): Promise<User | null> {
    if (!residency.reviewedBy) return null;
    const user = await rc.loader(this.users.userById).load(residency.reviewedBy);
    return user ? User.from(user) : null;
  }
}
