import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/connection';
import { AnnouncementKind } from '../announcement.entity';

/** What an announcement says: given whole when published, and whole again at each edit. */
@InputType({ isAbstract: true })
abstract class AnnouncementContent {
  @Field(() => AnnouncementKind)
  kind: AnnouncementKind;

  @Field(() => String, { description: 'Thai, up to 200 characters.' })
  titleTh: string;

  @Field(() => String, { nullable: true, description: 'English, up to 200 characters; left out, readers in English see the Thai.' })
  titleEn?: string | null;

  @Field(() => String, { description: 'Markdown in Thai, up to 10,000 characters; no HTML scripts, frames or event handlers.' })
  bodyTh: string;

  @Field(() => String, { nullable: true, description: 'Markdown in English; left out, readers in English see the Thai.' })
  bodyEn?: string | null;

  @Field(() => Date, { nullable: true, description: 'When what it announces starts to hold (an event’s start, a closure’s first day).' })
  validFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stops holding: after this it is expired and left out of lists unless asked for.' })
  validUntil?: Date | null;
}

@InputType({ description: 'A new announcement: to a district by its staff or an administrator, or city-wide (no districtCode) by an administrator.' })
export class PublishAnnouncementInput extends AnnouncementContent {
  @Field(() => String, { nullable: true, description: 'The district’s code; left out: city-wide (administrators only).' })
  districtCode?: string | null;

  @Field(() => Date, { nullable: true, description: 'Publish later, at this time (SCHEDULED until then); left out or past: at once.' })
  publishAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'A proposal it is about.' })
  proposalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A hearing it is about.' })
  hearingId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A voting round it is about.' })
  votingRoundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A questionnaire it is about (its global id).' })
  questionnaireId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A resident’s report it is about.' })
  reportId?: string | null;
}

@InputType({ description: 'The announcement as it should read now, whole (what is left out is cleared); the version it replaces stays in its history.' })
export class EditAnnouncementInput extends AnnouncementContent {
  @Field(() => ID)
  announcementId: string;
}

@InputType()
export class PinAnnouncementInput {
  @Field(() => ID)
  announcementId: string;
}

@InputType()
export class UnpinAnnouncementInput {
  @Field(() => ID)
  announcementId: string;
}

@InputType()
export class WithdrawAnnouncementInput {
  @Field(() => ID)
  announcementId: string;

  @Field(() => String, { description: 'Why, up to 1,000 characters: the district’s staff see it.' })
  reason: string;
}

@ArgsType()
export class AnnouncementsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'A district’s code: its announcements and the city-wide ones. Left out: the city-wide ones only.' })
  districtCode?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also those whose validUntil has passed.' })
  includeExpired?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Also SCHEDULED and WITHDRAWN ones: the district’s staff and administrators only (for city-wide ones, administrators); FORBIDDEN for anyone else.',
  })
  includeUnpublished?: boolean | null;
}
