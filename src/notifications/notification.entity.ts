import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';

export enum NotificationKind {
  /** Someone replied to my comment. */
  COMMENT_REPLY = 'COMMENT_REPLY',
  /** A proposal I wrote or co-sponsor changed status. */
  PROPOSAL_STATUS_CHANGED = 'PROPOSAL_STATUS_CHANGED',
  /** A host hid my comment (or restored it). */
  COMMENT_HIDDEN = 'COMMENT_HIDDEN',
  COMMENT_RESTORED = 'COMMENT_RESTORED',
  /** I was invited to co-sponsor a proposal. */
  COSPONSOR_INVITATION = 'COSPONSOR_INVITATION',
  /** A hearing I registered for: doors opened, moved, agenda changed, cancelled; my seat came free. */
  HEARING_OPENED = 'HEARING_OPENED',
  HEARING_RESCHEDULED = 'HEARING_RESCHEDULED',
  HEARING_AGENDA_CHANGED = 'HEARING_AGENDA_CHANGED',
  HEARING_CANCELLED = 'HEARING_CANCELLED',
  WAITLIST_PROMOTED = 'WAITLIST_PROMOTED',
}

/** Something that happened that one account should hear of; stored, listable and pushed live. */
@Entity({ name: 'notifications' })
@Check('CHK_notifications_kind', `"kind" IN (${Object.values(NotificationKind).map((k) => `'${k}'`).join(', ')})`)
@Index('IDX_notifications_user_created', ['userId', 'createdAt'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 30 })
  kind: NotificationKind;

  /** Who caused it, if a person did. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @Column({ name: 'comment_id', type: 'uuid', nullable: true })
  commentId: string | null;

  @Column({ name: 'hearing_id', type: 'uuid', nullable: true })
  hearingId: string | null;

  /** A short explanation: the moderation reason, or the new status. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  detail: string | null;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
