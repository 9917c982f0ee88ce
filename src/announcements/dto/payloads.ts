import { Field, ObjectType } from '@nestjs/graphql';
import { Announcement } from '../announcement.type';

/** Every announcement mutation answers with the announcement as it is after the change. */
@ObjectType({ isAbstract: true })
abstract class AnnouncementPayload {
  @Field(() => Announcement)
  announcement: Announcement;
}

@ObjectType()
export class PublishAnnouncementPayload extends AnnouncementPayload {}

@ObjectType()
export class EditAnnouncementPayload extends AnnouncementPayload {}

@ObjectType()
export class PinAnnouncementPayload extends AnnouncementPayload {}

@ObjectType()
export class UnpinAnnouncementPayload extends AnnouncementPayload {}

@ObjectType()
export class WithdrawAnnouncementPayload extends AnnouncementPayload {}
