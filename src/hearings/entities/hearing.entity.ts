import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { sqlValues } from '../../database/check-values';
import { UserEntity } from '../../accounts/entities/user.entity';
import { DistrictEntity } from '../../districts/district.entity';
import { ProposalEntity } from '../../proposals/entities/proposal.entity';

export enum HearingStatus {
  SCHEDULED = 'SCHEDULED',
  /** Doors open: check-in runs. */
  OPEN = 'OPEN',
  IN_SESSION = 'IN_SESSION',
  /** A break; the session resumes. */
  ADJOURNED = 'ADJOURNED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}

/** A public hearing (เวทีแสดงความคิดเห็น) of a district, in the hall and online at once. */
@Entity({ name: 'hearings' })
@Check('CHK_hearings_status', `"status" IN (${sqlValues(Object.values(HearingStatus))})`)
@Check('CHK_hearings_times', `"ends_at" > "starts_at"`)
@Check('CHK_hearings_capacity', `"capacity" >= 1`)
@Index('IDX_hearings_district_starts', ['districtCode', 'startsAt'])
export class HearingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code' })
  district?: DistrictEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ type: 'varchar', length: 500, nullable: true })
  venue: string | null;

  @Column({ name: 'online_url', type: 'varchar', length: 500, nullable: true })
  onlineUrl: string | null;

  /** Seats in the hall; online participants do not take seats. */
  @Column({ type: 'int' })
  capacity: number;

  @Column({ type: 'varchar', length: 12, default: 'SCHEDULED' })
  status: HearingStatus;

  @Column({ name: 'speaker_time_limit_seconds', type: 'int', default: 180 })
  speakerTimeLimitSeconds: number;

  /** Whether people who have not yet spoken on an item go ahead of those who have. */
  @Column({ name: 'first_time_speakers_first', type: 'boolean', default: true })
  firstTimeSpeakersFirst: boolean;

  @Column({ name: 'current_agenda_item_id', type: 'uuid', nullable: true })
  currentAgendaItemId: string | null;

  @Column({ name: 'current_item_started_at', type: 'timestamptz', precision: 3, nullable: true })
  currentItemStartedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 1000, nullable: true })
  cancelReason: string | null;

  /** Bumped by every change that is pushed live, so a client can tell when it missed one. */
  @Column({ type: 'int', default: 0 })
  sequence: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  /** When the doors opened (on the clock, as it happened); null until then. */
  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3, nullable: true })
  openedAt: Date | null;

  /** Why the host opened when they did: required more than an hour before startsAt (see hearing-lifecycle.ts). */
  @Column({ name: 'opening_reason', type: 'varchar', length: 1000, nullable: true })
  openingReason: string | null;

  @Column({ name: 'session_started_at', type: 'timestamptz', precision: 3, nullable: true })
  sessionStartedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A break in a hearing's session, for the minutes: from adjourning to resuming (open while the break lasts). */
@Entity({ name: 'hearing_adjournments' })
@Check('CHK_hearing_adjournments_times', `"resumed_at" IS NULL OR "resumed_at" >= "adjourned_at"`)
@Index('IDX_hearing_adjournments_hearing', ['hearingId', 'adjournedAt'])
export class AdjournmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ name: 'adjourned_at', type: 'timestamptz', precision: 3 })
  adjournedAt: Date;

  @Column({ name: 'resumed_at', type: 'timestamptz', precision: 3, nullable: true })
  resumedAt: Date | null;
}

/** One item of a hearing's agenda, possibly about a proposal of the district. */
@Entity({ name: 'hearing_agenda_items' })
@Check('CHK_hearing_agenda_items_minutes', `"planned_minutes" BETWEEN 1 AND 600`)
@Index('IDX_hearing_agenda_items_hearing', ['hearingId', 'position'])
@Index('IDX_hearing_agenda_items_proposal', ['proposalId'])
export class AgendaItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @ManyToOne(() => ProposalEntity)
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  @Column({ name: 'planned_minutes', type: 'int' })
  plannedMinutes: number;

  /** Time the hearing has spent on this item so far (the current stretch is added when it ends). */
  @Column({ name: 'seconds_spent', type: 'int', default: 0 })
  secondsSpent: number;
}

export enum RegistrationStatus {
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
}

export enum AttendanceMode {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
}

