import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { Refusable } from '../common/graphql/refusable-fields';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { District } from '../districts/district.type';
import { FollowingService, FollowState } from './following.service';
import {
  FollowDistrictInput,
  FollowDistrictPayload,
  FollowedDistrict,
  FollowedDistrictConnection,
  SetFollowPreferencesInput,
  SetFollowPreferencesPayload,
  UnfollowDistrictInput,
  UnfollowDistrictPayload,
} from './following.type';

function followedDistrict(state: FollowState): FollowedDistrict {
  return { district: District.from(state.district), resident: state.resident, following: state.following, preferences: state.preferences };
}

@Resolver(() => FollowedDistrict)
export class FollowingResolver {
  constructor(private readonly service: FollowingService) {}

  @Mutation(() => FollowDistrictPayload, { description: "Follow a district's news (announcements, proposals, hearings, votes, questionnaires), with the preferences given (all on by default). Signed-in accounts." })
  async followDistrict(@Args('input', { type: () => FollowDistrictInput }) input: FollowDistrictInput, @Ctx() rc: RequestContext): Promise<FollowDistrictPayload> {
    return { followedDistrict: followedDistrict(await this.service.follow(rc, input.districtCode, input.preferences)) };
  }

  @Mutation(() => UnfollowDistrictPayload, { description: 'Stop following a district. Your home district too: its emergency announcements still reach you.' })
  async unfollowDistrict(@Args('input', { type: () => UnfollowDistrictInput }) input: UnfollowDistrictInput, @Ctx() rc: RequestContext): Promise<UnfollowDistrictPayload> {
    return { followedDistrict: followedDistrict(await this.service.unfollow(rc, input.districtCode)) };
  }

  @Mutation(() => SetFollowPreferencesPayload, { description: 'Choose what you are told about a district you follow or live in.' })
  async setFollowPreferences(@Args('input', { type: () => SetFollowPreferencesInput }) input: SetFollowPreferencesInput, @Ctx() rc: RequestContext): Promise<SetFollowPreferencesPayload> {
    return { followedDistrict: followedDistrict(await this.service.setPreferences(rc, input.districtCode, input.preferences)) };
  }

  @Query(() => FollowedDistrictConnection, { description: 'The districts whose news you are told: those you follow and your home district (listed even if you unfollowed it), by district code.' })
  async myFollowedDistricts(@Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<FollowedDistrictConnection> {
    return mapConnection(await this.service.followed(rc, page), followedDistrict);
  }
}

@Resolver(() => District)
export class DistrictFollowersResolver {
  constructor(private readonly service: FollowingService) {}

  @ResolveField(() => Int, { nullable: true, description: "How many accounts are told the district's news (followers, and residents who did not unfollow). Its hosts and administrators only." })
  @Refusable()
  followerCount(@Parent() district: District, @Ctx() rc: RequestContext): Promise<number> {
    return this.service.followerCount(rc, district.code);
  }
}
