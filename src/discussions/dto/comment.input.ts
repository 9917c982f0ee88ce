import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { CommentStatus, ReactionKind, Stance } from '../entities/comment.entity';

registerEnumType(Stance, { name: 'Stance', description: 'Where a comment stands on the subject.' });
registerEnumType(CommentStatus, { name: 'CommentStatus' });
registerEnumType(ReactionKind, { name: 'ReactionKind' });

export enum CommentOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  MOST_REACTED = 'MOST_REACTED',
}
registerEnumType(CommentOrder, { name: 'CommentOrder' });

@InputType()
export class PostCommentInput {
  @Field(() => ID, { description: 'What is discussed: a Proposal id (hearings later).' })
  subjectId: string;

  @Field(() => ID, { nullable: true, description: 'The comment replied to. Replies nest six levels deep; a deeper reply joins the deepest level.' })
  parentId?: string | null;

  @Field(() => String)
  body: string;

  @Field(() => Stance)
  stance: Stance;
}

@InputType()
export class EditCommentInput {
  @Field(() => ID)
  commentId: string;

  @Field(() => String)
  body: string;

  @Field(() => Stance, { nullable: true, description: 'Unchanged when omitted.' })
  stance?: Stance | null;
}