/** A seat (or an online place) at a hearing. One live registration per account and hearing. */
@Entity({ name: 'hearing_registrations' })
@Check('CHK_hearing_registrations_status', `"status" IN ('CONFIRMED', 'WAITLISTED', 'CANCELLED')`)
@Check('CHK_hearing_registrations_mode', `"mode" IN ('IN_PERSON', 'ONLINE')`)
@Index('UQ_hearing_registrations_live', ['hearingId', 'userId'], { unique: true, where: `"status" <> 'CANCELLED'` })
@Index('IDX_hearing_registrations_queue', ['hearingId', 'status', 'createdAt'])
export class RegistrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 10 })
  status: RegistrationStatus;

  @Column({ type: 'varchar', length: 10, default: 'IN_PERSON' })
  mode: AttendanceMode;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'promoted_at', type: 'timestamptz', precision: 3, nullable: true })
  promotedAt: Date | null;

  @Column({ name: 'checked_in_at', type: 'timestamptz', precision: 3, nullable: true })
  checkedInAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;
}

export enum SpeakerRequestStatus {
  QUEUED = 'QUEUED',
  WITHDRAWN = 'WITHDRAWN',
  SPEAKING = 'SPEAKING',
  DONE = 'DONE',
}

export enum SpeechEnd {
  ENDED = 'ENDED',
  TIMEOUT = 'TIMEOUT',
}

/** A request to speak on an agenda item; granted, it becomes a turn on the floor. */
@Entity({ name: 'hearing_speaker_requests' })
@Check('CHK_hearing_speaker_requests_status', `"status" IN ('QUEUED', 'WITHDRAWN', 'SPEAKING', 'DONE')`)
@Index('UQ_hearing_speaker_requests_queued', ['agendaItemId', 'userId'], { unique: true, where: `"status" IN ('QUEUED', 'SPEAKING')` })
// One speaker holds the floor at a time, whatever the concurrency: the database refuses a second.
@Index('UQ_hearing_speaker_requests_floor', ['hearingId'], { unique: true, where: `"status" = 'SPEAKING'` })
@Index('IDX_hearing_speaker_requests_queue', ['hearingId', 'agendaItemId', 'status', 'requestedAt'])
export class SpeakerRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ name: 'agenda_item_id', type: 'uuid' })
  agendaItemId: string;

  @ManyToOne(() => AgendaItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agenda_item_id' })
  agendaItem?: AgendaItemEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 8, nullable: true })
  stance: string | null;

  @Column({ type: 'varchar', length: 10, default: 'QUEUED' })
  status: SpeakerRequestStatus;

  /** Whether this person had not yet spoken on the item when asking. */
  @Column({ name: 'first_time', type: 'boolean' })
  firstTime: boolean;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz', precision: 3 })
  requestedAt: Date;

  @Column({ name: 'granted_at', type: 'timestamptz', precision: 3, nullable: true })
  grantedAt: Date | null;

  @Column({ name: 'deadline_at', type: 'timestamptz', precision: 3, nullable: true })
  deadlineAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 8, nullable: true })
  endReason: SpeechEnd | null;
}

/** What a speaker said, for the minutes: written or edited by a host (or clerk) during the session. */
@Entity({ name: 'hearing_statements' })
@Index('IDX_hearing_statements_hearing', ['hearingId', 'startedAt'])
export class StatementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ name: 'agenda_item_id', type: 'uuid' })
  agendaItemId: string;

  @Column({ name: 'speaker_id', type: 'uuid' })
  speakerId: string;

  @Column({ name: 'speaker_request_id', type: 'uuid', unique: true })
  speakerRequestId: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  stance: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 10000, default: '' })
  text: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export enum QuestionStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
  DISMISSED = 'DISMISSED',
}

/** A written question from an attendee, ranked by the other attendees' votes. */
@Entity({ name: 'hearing_questions' })
@Check('CHK_hearing_questions_status', `"status" IN ('OPEN', 'ANSWERED', 'DISMISSED')`)
@Index('IDX_hearing_questions_rank', ['hearingId', 'status', 'upvoteCount'])
export class QuestionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ type: 'varchar', length: 1000 })
  text: string;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: QuestionStatus;

  @Column({ name: 'upvote_count', type: 'int', default: 0 })
  upvoteCount: number;

  /** The answer given, as noted by the host. */
  @Column({ type: 'varchar', length: 5000, nullable: true })
  answer: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;
}

@Entity({ name: 'hearing_question_upvotes' })
export class QuestionUpvoteEntity {
  @PrimaryColumn({ name: 'question_id', type: 'uuid' })
  questionId: string;

  @ManyToOne(() => QuestionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'question_id' })
  question?: QuestionEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
