import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { requestForEvent } from '../common/graphql/live-requests';
import { AppError } from '../common/errors/app-error';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { NotificationKind } from '../notifications/notification.entity';
import { Notification } from '../notifications/notification.type';
import { NotificationsService } from '../notifications/notifications.service';
import { EventBus } from '../realtime/event-bus';
import { Comment, CommentConnection, CommentEdit, StanceCountsType } from './comment.type';
import { DiscussionsService, COMMENT_ADDED, COMMENT_UPDATED, CommentEvent } from './discussions.service';
import {
  CommentOrder,
  DeleteCommentInput,
  EditCommentInput,
  FlagCommentInput,
  HideCommentInput,
  PostCommentInput,
  ReactToCommentInput,
  RestoreCommentInput,
} from './dto/comment.input';
import {
  DeleteCommentPayload,
  EditCommentPayload,
  FlagCommentPayload,
  HideCommentPayload,
  PostCommentPayload,
  ReactToCommentPayload,
  RestoreCommentPayload,
} from './dto/payloads';
import { CommentStatus, ReactionKind } from './entities/comment.entity';

/** Whether this subscriber may see the comment an event is about, now. */
async function mayHearComment(service: DiscussionsService, event: CommentEvent, context: GraphQLContext): Promise<boolean> {
  const rc = await requestForEvent(context, event);
  return !!rc && !!(await service.findVisible(rc, event.commentId));
}

/** The comment an event is about, as this subscriber may see it now (`context` is the event's own request). */
async function commentForSubscriber(service: DiscussionsService, event: CommentEvent, context: GraphQLContext): Promise<Comment> {
  const comment = await service.findVisible(context.rc, event.commentId);
  if (!comment) throw AppError.notFound('Comment');
  return Comment.from(comment, context.rc.viewer);
}

