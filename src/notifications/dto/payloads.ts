import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class MarkNotificationsReadPayload {
  @Field(() => Int, { description: 'How many notifications were unread and are read now.' })
  changed: number;

  @Field(() => Int, { description: 'How many of your notifications are still unread.' })
  unreadCount: number;
}
