import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { NotificationEntity, NotificationKind, NotificationValues } from './notification.entity';
import { NotificationText } from './notification-texts';

registerEnumType(NotificationKind, { name: 'NotificationKind' });

@ObjectType('Notification', { implements: () => [Node], description: 'Something that concerns you: a reply, a status change, a moderation, an invitation.' })
export class Notification implements Node {
  @Field(() => NotificationKind)
  kind: NotificationKind;

  /** What its text is written from (NotificationsService.textFor writes it in the reader's language). */
  values: NotificationValues;

  /** Its text for this request, written once for both `title` and `body`. */
  text?: Promise<NotificationText>;

  @Field(() => Boolean)
  read: boolean;

  @Field(() => Date)
  createdAt: Date;

  id: string;
  nodeType = 'Notification';
  actorId: string | null;
  proposalId: string | null;
  commentId: string | null;
  hearingId: string | null;
  reportId: string | null;

  static from(entity: NotificationEntity): Notification {
    return Object.assign(new Notification(), {
      id: toGlobalId('Notification', entity.id),
      kind: entity.kind,
      values: entity.values,
      read: entity.readAt !== null,
      createdAt: entity.createdAt,
      actorId: entity.actorId,
      proposalId: entity.proposalId,
      commentId: entity.commentId,
      hearingId: entity.hearingId,
      reportId: entity.reportId,
    });
  }
}

@ObjectType()
export class NotificationConnection extends Connection(Notification, 'Notification') {}
