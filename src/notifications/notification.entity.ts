import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import type { Note } from '../common/errors/app-error';

/**
 * The facts a notification's text is written from: names and titles as they were, statuses as enum
 * values, times as ISO strings, and what people wrote (a moderator's reason) as they wrote it. What a
 * kind quotes of someone's content (a reply, a proposal's title) is not here: it is read when shown.
 */
export interface NotificationValues {
  /**
   * PROPOSAL_STATUS_CHANGED, REPORT_STATUS_CHANGED: the ProposalStatus (ReportStatus) values before and after;
   * CITING_PROPOSAL_CHANGED: the citing proposal's new status (`to` only).
   */
  from?: string;
  to?: string;
  /** PROPOSAL_STATUS_CHANGED: the note on the transition, as a person wrote it or as a catalogue key with values. */
  note?: Note;
  /** A moderator's or host's reason (comment hidden or restored, hearing cancelled). */
  reason?: string;
  /** Hearing kinds: the hearing's title when it happened. */
  hearing?: string;
  /** HEARING_OPENED, HEARING_RESCHEDULED: where it is held (a venue, or the online link). */
  place?: string;
  /** HEARING_RESCHEDULED: the new times, ISO 8601. */
  startsAt?: string;
  endsAt?: string;
  /** HEARING_AGENDA_CHANGED: the items' titles, in order. */
  agenda?: string[];
  /** DISTRICT_* kinds (news of a followed or home district): what it is about, as its title read when told. */
  newsTitle?: { th: string; en: string | null };
  /** DISTRICT_* kinds: the district's names; absent for city-wide news. */
  district?: { th: string; en: string };
  /** DISTRICT_ANNOUNCEMENT: NEWS, NOTICE, EMERGENCY or EVENT. */
  announcementKind?: string;
  /** DISTRICT_* kinds: the node type and uuid of what it is about (an Announcement, a VotingRound...). */
  subjectType?: string;
  subjectId?: string;
  /** Text stored before notifications were structured that the migration could not take apart, shown as it was. */
  legacyText?: string;
}

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
  /** A report I made or support changed status. */
  REPORT_STATUS_CHANGED = 'REPORT_STATUS_CHANGED',
  /** A proposal citing a report I made or support was published, adopted or completed. */
  CITING_PROPOSAL_CHANGED = 'CITING_PROPOSAL_CHANGED',
  /** News of a district I follow or live in (src/following): an announcement, a proposal published, a hearing scheduled, a vote opened, a questionnaire. */
  DISTRICT_ANNOUNCEMENT = 'DISTRICT_ANNOUNCEMENT',
  DISTRICT_PROPOSAL = 'DISTRICT_PROPOSAL',
  DISTRICT_HEARING = 'DISTRICT_HEARING',
  DISTRICT_VOTE = 'DISTRICT_VOTE',
  DISTRICT_QUESTIONNAIRE = 'DISTRICT_QUESTIONNAIRE',
}

/** Something that happened that one account should hear of; stored, listable and pushed live. */
@Entity({ name: 'notifications' })
@Check('CHK_notifications_kind', `"kind" IN (${Object.values(NotificationKind).map((k) => `'${k}'`).join(', ')})`)
@Index('IDX_notifications_user_created', ['userId', 'createdAt'])
@Index('UQ_notifications_news_user', ['newsId', 'userId'], { unique: true, where: `"news_id" IS NOT NULL` })
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

  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId: string | null;

  /** The district news (src/following) this told: each account is told each piece of news once, by the database. */
  @Column({ name: 'news_id', type: 'uuid', nullable: true })
  newsId: string | null;

  /**
   * What the text is made from, never the text itself: it is written in the reader's language each
   * time it is read (NotificationTexts), so a change of locale changes past notifications too.
   */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  values: NotificationValues;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
