import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: 'The notifications to mark read; all of yours when omitted.' })
  notificationIds?: string[] | null;
}
