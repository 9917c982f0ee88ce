import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Viewer } from '../common/context/request-context';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { DiscussionsService } from './discussions.service';
import { CommentEditEntity, CommentEntity, CommentStatus, Stance } from './entities/comment.entity';

@ObjectType('Comment', {
  implements: () => [Node],
  description: 'A comment in a discussion. Hidden comments show their text only to their author and moderators; deleted ones are tombstones.',
})
export class Comment implements Node {
  @Field(() => ID, { description: 'The global id of what is discussed.' })
  subjectId: string;

  @Field(() => Int, { description: '0 for a top-level comment, up to 5 for the deepest reply.' })
  depth: number;

  @Field(() => Stance)
  stance: Stance;

  @Field(() => CommentStatus)
  status: CommentStatus;

  @Field(() => Boolean, { description: 'Edited after posting.' })
  edited: boolean;

  @Field(() => Date, { nullable: true })
  editedAt: Date | null;

  @Field(() => Int)
  reactionCount: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => String, { nullable: true, description: 'Null when deleted, or hidden and you are neither its author nor a moderator.' })
  body: string | null;

  @Field(() => String, { nullable: true, description: 'Why a moderator hid it; for its author and moderators.' })
  moderationReason: string | null;

  id: string;
  nodeType = 'Comment';
  entity: CommentEntity;

  /**
   * The comment as `viewer` may read it: the text is masked here, once, rather than by a field resolver
   * on every comment of every list (each such call costs more than the rule it applies).
   */
  static from(entity: CommentEntity, viewer: Viewer | null): Comment {
    const readable = DiscussionsService.canReadBody(viewer, entity);
    return Object.assign(new Comment(), {
      body: readable ? entity.body : null,
      moderationReason: readable && entity.status === CommentStatus.HIDDEN ? entity.moderationReason : null,
      id: toGlobalId('Comment', entity.id),
      subjectId: toGlobalId(entity.subjectType, entity.subjectId),
      depth: entity.depth,
      stance: entity.stance,
      status: entity.status,
      edited: entity.editedAt !== null,
      editedAt: entity.editedAt,
      reactionCount: entity.reactionCount,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

@ObjectType()
export class CommentConnection extends Connection(Comment, 'Comment') {}

@ObjectType({ description: 'The text a comment had before an edit.' })
export class CommentEdit {
  @Field(() => String)
  previousBody: string;

  @Field(() => Stance)
  previousStance: Stance;

  @Field(() => Date)
  editedAt: Date;

  static from(entity: CommentEditEntity): CommentEdit {
    return Object.assign(new CommentEdit(), { previousBody: entity.previousBody, previousStance: entity.previousStance, editedAt: entity.editedAt });
  }
}

@ObjectType({ description: 'How many visible comments take each stance.' })
export class StanceCountsType {
  @Field(() => Int, { name: 'for' })
  for: number;

  @Field(() => Int)
  against: number;

  @Field(() => Int)
  neutral: number;
}
