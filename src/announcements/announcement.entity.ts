import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { sqlValues } from '../database/check-values';
import { DistrictEntity } from '../districts/district.entity';
import { HearingEntity } from '../hearings/entities/hearing.entity';
import { QuestionnaireEntity } from '../questionnaires/entities/questionnaire.entity';
import { ProposalEntity } from '../proposals/entities/proposal.entity';
import { ReportEntity } from '../reports/entities/report.entity';
import { VotingRoundEntity } from '../voting/entities/voting.entity';

export enum AnnouncementKind {
  NEWS = 'NEWS',
  NOTICE = 'NOTICE',
  /** Urgent: flooding, fire, a closed road. */
  EMERGENCY = 'EMERGENCY',
  EVENT = 'EVENT',
}

export enum AnnouncementStatus {
  /** Waiting for its `publish_at`: only its district's staff and administrators see it. */
  SCHEDULED = 'SCHEDULED',
  PUBLISHED = 'PUBLISHED',
  /** Taken back, with a reason: only its district's staff and administrators see it. */
  WITHDRAWN = 'WITHDRAWN',
}

/** What a district (or, with no district, the city) tells its people. Title and body in Thai, optionally English; the body is Markdown. */
@Entity({ name: 'announcements' })
@Check('CHK_announcements_kind', `"kind" IN (${sqlValues(Object.values(AnnouncementKind))})`)
@Check('CHK_announcements_status', `"status" IN (${sqlValues(Object.values(AnnouncementStatus))})`)
@Check('CHK_announcements_validity', `"valid_until" IS NULL OR "valid_from" IS NULL OR "valid_until" > "valid_from"`)
// A district's list: pinned first, then newest.
@Index('IDX_announcements_district_list', ['districtCode', 'status', 'pinned', 'publishAt', 'id'])
// The clock's due scheduled ones.
@Index('IDX_announcements_due', ['publishAt'], { where: `"status" = 'SCHEDULED'` })
export class AnnouncementEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_announcements' })
  id: string;

  /** Null: city-wide, from the administrators. */
  @Column({ name: 'district_code', type: 'varchar', length: 4, nullable: true })
  districtCode: string | null;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code', foreignKeyConstraintName: 'FK_announcements_district' })
  district?: DistrictEntity;

  @Column({ type: 'varchar', length: 12 })
  kind: AnnouncementKind;

  @Column({ type: 'varchar', length: 12 })
  status: AnnouncementStatus;

  @Column({ name: 'title_th', type: 'varchar', length: 200 })
  titleTh: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  /** Markdown, checked free of active content when written; served as written. */
  @Column({ name: 'body_th', type: 'varchar', length: 10000 })
  bodyTh: string;

  @Column({ name: 'body_en', type: 'varchar', length: 10000, nullable: true })
  bodyEn: string | null;

  @Column({ name: 'valid_from', type: 'timestamptz', precision: 3, nullable: true })
  validFrom: Date | null;

  /** After this it is expired: hidden from the list unless asked for. */
  @Column({ name: 'valid_until', type: 'timestamptz', precision: 3, nullable: true })
  validUntil: Date | null;

  /** When it is (or was) published: the list's order. */
  @Column({ name: 'publish_at', type: 'timestamptz', precision: 3 })
  publishAt: Date;

  @Column({ type: 'boolean', default: false })
  pinned: boolean;

  /** 1 when published; each edit adds one and keeps the version it replaced (announcement_versions). */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'varchar', length: 1000, nullable: true })
  withdrawalReason: string | null;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @ManyToOne(() => ProposalEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'proposal_id', foreignKeyConstraintName: 'FK_announcements_proposal' })
  proposal?: ProposalEntity;

  @Column({ name: 'hearing_id', type: 'uuid', nullable: true })
  hearingId: string | null;

  @ManyToOne(() => HearingEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hearing_id', foreignKeyConstraintName: 'FK_announcements_hearing' })
  hearing?: HearingEntity;

  @Column({ name: 'voting_round_id', type: 'uuid', nullable: true })
  votingRoundId: string | null;

  @ManyToOne(() => VotingRoundEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'voting_round_id', foreignKeyConstraintName: 'FK_announcements_voting_round' })
  votingRound?: VotingRoundEntity;

  @Column({ name: 'questionnaire_id', type: 'uuid', nullable: true })
  questionnaireId: string | null;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_announcements_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId: string | null;

  @ManyToOne(() => ReportEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_announcements_report' })
  report?: ReportEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A version an edit replaced: what the announcement said until `replacedAt`. */
@Entity({ name: 'announcement_versions' })
@Unique('UQ_announcement_versions_version', ['announcementId', 'version'])
export class AnnouncementVersionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_announcement_versions' })
  id: string;

  @Column({ name: 'announcement_id', type: 'uuid' })
  announcementId: string;

  @ManyToOne(() => AnnouncementEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'announcement_id', foreignKeyConstraintName: 'FK_announcement_versions_announcement' })
  announcement?: AnnouncementEntity;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 12 })
  kind: AnnouncementKind;

  @Column({ name: 'title_th', type: 'varchar', length: 200 })
  titleTh: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  @Column({ name: 'body_th', type: 'varchar', length: 10000 })
  bodyTh: string;

  @Column({ name: 'body_en', type: 'varchar', length: 10000, nullable: true })
  bodyEn: string | null;

  @Column({ name: 'valid_from', type: 'timestamptz', precision: 3, nullable: true })
  validFrom: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', precision: 3, nullable: true })
  validUntil: Date | null;

  /** When the edit that replaced it was made. */
  @CreateDateColumn({ name: 'replaced_at', type: 'timestamptz', precision: 3 })
  replacedAt: Date;
}
