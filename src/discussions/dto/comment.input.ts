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

@InputType()
export class DeleteCommentInput {
  @Field(() => ID)
  commentId: string;
}

@InputType()
export class ReactToCommentInput {
  @Field(() => ID)
  commentId: string;

  @Field(() => ReactionKind, { nullable: true, description: 'Null (or omitted) removes your reaction.' })
  reaction?: ReactionKind | null;
}

@InputType()
export class FlagCommentInput {
  @Field(() => ID)
  commentId: string;

  @Field(() => String, { description: 'What is wrong with it, for the moderators.' })
  reason: string;
}

@InputType()
export class HideCommentInput {
  @Field(() => ID)
  commentId: string;

  @Field(() => String, { description: 'Told to the comment’s author.' })
  reason: string;
}

@InputType()
export class RestoreCommentInput {
  @Field(() => ID)
  commentId: string;

  @Field(() => String)
  reason: string;
}