@Resolver(() => Comment)
export class DiscussionsResolver implements OnModuleInit {
  constructor(
    private readonly service: DiscussionsService,
    private readonly users: UsersService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Comment', async (id, rc) => {
      const comment = await this.service.findVisible(rc, id);
      return comment ? Comment.from(comment, rc.viewer) : null;
    });
  }

  @Query(() => CommentConnection, { description: 'Top-level comments of a discussion, each with its replies.' })
  async comments(
    @Args('subjectId', { type: () => ID }) subjectId: string,
    @Args('orderBy', { type: () => CommentOrder, nullable: true, defaultValue: CommentOrder.NEWEST }) orderBy: CommentOrder,
    @Args() page: PageArgs,
    @Ctx() rc: RequestContext,
  ): Promise<CommentConnection> {
    return mapConnection(await this.service.list(rc, subjectId, orderBy, page), (c) => Comment.from(c, rc.viewer));
  }

  @Query(() => StanceCountsType, { description: 'How many visible comments of a discussion are for, against and neutral.' })
  stanceCounts(@Args('subjectId', { type: () => ID }) subjectId: string, @Ctx() rc: RequestContext): Promise<StanceCountsType> {
    return this.service.stanceCounts(rc, subjectId);
  }

  @Mutation(() => PostCommentPayload, { description: 'Comment on a subject, or reply to a comment, with a stance.' })
  async postComment(@Args('input', { type: () => PostCommentInput }) input: PostCommentInput, @Ctx() rc: RequestContext): Promise<PostCommentPayload> {
    return { comment: Comment.from(await this.service.post(rc, input), rc.viewer) };
  }

  @Mutation(() => EditCommentPayload, { description: 'Edit your comment; the earlier text stays in its edit history.' })
  async editComment(@Args('input', { type: () => EditCommentInput }) input: EditCommentInput, @Ctx() rc: RequestContext): Promise<EditCommentPayload> {
    return { comment: Comment.from(await this.service.edit(rc, input), rc.viewer) };
  }

  @Mutation(() => DeleteCommentPayload, { description: 'Delete your comment; a tombstone keeps its place and its replies.' })
  async deleteComment(@Args('input', { type: () => DeleteCommentInput }) input: DeleteCommentInput, @Ctx() rc: RequestContext): Promise<DeleteCommentPayload> {
    return { comment: Comment.from(await this.service.delete(rc, input.commentId), rc.viewer) };
  }

  @Mutation(() => ReactToCommentPayload, { description: 'React to a comment (one reaction per account; null removes yours).' })
  async reactToComment(@Args('input', { type: () => ReactToCommentInput }) input: ReactToCommentInput, @Ctx() rc: RequestContext): Promise<ReactToCommentPayload> {
    return { comment: Comment.from(await this.service.react(rc, input.commentId, input.reaction ?? null), rc.viewer) };
  }

  @Mutation(() => FlagCommentPayload, { description: 'Report a comment to the district’s moderators, with a reason.' })
  async flagComment(@Args('input', { type: () => FlagCommentInput }) input: FlagCommentInput, @Ctx() rc: RequestContext): Promise<FlagCommentPayload> {
    return { comment: Comment.from(await this.service.flag(rc, input.commentId, input.reason), rc.viewer) };
  }

  @Mutation(() => HideCommentPayload, { description: 'A host of the district hides a comment, with a reason its author is told.' })
  async hideComment(@Args('input', { type: () => HideCommentInput }) input: HideCommentInput, @Ctx() rc: RequestContext): Promise<HideCommentPayload> {
    return { comment: Comment.from(await this.service.moderate(rc, input.commentId, 'HIDE', input.reason), rc.viewer) };
  }

  @Mutation(() => RestoreCommentPayload, { description: 'A host of the district restores a hidden comment, with a reason.' })
  async restoreComment(@Args('input', { type: () => RestoreCommentInput }) input: RestoreCommentInput, @Ctx() rc: RequestContext): Promise<RestoreCommentPayload> {
    return { comment: Comment.from(await this.service.moderate(rc, input.commentId, 'RESTORE', input.reason), rc.viewer) };
  }

  @Subscription(() => Comment, {
    description: 'New comments and replies in a discussion.',
    filter(this: DiscussionsResolver, event: CommentEvent, _args: unknown, context: GraphQLContext) {
      return mayHearComment(this.service, event, context);
    },
    resolve(this: DiscussionsResolver, event: CommentEvent, _args: unknown, context: GraphQLContext) {
      return commentForSubscriber(this.service, event, context);
    },
  })
  async commentAdded(@Args('subjectId', { type: () => ID }) subjectId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<CommentEvent>> {
    return this.events.subscribe<CommentEvent>(await this.service.channelFor(rc, COMMENT_ADDED, subjectId));
  }

  @Subscription(() => Comment, {
    description: 'Edits, deletions, reactions and moderation in a discussion. A hidden comment arrives as hidden: its text only for its author and moderators.',
    filter(this: DiscussionsResolver, event: CommentEvent, _args: unknown, context: GraphQLContext) {
      return mayHearComment(this.service, event, context);
    },
    resolve(this: DiscussionsResolver, event: CommentEvent, _args: unknown, context: GraphQLContext) {
      return commentForSubscriber(this.service, event, context);
    },
  })
  async commentUpdated(@Args('subjectId', { type: () => ID }) subjectId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<CommentEvent>> {
    return this.events.subscribe<CommentEvent>(await this.service.channelFor(rc, COMMENT_UPDATED, subjectId));
  }

  // Once per item of a list: no parameter decorators, so Nest calls it directly (see ProposalsResolver.author).
  @ResolveField(() => User, { nullable: true, description: 'Null on a deleted comment.' })
  async author(comment: Comment, _args: unknown, { rc }: GraphQLContext): Promise<User | null> {
    if (comment.entity.status === CommentStatus.DELETED) return null;
    const user = await rc.loader(this.users.userById).load(comment.entity.authorId);
    return user ? User.from(user) : null;
  }

  @ResolveField(() => ID, { nullable: true })
  parentId(@Parent() comment: Comment): string | null {
    return comment.entity.parentId ? toGlobalId('Comment', comment.entity.parentId) : null;
  }

  @ResolveField(() => [Comment], { description: 'Replies, oldest first (tombstones included).' })
  async replies(@Parent() comment: Comment, @Ctx() rc: RequestContext): Promise<Comment[]> {
    return (await rc.loader(this.service.repliesOf).load(comment.entity.id)).map((c) => Comment.from(c, rc.viewer));
  }

  @ResolveField(() => [CommentEdit], { description: 'Earlier versions, oldest first; empty when you may not read the text.' })
  async edits(@Parent() comment: Comment, @Ctx() rc: RequestContext): Promise<CommentEdit[]> {
    if (!DiscussionsService.canReadBody(rc.viewer, comment.entity)) return [];
    return (await rc.loader(this.service.editsOf).load(comment.entity.id)).map(CommentEdit.from);
  }

  @ResolveField(() => ReactionKind, { nullable: true, description: 'Your reaction, if any.' })
  async viewerReaction(@Parent() comment: Comment, @Ctx() rc: RequestContext): Promise<ReactionKind | null> {
    return rc.viewer ? rc.loader(this.service.reactionOf).load(`${comment.entity.id}:${rc.viewer.id}`) : null;
  }
}

@Resolver(() => Notification)
export class NotificationCommentResolver implements OnModuleInit {
  constructor(
    private readonly service: DiscussionsService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    // A reply notification quotes the start of the reply as it reads now: nothing once it is hidden or deleted.
    this.notifications.quote(NotificationKind.COMMENT_REPLY, async (rc, notification) => {
      const reply = notification.commentId ? await this.service.findVisible(rc, notification.commentId) : null;
      return reply && DiscussionsService.canReadBody(rc.viewer, reply) ? (reply.body?.slice(0, 200) ?? null) : null;
    });
  }

  @ResolveField(() => Comment, { nullable: true, description: 'The comment it is about, if you may still see it.' })
  async comment(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<Comment | null> {
    if (!notification.commentId) return null;
    const comment = await this.service.findVisible(rc, notification.commentId);
    return comment ? Comment.from(comment, rc.viewer) : null;
  }
}
