import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { District } from '../districts/district.type';
import { Preferences } from './district-follow.entity';

@ObjectType({ description: 'What you are told about a district you follow or live in. Emergency announcements are not a choice: they always reach you.' })
export class FollowPreferences implements Preferences {
  @Field(() => Boolean, { description: 'Announcements of kind NEWS.' })
  news: boolean;

  @Field(() => Boolean, { description: 'Announcements of kind NOTICE.' })
  notices: boolean;

  @Field(() => Boolean, { description: 'Announcements of kind EVENT.' })
  events: boolean;

  @Field(() => Boolean, { description: 'Proposals published in the district.' })
  proposals: boolean;

  @Field(() => Boolean, { description: 'Hearings scheduled in the district.' })
  hearings: boolean;

  @Field(() => Boolean, { description: 'Voting rounds opened in the district.' })
  votes: boolean;

  @Field(() => Boolean, { description: 'Questionnaires opened in the district.' })
  questionnaires: boolean;
}

@InputType({ description: 'Switches to change; those not given stay as they are (all on for a new follow).' })
export class FollowPreferencesInput {
  @Field(() => Boolean, { nullable: true })
  news?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  notices?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  events?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  proposals?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  hearings?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  votes?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  questionnaires?: boolean | null;
}

@ObjectType({ description: 'A district whose news you are told: one you follow, or the one you are a verified resident of (followed unless you unfollowed it).' })
export class FollowedDistrict {
  @Field(() => District)
  district: District;

  @Field(() => Boolean, { description: 'You are a verified resident of it: you follow it without asking, and its emergencies reach you even if you unfollow it.' })
  resident: boolean;

  @Field(() => Boolean, { description: 'You are told its news (as your preferences say). False only for a resident who unfollowed their district.' })
  following: boolean;

  @Field(() => FollowPreferences)
  preferences: FollowPreferences;
}

@ObjectType()
export class FollowedDistrictConnection extends Connection(FollowedDistrict, 'FollowedDistrict') {}

@InputType()
export class FollowDistrictInput {
  @Field(() => String, { description: 'The district\'s code, e.g. "1004". Following your home district again (after unfollowing it) is allowed; following one you already follow changes only the preferences given.' })
  districtCode: string;

  @Field(() => FollowPreferencesInput, { nullable: true })
  preferences?: FollowPreferencesInput | null;
}

@InputType()
export class UnfollowDistrictInput {
  @Field(() => String, { description: 'The district\'s code. Unfollowing a district you do not follow changes nothing.' })
  districtCode: string;
}

@InputType()
export class SetFollowPreferencesInput {
  @Field(() => String, { description: 'A district you follow or live in.' })
  districtCode: string;

  @Field(() => FollowPreferencesInput)
  preferences: FollowPreferencesInput;
}

@ObjectType()
export class FollowDistrictPayload {
  @Field(() => FollowedDistrict)
  followedDistrict: FollowedDistrict;
}

@ObjectType()
export class UnfollowDistrictPayload {
  @Field(() => FollowedDistrict, { description: 'The district as you now follow it: `following` false (a resident still hears its emergencies).' })
  followedDistrict: FollowedDistrict;
}

@ObjectType()
export class SetFollowPreferencesPayload {
  @Field(() => FollowedDistrict)
  followedDistrict: FollowedDistrict;
}
