import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';

export enum Stance {
  FOR = 'FOR',
  AGAINST = 'AGAINST',
  NEUTRAL = 'NEUTRAL',
}

export enum CommentStatus {
  VISIBLE = 'VISIBLE',
  /** Hidden by a host, with a reason; the text is kept for the author and moderators. */
  HIDDEN = 'HIDDEN',
  /** Deleted by its author: a tombstone keeps the thread's shape, the text is gone. */
  DELETED = 'DELETED',
}

export enum ReactionKind {
  LIKE = 'LIKE',
  THANKS = 'THANKS',
  INSIGHTFUL = 'INSIGHTFUL',
}

/** A comment in the discussion of a subject (a proposal; hearings later), possibly a reply. */
@Entity({ name: 'comments' })
@Check('CHK_comments_stance', `"stance" IN ('FOR', 'AGAINST', 'NEUTRAL')`)
@Check('CHK_comments_status', `"status" IN ('VISIBLE', 'HIDDEN', 'DELETED')`)
@Check('CHK_comments_depth', `"depth" BETWEEN 0 AND 5`)
@Index('IDX_comments_subject_top', ['subjectId', 'parentId', 'createdAt'])
@Index('IDX_comments_parent', ['parentId'])
@Index('IDX_comments_author_created', ['authorId', 'createdAt'])
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** "Proposal" (and later "Hearing"): the kind of subject. */
  @Column({ name: 'subject_type', type: 'varchar', length: 20 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The subject's district, so moderators are found without loading the subject. */
  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: CommentEntity;

  /** 0 for a top-level comment; replies nest at most to depth 5 (six levels). */
  @Column({ type: 'smallint', default: 0 })
  depth: number;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  /** Null once deleted. */
  @Column({ type: 'varchar', length: 5000, nullable: true })
  body: string | null;

  @Column({ type: 'varchar', length: 8 })
  stance: Stance;

  @Column({ type: 'varchar', length: 8, default: 'VISIBLE' })
  status: CommentStatus;

  @Column({ name: 'moderation_reason', type: 'varchar', length: 1000, nullable: true })
  moderationReason: string | null;

  @Column({ name: 'reaction_count', type: 'int', default: 0 })
  reactionCount: number;

  @Column({ name: 'edited_at', type: 'timestamptz', precision: 3, nullable: true })
  editedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** The text a comment had before an edit. */
@Entity({ name: 'comment_edits' })
@Index('IDX_comment_edits_comment', ['commentId', 'editedAt'])
export class CommentEditEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'comment_id', type: 'uuid' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ name: 'previous_body', type: 'varchar', length: 5000 })
  previousBody: string;

  @Column({ name: 'previous_stance', type: 'varchar', length: 8 })
  previousStance: Stance;

  @CreateDateColumn({ name: 'edited_at', type: 'timestamptz', precision: 3 })
  editedAt: Date;
}

/** One reaction per account per comment, by the primary key. */
@Entity({ name: 'comment_reactions' })
@Check('CHK_comment_reactions_kind', `"kind" IN ('LIKE', 'THANKS', 'INSIGHTFUL')`)
export class CommentReactionEntity {
  @PrimaryColumn({ name: 'comment_id', type: 'uuid' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 12 })
  kind: ReactionKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A member's report that a comment breaks the rules; one per account per comment. */
@Entity({ name: 'comment_flags' })
export class CommentFlagEntity {
  @PrimaryColumn({ name: 'comment_id', type: 'uuid' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A host hiding or restoring a comment, with the reason: the moderation record. */
@Entity({ name: 'comment_moderations' })
@Check('CHK_comment_moderations_action', `"action" IN ('HIDE', 'RESTORE')`)
@Index('IDX_comment_moderations_comment', ['commentId', 'createdAt'])
export class CommentModerationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'comment_id', type: 'uuid' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ type: 'varchar', length: 8 })
  action: 'HIDE' | 'RESTORE';

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @Column({ name: 'moderator_id', type: 'uuid' })
  moderatorId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
