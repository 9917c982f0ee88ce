import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { NotificationEntity, NotificationKind } from './notification.entity';

registerEnumType(NotificationKind, { name: 'NotificationKind' });

@ObjectType('Notification', { implements: () => [Node], description: 'Something that concerns you: a reply, a status change, a moderation, an invitation.' })
export class Notification implements Node {
  @Field(() => NotificationKind)
  kind: NotificationKind;

  /** Stored with the notification; kinds that quote someone's content read it when shown instead (NotificationsService.detailFor). */
  storedDetail: string | null;

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

  static from(entity: NotificationEntity): Notification {
    return Object.assign(new Notification(), {
      id: toGlobalId('Notification', entity.id),
      kind: entity.kind,
      storedDetail: entity.detail,
      read: entity.readAt !== null,
      createdAt: entity.createdAt,
      actorId: entity.actorId,
      proposalId: entity.proposalId,
      commentId: entity.commentId,
      hearingId: entity.hearingId,
    });
  }
}

@ObjectType()
export class NotificationConnection extends Connection(Notification, 'Notification') {}
