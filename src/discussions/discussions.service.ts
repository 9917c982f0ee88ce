import { Inject, Injectable } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { UsersService } from '../accounts/users.service';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, loaderById, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { Alongside, ConnectionShape, KeysetColumn, PageArgs, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { entityFromJson, jsonObjectOf } from '../database/json-rows';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { channel, EventBus } from '../realtime/event-bus';
import { CommentableRegistry, CommentableSubject } from './commentable-registry';
import { CommentOrder, EditCommentInput, PostCommentInput } from './dto/comment.input';
import {
  CommentEditEntity,
  CommentEntity,
  CommentFlagEntity,
  CommentModerationEntity,
  CommentReactionEntity,
  CommentStatus,
  ReactionKind,
  Stance,
} from './entities/comment.entity';

export const COMMENT_ADDED = 'commentAdded';
export const COMMENT_UPDATED = 'commentUpdated';

/** A comment event: ids only; each subscriber loads the comment as they may see it. */
export interface CommentEvent {
  commentId: string;
  subjectGlobalId: string;
}

/** Six levels of nesting: depths 0 to 5. */
export const MAX_DEPTH = 5;
export const BODY_MAX = 5000;
/** How many newest comments a subject's preview shows by default, and at most. */
export const RECENT_DEFAULT = 3;
export const RECENT_MAX = 10;
const REASON_MAX = 1000;

export interface StanceCounts {
  for: number;
  against: number;
  neutral: number;
}

/**
 * Discussion threads on any registered subject: comments with a stance, nested replies, edits with
 * history, tombstones, reactions, flags and moderation by the district's hosts.
 */
@Injectable()
export class DiscussionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly subjects: CommentableRegistry,
    private readonly notifications: NotificationsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  // ---- loaders -------------------------------------------------------------------------------

  readonly byId = loaderById((ids) => this.dataSource.getRepository(CommentEntity).findBy({ id: In(ids) }));

  /** Replies of each comment, oldest first (a conversation reads downwards). */
  readonly repliesOf: LoaderDefinition<string, CommentEntity[]> = {
    create: () =>
      new DataLoader(async (parentIds) => {
        const rows = await this.dataSource.getRepository(CommentEntity).find({ where: { parentId: In([...parentIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
        return parentIds.map((id) => rows.filter((row) => row.parentId === id));
      }),
  };

  readonly editsOf: LoaderDefinition<string, CommentEditEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(CommentEditEntity).find({ where: { commentId: In([...ids]) }, order: { editedAt: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.commentId === id));
      }),
  };

  /** Keyed by `${commentId}:${userId}`. */
  readonly reactionOf: LoaderDefinition<string, ReactionKind | null> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows = await this.dataSource
          .getRepository(CommentReactionEntity)
          .createQueryBuilder('r')
          .where('(r.comment_id, r.user_id) IN (SELECT * FROM unnest(:comments::uuid[], :users::uuid[]))', { comments: pairs.map((p) => p[0]), users: pairs.map((p) => p[1]) })
          .getMany();
        return keys.map((key) => rows.find((row) => `${row.commentId}:${row.userId}` === key)?.kind ?? null);
      }),
  };

  /** Stances of the visible comments of each subject (by subject id). */
  readonly stanceCountsOf: LoaderDefinition<string, StanceCounts> = {
    create: () =>
      new DataLoader(async (subjectIds) => {
        const rows: { subject_id: string; stance: Stance; count: string }[] = await this.dataSource.query(
          `SELECT subject_id, stance, count(*) AS count FROM comments WHERE subject_id = ANY($1) AND status = 'VISIBLE' GROUP BY subject_id, stance`,
          [[...subjectIds]],
        );
        return subjectIds.map((id) => {
          const of = (stance: Stance) => Number(rows.find((r) => r.subject_id === id && r.stance === stance)?.count ?? 0);
          return { for: of(Stance.FOR), against: of(Stance.AGAINST), neutral: of(Stance.NEUTRAL) };
        });
      }),
  };

  /**
   * The newest top-level comments of each subject, keyed by `${subjectId}:${count}`, in the order of the
   * first page of `comments(orderBy: NEWEST)` (tombstones included), each with its author. One query for
   * a whole page of subjects: each subject's few newest rows read from the (subject_id, parent_id,
   * created_at) index.
   */
  readonly newestOf: LoaderDefinition<string, CommentEntity[]> = {
    create: () =>
      new DataLoader(async (keys) => {
        const wanted = keys.map((key) => {
          const [subjectId, count] = key.split(':');
          return { subjectId, count: Number(count) };
        });
        const rows = await this.dataSource
          .getRepository(CommentEntity)
          .createQueryBuilder('c')
          .innerJoinAndSelect('c.author', 'author')
          .where(
            `c.id IN (SELECT newest.id FROM unnest(:subjects::uuid[]) AS s(id) CROSS JOIN LATERAL (
               SELECT n.id FROM comments n WHERE n.subject_id = s.id AND n.parent_id IS NULL ORDER BY n.created_at DESC, n.id DESC LIMIT :most
             ) newest)`,
            { subjects: [...new Set(wanted.map((w) => w.subjectId))], most: Math.max(...wanted.map((w) => w.count)) },
          )
          .orderBy('c.created_at', 'DESC')
          .addOrderBy('c.id', 'DESC')
          .getMany();
        return wanted.map((w) => rows.filter((row) => row.subjectId === w.subjectId).slice(0, w.count));
      }),
  };

  /**
   * What a list of subjects shows of each one's discussion, selected by the list's own statement beside
   * each subject (`subjectId`: its id's SQL there): the stance counts, and the newest top-level comments
   * with their authors for each count asked. Each is what `stanceCountsOf` and `newestOf` would answer
   * (the same rows in the same order; bodies are masked per viewer later, by Comment.from), and primes
   * them, so those fields send no statement of their own. Undefined when nothing is asked.
   */
  listAlongside<E extends { id: string }>(rc: RequestContext, subjectId: string, wanted: { stances: boolean; newest: number[] }): Alongside<E> | undefined {
    const most = Math.max(0, ...wanted.newest.map((n) => Math.trunc(n)));
    if (!wanted.stances && !most) return undefined;
    const comments = this.dataSource.getMetadata(CommentEntity);
    const users = this.dataSource.getMetadata(UserEntity);
    const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
    return {
      select: (query) => {
        if (wanted.stances) {
          query.addSelect(
            `(SELECT json_build_array(count(*) FILTER (WHERE dk.stance = 'FOR'), count(*) FILTER (WHERE dk.stance = 'AGAINST'), count(*) FILTER (WHERE dk.stance = 'NEUTRAL'))
              FROM comments dk WHERE dk.subject_id = ${subjectId} AND dk.status = 'VISIBLE')`,
            'discussion_stances',
          );
        }
        if (most) {
          query.addSelect(
            `(SELECT json_agg(json_build_object('comment', ${jsonObjectOf(comments, 'dn')}, 'author', ${jsonObjectOf(users, 'du')}) ORDER BY dn.created_at DESC, dn.id DESC)
              FROM (SELECT * FROM comments dn0 WHERE dn0.subject_id = ${subjectId} AND dn0.parent_id IS NULL ORDER BY dn0.created_at DESC, dn0.id DESC LIMIT ${most}) dn
              JOIN users du ON du.id = dn.author_id)`,
            'discussion_newest',
          );
        }
      },
      read: (row, raw) => {
        if (wanted.stances) {
          const [counted, against, neutral] = json(raw.discussion_stances) as number[];
          rc.loader(this.stanceCountsOf).prime(row.id, { for: counted, against, neutral });
        }
        if (most) {
          const newest = ((json(raw.discussion_newest) as { comment: Record<string, unknown>; author: Record<string, unknown> }[] | null) ?? []).map((pair) => {
            const comment = entityFromJson<CommentEntity>(comments, pair.comment);
            comment.author = entityFromJson<UserEntity>(users, pair.author);
            return comment;
          });
          for (const count of wanted.newest) rc.loader(this.newestOf).prime(`${row.id}:${count}`, newest.slice(0, count));
        }
      },
    };
  }

  // ---- visibility ----------------------------------------------------------------------------

  static isModerator(viewer: Viewer | null, comment: Pick<CommentEntity, 'districtCode'>): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(comment.districtCode));
  }

  /** Hidden text is served only to its author and the district's moderators; deleted text to nobody. */
  static canReadBody(viewer: Viewer | null, comment: CommentEntity): boolean {
    if (comment.status === CommentStatus.VISIBLE) return true;
    if (comment.status === CommentStatus.DELETED) return false;
    return !!viewer && (viewer.id === comment.authorId || DiscussionsService.isModerator(viewer, comment));
  }

  /** A comment is visible (at least as a tombstone) to whoever may see its subject. */
  async findVisible(rc: RequestContext, id: string): Promise<CommentEntity | null> {
    const comment = await rc.loader(this.byId).load(id);
    if (!comment) return null;
    return (await this.subjects.kind(comment.subjectType).findVisible(rc, comment.subjectId)) ? comment : null;
  }

  /**
   * Runs `work` in a transaction on a comment the viewer may see (NOT_FOUND otherwise), locked for the
   * transaction. Visibility is read before the transaction opens: the embedded database has a single
   * connection, and a read outside the transaction while it holds it would wait forever.
   */
  private async withComment<T>(rc: RequestContext, globalId: string, field: string, work: (tx: Tx, comment: CommentEntity, subject: CommentableSubject) => Promise<T>): Promise<T> {
    const id = fromGlobalId(globalId, 'Comment', field);
    const found = await rc.loader(this.byId).load(id);
    const subject = found ? await this.subjects.kind(found.subjectType).findVisible(rc, found.subjectId) : null;
    if (!found || !subject) throw AppError.notFound('Comment');
    auditAbout({ district: found.districtCode, subject: toGlobalId('Comment', found.id) });
    return this.unitOfWork.run(async (tx) => {
      const comment = await tx.em.findOneOrFail(CommentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      return work(tx, comment, subject);
    });
  }

  // ---- posting -------------------------------------------------------------------------------

  async post(rc: RequestContext, input: PostCommentInput): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const body = check.text('body', input.body, { max: BODY_MAX, multiline: true });
    const stance = check.oneOf('stance', input.stance, Object.values(Stance));
    const parentId = input.parentId !== null && input.parentId !== undefined ? fromGlobalId(input.parentId, 'Comment', 'input.parentId') : null;
    check.done();
    const { subject, kind } = await this.subjects.require(rc, input.subjectId, 'input.subjectId');
    if (subject.closedReason) throw AppError.illegalState(subject.closedReason);

    return this.unitOfWork.run(async (tx) => {
      await this.enforceRateLimit(tx, viewer.id);
      let parent: CommentEntity | null = null;
      if (parentId) {
        parent = await tx.em.findOneBy(CommentEntity, { id: parentId });
        if (!parent || parent.subjectId !== subject.id) throw AppError.badInput([{ field: 'input.parentId', message: msg('errors.discussions.notInDiscussion') }]);
        if (parent.status === CommentStatus.HIDDEN) throw AppError.illegalState(msg('errors.discussions.hiddenNoReplies'));
        // Deeper than six levels: the reply joins the deepest level, beside the comment it answers.
        if (parent.depth >= MAX_DEPTH) parent = await tx.em.findOneByOrFail(CommentEntity, { id: parent.parentId! });
      }
      const comment = await tx.em.save(
        tx.em.create(CommentEntity, {
          subjectType: subject.type,
          subjectId: subject.id,
          districtCode: subject.districtCode,
          parentId: parent?.id ?? null,
          depth: parent ? parent.depth + 1 : 0,
          authorId: viewer.id,
          body,
          stance,
          status: CommentStatus.VISIBLE,
        }),
      );
      auditAbout({ district: subject.districtCode, subject: toGlobalId('Comment', comment.id) });
      await kind.adjustCommentCount(tx, subject.id, 1);
      if (parent) {
        await this.notifications.notify(tx, [{ userId: parent.authorId, kind: NotificationKind.COMMENT_REPLY, actorId: viewer.id, commentId: comment.id }]);
      }
      this.announce(tx, COMMENT_ADDED, comment);
      return comment;
    });
  }

  /** At most N comments per account per window, counted in the database so every instance agrees. */
  private async enforceRateLimit(tx: Tx, userId: string): Promise<void> {
    const { count, windowSeconds } = this.config.commentRateLimit;
    // Serialise one account's posts, so parallel requests cannot all slip under the limit.
    await tx.em.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
    const since = new Date(this.clock.now().getTime() - windowSeconds * 1000);
    const recent: { n: string; oldest: Date | null }[] = await tx.em.query(
      `SELECT count(*) AS n, min(created_at) AS oldest FROM (SELECT created_at FROM comments WHERE author_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3) r`,
      [userId, since, count],
    );
    if (Number(recent[0].n) >= count) {
      const oldest = new Date(recent[0].oldest!).getTime();
      const retryAfter = Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - this.clock.now().getTime()) / 1000));
      throw AppError.rateLimited(msg('errors.discussions.tooManyComments', { count, windowSeconds, retryAfter }), retryAfter);
    }
  }

  async edit(rc: RequestContext, input: EditCommentInput): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const body = check.text('body', input.body, { max: BODY_MAX, multiline: true });
    const stance = input.stance ? check.oneOf('stance', input.stance, Object.values(Stance)) : undefined;
    check.done();
    return this.withComment(rc, input.commentId, 'input.commentId', async (tx, comment, subject) => {
      if (comment.authorId !== viewer.id) throw AppError.forbidden(msg('errors.discussions.authorEditsOnly'));
      if (comment.status !== CommentStatus.VISIBLE) throw AppError.illegalState(msg('errors.discussions.cannotEdit', { status: comment.status.toLowerCase() }));
      if (subject.closedReason) throw AppError.illegalState(subject.closedReason);
      if (comment.body === body && (stance === undefined || stance === comment.stance)) return comment;
      await tx.em.insert(CommentEditEntity, { commentId: comment.id, previousBody: comment.body!, previousStance: comment.stance });
      comment.body = body;
      if (stance) comment.stance = stance;
      comment.editedAt = this.clock.now();
      const saved = await tx.em.save(comment);
      this.announce(tx, COMMENT_UPDATED, saved);
      return saved;
    });
  }

  /** The author deletes: the text goes, a tombstone keeps the thread's shape and its replies. */
  async delete(rc: RequestContext, commentGlobalId: string): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    return this.withComment(rc, commentGlobalId, 'input.commentId', async (tx, comment) => {
      if (comment.authorId !== viewer.id) throw AppError.forbidden(msg('errors.discussions.authorDeletesOnly'));
      if (comment.status === CommentStatus.DELETED) return comment;
      const wasVisible = comment.status === CommentStatus.VISIBLE;
      comment.status = CommentStatus.DELETED;
      comment.body = null;
      const saved = await tx.em.save(comment);
      // Earlier versions go too: deleting means the words are gone.
      await tx.em.delete(CommentEditEntity, { commentId: comment.id });
      if (wasVisible) await this.subjects.kind(comment.subjectType).adjustCommentCount(tx, comment.subjectId, -1);
      this.announce(tx, COMMENT_UPDATED, saved);
      return saved;
    });
  }

  /** One reaction per account per comment: a new kind replaces the old one, null removes it. */
  async react(rc: RequestContext, commentGlobalId: string, reaction: ReactionKind | null): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    if (reaction !== null) {
      const check = new InputCheck();
      check.oneOf('reaction', reaction, Object.values(ReactionKind));
      check.done();
    }
    return this.withComment(rc, commentGlobalId, 'input.commentId', async (tx, comment) => {
      if (comment.status !== CommentStatus.VISIBLE) throw AppError.illegalState(msg('errors.discussions.noReactions', { status: comment.status.toLowerCase() }));
      const existing = await tx.em.findOneBy(CommentReactionEntity, { commentId: comment.id, userId: viewer.id });
      if (reaction === null) {
        if (!existing) return comment;
        await tx.em.delete(CommentReactionEntity, { commentId: comment.id, userId: viewer.id });
        comment.reactionCount -= 1;
      } else if (existing) {
        if (existing.kind === reaction) return comment;
        await tx.em.update(CommentReactionEntity, { commentId: comment.id, userId: viewer.id }, { kind: reaction });
      } else {
        await tx.em.insert(CommentReactionEntity, { commentId: comment.id, userId: viewer.id, kind: reaction });
        comment.reactionCount += 1;
      }
      const saved = await tx.em.save(comment);
      this.announce(tx, COMMENT_UPDATED, saved);
      return saved;
    });
  }

  /** Any member reports a comment to the moderators, once (a second flag updates the reason). */
  async flag(rc: RequestContext, commentGlobalId: string, reason: string): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: REASON_MAX, multiline: true });
    check.done();
    return this.withComment(rc, commentGlobalId, 'input.commentId', async (tx, comment) => {
      if (comment.status === CommentStatus.DELETED) throw AppError.illegalState(msg('errors.discussions.deletedNoFlag'));
      await tx.em
        .createQueryBuilder()
        .insert()
        .into(CommentFlagEntity)
        .values({ commentId: comment.id, userId: viewer.id, reason: text })
        .orUpdate(['reason'], ['comment_id', 'user_id'])
        .execute();
      return comment;
    });
  }

  /** A host of the district (or an administrator) hides or restores a comment; the author is told why. */
  async moderate(rc: RequestContext, commentGlobalId: string, action: 'HIDE' | 'RESTORE', reason: string): Promise<CommentEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: REASON_MAX, multiline: true });
    check.done();
    return this.withComment(rc, commentGlobalId, 'input.commentId', async (tx, comment) => {
      if (!DiscussionsService.isModerator(viewer, comment)) throw AppError.forbidden(msg('errors.discussions.moderatorsOnly'));
      const from = action === 'HIDE' ? CommentStatus.VISIBLE : CommentStatus.HIDDEN;
      if (comment.status !== from) throw AppError.illegalState(msg('errors.discussions.cannotModerate', { action: msg(`errors.discussions.actions.${action}`), status: comment.status }));
      comment.status = action === 'HIDE' ? CommentStatus.HIDDEN : CommentStatus.VISIBLE;
      comment.moderationReason = action === 'HIDE' ? text : null;
      const saved = await tx.em.save(comment);
      await tx.em.insert(CommentModerationEntity, { commentId: comment.id, action, reason: text, moderatorId: viewer.id });
      await this.subjects.kind(comment.subjectType).adjustCommentCount(tx, comment.subjectId, action === 'HIDE' ? -1 : 1);
      await this.notifications.notify(tx, [
        { userId: comment.authorId, kind: action === 'HIDE' ? NotificationKind.COMMENT_HIDDEN : NotificationKind.COMMENT_RESTORED, actorId: viewer.id, commentId: comment.id, values: { reason: text } },
      ]);
      this.announce(tx, COMMENT_UPDATED, saved);
      return saved;
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Top-level comments of a subject (tombstones included, so the thread keeps its shape). */
  async list(rc: RequestContext, subjectGlobalId: string, order: CommentOrder, page: PageArgs): Promise<ConnectionShape<CommentEntity>> {
    const { subject } = await this.subjects.require(rc, subjectGlobalId, 'subjectId');
    const query = this.dataSource.getRepository(CommentEntity).createQueryBuilder('c').where('c.subject_id = :subject AND c.parent_id IS NULL', { subject: subject.id });
    const id: KeysetColumn<CommentEntity> = { sql: 'c.id', value: (c) => c.id };
    const created: KeysetColumn<CommentEntity> = { sql: 'c.created_at', value: (c) => c.createdAt };
    switch (order) {
      case CommentOrder.OLDEST:
        return paginate(query, page, { columns: [created, id], direction: 'ASC' }, (c) => c);
      case CommentOrder.MOST_REACTED:
        return paginate(query, page, { columns: [{ sql: 'c.reaction_count', value: (c) => c.reactionCount }, id], direction: 'DESC' }, (c) => c);
      default:
        return paginate(query, page, { columns: [created, id], direction: 'DESC' }, (c) => c);
    }
  }

  /**
   * The newest top-level comments of a subject the viewer already sees (its parent field resolved it),
   * as the first page of `comments(orderBy: NEWEST)` would show them; bodies are masked by the Comment
   * fields like everywhere else.
   */
  async newest(rc: RequestContext, subjectId: string, first: number | null | undefined): Promise<CommentEntity[]> {
    const check = new InputCheck('');
    const count = check.integer('first', first ?? RECENT_DEFAULT, { min: 1, max: RECENT_MAX });
    check.done();
    const comments = await rc.loader(this.newestOf).load(`${subjectId}:${count}`);
    // Their authors came with them: Comment.author finds them without a second statement after this one.
    this.users.prime(rc, comments.map((comment) => comment.author!));
    return comments;
  }

  async stanceCounts(rc: RequestContext, subjectGlobalId: string): Promise<StanceCounts> {
    const { subject } = await this.subjects.require(rc, subjectGlobalId, 'subjectId');
    return rc.loader(this.stanceCountsOf).load(subject.id);
  }

  /** Opens a subscription on a subject's discussion, after checking the viewer may see it. */
  async channelFor(rc: RequestContext, event: typeof COMMENT_ADDED | typeof COMMENT_UPDATED, subjectGlobalId: string): Promise<string> {
    const { subject } = await this.subjects.require(rc, subjectGlobalId, 'subjectId');
    return channel(event, subject.id);
  }

  private announce(tx: Tx, event: typeof COMMENT_ADDED | typeof COMMENT_UPDATED, comment: CommentEntity): void {
    const payload: CommentEvent = { commentId: comment.id, subjectGlobalId: toGlobalId(comment.subjectType, comment.subjectId) };
    tx.afterCommit(() => this.events.publish(channel(event, comment.subjectId), payload));
  }
}
