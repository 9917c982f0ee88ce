import { Field, ObjectType } from '@nestjs/graphql';
import { Comment } from '../comment.type';

/** Every comment mutation answers with the comment as its caller sees it after the change. */
@ObjectType({ isAbstract: true })
abstract class CommentPayload {
  @Field(() => Comment)
  comment: Comment;
}

@ObjectType()
export class PostCommentPayload extends CommentPayload {}

@ObjectType()
export class EditCommentPayload extends CommentPayload {}

@ObjectType()
export class DeleteCommentPayload extends CommentPayload {}

@ObjectType()
export class ReactToCommentPayload extends CommentPayload {}

@ObjectType()
export class FlagCommentPayload extends CommentPayload {}

@ObjectType()
export class HideCommentPayload extends CommentPayload {}

@ObjectType()
export class RestoreCommentPayload extends CommentPayload {}
