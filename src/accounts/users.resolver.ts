import { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { deletedAccountName } from './erasure/deleted-account';
import { AppointHostInput, RemoveHostInput } from './dto/hosts.input';
import { AppointHostPayload, RemoveHostPayload } from './dto/payloads';
import { Locale, UserEntity } from './entities/user.entity';
import { Residency } from './residency.type';
import { ResidencyService } from './residency.service';
import { User, UserConnection } from './user.type';
import { UsersService } from './users.service';

@Resolver(() => User)
export class UsersResolver implements OnModuleInit {
  constructor(
    private readonly service: UsersService,
    private readonly residencies: ResidencyService,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('User', async (id, rc) => {
      const user = await this.service.findVisible(rc, id);
      return user ? User.from(user) : null;
    });
  }

  @Query(() => User, { nullable: true, description: 'The signed-in account; null when signed out.' })
  async me(@Ctx() rc: RequestContext): Promise<User | null> {
    const user = await this.service.me(rc);
    return user ? User.from(user) : null;
  }

  @Query(() => UserConnection, { description: 'Administrators only: accounts, newest first, optionally matching a name or email.' })
  async users(@Args() page: PageArgs, @Args('search', { type: () => String, nullable: true }) search: string | null, @Ctx() rc: RequestContext): Promise<UserConnection> {
    return mapConnection(await this.service.list(rc, search, page), (user) => User.from(user));
  }

  @Mutation(() => AppointHostPayload, { description: 'Administrators only: make a person a host of a district.' })
  async appointHost(@Args('input', { type: () => AppointHostInput }) input: AppointHostInput, @Ctx() rc: RequestContext): Promise<AppointHostPayload> {
    return { user: User.from(await this.service.appointHost(rc, input.userId, input.districtCode)) };
  }

  @Mutation(() => RemoveHostPayload, { description: 'Administrators only: end a host appointment.' })
  async removeHost(@Args('input', { type: () => RemoveHostInput }) input: RemoveHostInput, @Ctx() rc: RequestContext): Promise<RemoveHostPayload> {
    return { user: User.from(await this.service.removeHost(rc, input.userId, input.districtCode)) };
  }

  // Once per item of a list: no parameter decorators, so Nest calls it directly (see ProposalsResolver.author).
  @ResolveField(() => String, { description: 'An erased account\'s reads "deleted account", in the reader\'s language.' })
  displayName(user: User, _args: unknown, { rc }: GraphQLContext): string {
    return user.erased ? deletedAccountName(rc.locale) : user.displayName;
  }

  @ResolveField(() => String, { nullable: true, description: 'Only for the account itself and administrators.' })
  email(@Parent() user: User, @Ctx() rc: RequestContext): string | null {
    return user.forOwner || UsersService.canSeePrivate(rc, user.userId) ? user.privateEmail : null;
  }

  @ResolveField(() => Locale, { nullable: true, description: 'Only for the account itself and administrators.' })
  locale(@Parent() user: User, @Ctx() rc: RequestContext): Locale | null {
    return user.forOwner || UsersService.canSeePrivate(rc, user.userId) ? user.privateLocale : null;
  }

  @ResolveField(() => [District], { description: 'The districts this account hosts.' })
  async hostedDistricts(@Parent() user: User, @Ctx() rc: RequestContext): Promise<District[]> {
    if (user.erased) return [];
    const codes = await rc.loader(this.service.hostedDistrictCodes).load(user.userId);
    const districts = await Promise.all(codes.map((code) => this.districts.find(code)));
    return districts.filter((d) => d !== null).map(District.from);
  }

  @ResolveField(() => Residency, { nullable: true, description: 'The latest residency request; for the person, administrators and hosts of its district.' })
  async residency(@Parent() user: User, @Ctx() rc: RequestContext): Promise<Residency | null> {
    if (user.erased) return null;
    const residency = await rc.loader(this.residencies.latestOfUser).load(user.userId);
    return residency && (user.forOwner || ResidencyService.canSee(rc, residency)) ? Residency.from(residency) : null;
  }

  @ResolveField(() => District, { nullable: true, description: 'The district this person is a verified resident of; for the person, administrators and hosts of that district.' })
  async residentDistrict(@Parent() user: User, @Ctx() rc: RequestContext): Promise<District | null> {
    if (user.erased) return null;
    const residency = await rc.loader(this.residencies.approvedOfUser).load(user.userId);
    if (!residency || !(user.forOwner || ResidencyService.canSee(rc, residency))) return null;
    const district = await this.districts.find(residency.districtCode);
    return district ? District.from(district) : null;
  }
}

@Resolver(() => District)
export class DistrictHostsResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => [User], { description: "The district office's hosts." })
  async hosts(@Parent() district: District, @Ctx() rc: RequestContext): Promise<User[]> {
    const ids = await rc.loader(this.users.hostIdsOfDistrict).load(district.code);
    const users = await rc.loader(this.users.userById).loadMany(ids);
    return users.filter((u): u is UserEntity => u !== null && !(u instanceof Error)).map((u) => User.from(u));
  }
}
