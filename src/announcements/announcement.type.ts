import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { AnnouncementEntity, AnnouncementKind, AnnouncementStatus, AnnouncementVersionEntity } from './announcement.entity';

registerEnumType(AnnouncementKind, { name: 'AnnouncementKind' });
registerEnumType(AnnouncementStatus, { name: 'AnnouncementStatus' });

export const ANNOUNCEMENT_TYPE = 'Announcement';

/** Thai and English text of a version; `title`/`body` resolve to the reader's language (Thai when there is no English). */
@ObjectType({ isAbstract: true })
abstract class AnnouncementText {
  @Field(() => AnnouncementKind)
  kind: AnnouncementKind;

  @Field(() => String)
  titleTh: string;

  @Field(() => String, { nullable: true })
  titleEn: string | null;

  @Field(() => String, { description: 'Markdown, as the district wrote it.' })
  bodyTh: string;

  @Field(() => String, { nullable: true, description: 'Markdown, as the district wrote it.' })
  bodyEn: string | null;

  @Field(() => Date, { nullable: true })
  validFrom: Date | null;

  @Field(() => Date, { nullable: true })
  validUntil: Date | null;
}

@ObjectType('Announcement', {
  implements: () => [Node],
  description: 'What a district (or the city) tells its people (ประกาศ). Published ones are public; scheduled and withdrawn ones only its staff and administrators see.',
})
export class Announcement extends AnnouncementText implements Node {
  @Field(() => AnnouncementStatus)
  status: AnnouncementStatus;

  @Field(() => Boolean, { description: 'Shown before the others (up to 3 per district, and 3 city-wide).' })
  pinned: boolean;

  @Field(() => Date, { description: 'When it was (or, SCHEDULED, will be) published.' })
  publishAt: Date;

  @Field(() => Int, { description: '1 as published; one more at each edit (the earlier versions are in `history`).' })
  version: number;

  @Field(() => Date, { nullable: true, description: 'WITHDRAWN: when.' })
  withdrawnAt: Date | null;

  @Field(() => String, { nullable: true, description: 'WITHDRAWN: why (only the staff see withdrawn announcements).' })
  withdrawalReason: string | null;

  /** The linked questionnaire's uuid (the `questionnaire` field resolves it). */
  questionnaireId: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  id: string;
  nodeType = ANNOUNCEMENT_TYPE;
  announcementId: string;
  districtCode: string | null;
  proposalId: string | null;
  hearingId: string | null;
  votingRoundId: string | null;
  reportId: string | null;

  static from(entity: AnnouncementEntity): Announcement {
    return Object.assign(new Announcement(), {
      id: toGlobalId(ANNOUNCEMENT_TYPE, entity.id),
      announcementId: entity.id,
      districtCode: entity.districtCode,
      kind: entity.kind,
      status: entity.status,
      titleTh: entity.titleTh,
      titleEn: entity.titleEn,
      bodyTh: entity.bodyTh,
      bodyEn: entity.bodyEn,
      validFrom: entity.validFrom,
      validUntil: entity.validUntil,
      pinned: entity.pinned,
      publishAt: entity.publishAt,
      version: entity.version,
      withdrawnAt: entity.withdrawnAt,
      withdrawalReason: entity.withdrawalReason,
      questionnaireId: entity.questionnaireId,
      proposalId: entity.proposalId,
      hearingId: entity.hearingId,
      votingRoundId: entity.votingRoundId,
      reportId: entity.reportId,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
    });
  }
}

@ObjectType({ description: 'An earlier version of an announcement, as it read until an edit replaced it.' })
export class AnnouncementVersion extends AnnouncementText {
  @Field(() => Int)
  version: number;

  @Field(() => Date, { description: 'When the edit that replaced it was made.' })
  replacedAt: Date;

  static from(entity: AnnouncementVersionEntity): AnnouncementVersion {
    return Object.assign(new AnnouncementVersion(), {
      kind: entity.kind,
      titleTh: entity.titleTh,
      titleEn: entity.titleEn,
      bodyTh: entity.bodyTh,
      bodyEn: entity.bodyEn,
      validFrom: entity.validFrom,
      validUntil: entity.validUntil,
      version: entity.version,
      replacedAt: entity.replacedAt,
    });
  }
}

export const AnnouncementConnection = Connection(Announcement, 'Announcement');
export type AnnouncementConnection = InstanceType<typeof AnnouncementConnection>;
export const AnnouncementVersionConnection = Connection(AnnouncementVersion, 'AnnouncementVersion');
export type AnnouncementVersionConnection = InstanceType<typeof AnnouncementVersionConnection>;
