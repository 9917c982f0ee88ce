import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';
import { sqlValues } from '../../database/check-values';
import { DistrictEntity } from '../../districts/district.entity';
import { Open311KeyEntity } from '../../open311/open311-key.entity';
import { PhotoEntity } from '../../photos/photo.entity';

export enum ReportKind {
  COMPLAINT = 'COMPLAINT',
  SUGGESTION = 'SUGGESTION',
}

/** How a report reached the district. */
export enum ReportChannel {
  APP = 'APP',
  WEB = 'WEB',
  /** Bangkok's 1555 hotline: filed by district staff for the caller. */
  HOTLINE_1555 = 'HOTLINE_1555',
  SOCIAL = 'SOCIAL',
  WALK_IN = 'WALK_IN',
  KIOSK = 'KIOSK',
}

export enum ReportStatus {
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  REJECTED = 'REJECTED',
  /** Handed to an agency outside the districts (the MEA, the BMA's drainage office...), with a note. */
  FORWARDED = 'FORWARDED',
  /** A duplicate, merged into another open report of its district. */
  MERGED = 'MERGED',
}

/** What a category of reports is called, in each language; retired ones stay on old reports. Seeded by a migration. */
@Entity({ name: 'report_categories' })
@Check('CHK_report_categories_targets', `"accept_within_hours" BETWEEN 1 AND 8760 AND "resolve_within_hours" BETWEEN "accept_within_hours" AND 8760`)
export class ReportCategoryEntity {
  /** Stable, for clients and open data: ROADS, STREET_LIGHTS... */
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'PK_report_categories' })
  code: string;

  @Column({ name: 'name_th', type: 'varchar', length: 100 })
  nameTh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;

  /** Retired categories cannot be chosen for new reports. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Where it comes in a picker. */
  @Column({ type: 'int', default: 0 })
  position: number;

  /** The city's targets: hours from receipt to acceptance, and to resolution. A district may tighten them. */
  @Column({ name: 'accept_within_hours', type: 'int', default: 24 })
  acceptWithinHours: number;

  @Column({ name: 'resolve_within_hours', type: 'int', default: 168 })
  resolveWithinHours: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A resident's complaint or suggestion (เรื่องร้องเรียน) about a place in a district. */
@Entity({ name: 'reports' })
@Check('CHK_reports_kind', `"kind" IN (${sqlValues(Object.values(ReportKind))})`)
@Check('CHK_reports_channel', `"channel" IN (${sqlValues(Object.values(ReportChannel))})`)
@Check('CHK_reports_status', `"status" IN (${sqlValues(Object.values(ReportStatus))})`)
@Check('CHK_reports_rating', `"rating" IS NULL OR "rating" BETWEEN 1 AND 5`)
@Check('CHK_reports_support_count', `"support_count" >= 0`)
@Index('IDX_reports_district_status', ['districtCode', 'status'])
@Index('IDX_reports_reporter', ['reporterId'])
@Index('IDX_reports_created', ['createdAt'])
// The public list of one district, newest first (read backwards).
@Index('IDX_reports_district_created', ['districtCode', 'createdAt', 'id'])
// A GiST index on ll_to_earth(latitude, longitude) is created by the migration (earthdistance); TypeORM cannot describe it.
@Index('IDX_reports_place', { synchronize: false })
// Bounding boxes (the `within` filter, the map grid): a btree, whose estimates the planner trusts (migration 1796365000007).
@Index('IDX_reports_lat_lng', ['latitude', 'longitude'])
@Index('IDX_reports_queue', ['districtCode', 'dueAt', 'id'], { where: '"due_at" IS NOT NULL' })
@Index('IDX_reports_due', ['dueAt'], { where: '"due_at" IS NOT NULL AND "overdue_since" IS NULL' })
// The same over open reports only (RECEIVED, ACCEPTED, IN_PROGRESS), for the duplicate search: a partial expression index, also the migration's.
@Index('IDX_reports_open_place', { synchronize: false })
// Index-only reads with INCLUDE columns (migration 1796365000008), which TypeORM cannot describe: a district's statistics, the open reports' map.
@Index('IDX_reports_district_received', { synchronize: false })
@Index('IDX_reports_open_lat_lng', { synchronize: false })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_reports' })
  id: string;

  @Column({ type: 'varchar', length: 12 })
  kind: ReportKind;

  @Column({ name: 'category_code', type: 'varchar', length: 40 })
  categoryCode: string;

  @ManyToOne(() => ReportCategoryEntity)
  @JoinColumn({ name: 'category_code', foreignKeyConstraintName: 'FK_reports_category' })
  category?: ReportCategoryEntity;

  /** Plain text, no markup. */
  @Column({ type: 'varchar', length: 5000 })
  description: string;

  @Column({ type: 'double precision' })
  latitude: number;

  @Column({ type: 'double precision' })
  longitude: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  landmark: string | null;

  /** The district that owns it now (a forward to another district moves it). */
  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code', foreignKeyConstraintName: 'FK_reports_district' })
  district?: DistrictEntity;

  @Column({ type: 'varchar', length: 12 })
  channel: ReportChannel;

  @Column({ type: 'varchar', length: 12, default: 'RECEIVED' })
  status: ReportStatus;

  /** The account that reported for itself; null when staff filed it for a caller or walk-in. Never shown to the public. */
  @Column({ name: 'reporter_id', type: 'uuid', nullable: true })
  reporterId: string | null;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'FK_reports_reporter' })
  reporter?: UserEntity;

  /** The staff member who filed it for a caller (null when the reporter filed it). */
  @Column({ name: 'filed_by_id', type: 'uuid', nullable: true })
  filedById: string | null;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'filed_by_id', foreignKeyConstraintName: 'FK_reports_filed_by' })
  filedBy?: UserEntity;

  /** A caller's or walk-in's name and phone: the district's staff and administrators only. */
  @Column({ name: 'caller_name', type: 'varchar', length: 200, nullable: true })
  callerName: string | null;

  @Column({ name: 'caller_phone', type: 'varchar', length: 30, nullable: true })
  callerPhone: string | null;

  /** Filed by a client application through the Open311 endpoint with this key (reporter and filedBy are then null). */
  @Column({ name: 'open311_key_id', type: 'uuid', nullable: true })
  open311KeyId: string | null;

  @ManyToOne(() => Open311KeyEntity)
  @JoinColumn({ name: 'open311_key_id', foreignKeyConstraintName: 'FK_reports_open311_key' })
  open311Key?: Open311KeyEntity;

  /** FORWARDED: the outside agency it went to. */
  @Column({ name: 'forwarded_to_agency', type: 'varchar', length: 200, nullable: true })
  forwardedToAgency: string | null;

  /** MERGED: the report it was merged into. */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  @ManyToOne(() => ReportEntity)
  @JoinColumn({ name: 'merged_into_id', foreignKeyConstraintName: 'FK_reports_merged_into' })
  mergedInto?: ReportEntity;

  /** People who said "me too". */
  @Column({ name: 'support_count', type: 'int', default: 0 })
  supportCount: number;

  /** When it was last RESOLVED: the reporter may reopen it for 7 days after. */
  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  /** The reporter's rating, 1 to 5, once, after it was resolved. */
  @Column({ type: 'int', nullable: true })
  rating: number | null;

  @Column({ name: 'rating_comment', type: 'varchar', length: 1000, nullable: true })
  ratingComment: string | null;

  @Column({ name: 'rated_at', type: 'timestamptz', precision: 3, nullable: true })
  ratedAt: Date | null;

  /** When its district received it: its submission, or its forward from another district. Its deadlines run from here. */
  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt: Date;

  /** When its district last accepted it. */
  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  /** The deadlines its district was given when it received it (a reopen gives a new resolve deadline). */
  @Column({ name: 'accept_due_at', type: 'timestamptz', precision: 3 })
  acceptDueAt: Date;

  @Column({ name: 'resolve_due_at', type: 'timestamptz', precision: 3 })
  resolveDueAt: Date;

  /** The next deadline it can miss while open (accepting, then resolving); null once closed. Orders the staff's queue. */
  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  /** Set by the clock job when `due_at` passed; cleared when a step gives it a deadline still ahead. */
  @Column({ name: 'overdue_since', type: 'timestamptz', precision: 3, nullable: true })
  overdueSince: Date | null;

  /** The description lower-cased, for the `text` filter; never loaded. */
  @Column({ name: 'search_text', type: 'text', default: '', select: false })
  searchText: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One step of a report's life: who did what, when, and why. */
@Entity({ name: 'report_transitions' })
@Index('IDX_report_transitions_report', ['reportId', 'createdAt'])
export class ReportTransitionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_report_transitions' })
  id: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_report_transitions_report' })
  report?: ReportEntity;

  /** The lifecycle action (submit, accept, forwardToDistrict...). */
  @Column({ type: 'varchar', length: 20 })
  action: string;

  @Column({ name: 'from_status', type: 'varchar', length: 12, nullable: true })
  fromStatus: ReportStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 12 })
  toStatus: ReportStatus;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** Whether the actor acted as the district's staff (their name is public) rather than as the reporter (it is not). */
  @Column({ name: 'by_staff', type: 'boolean', default: false })
  byStaff: boolean;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  /** A forward between districts: from which, to which. */
  @Column({ name: 'from_district_code', type: 'varchar', length: 4, nullable: true })
  fromDistrictCode: string | null;

  @Column({ name: 'to_district_code', type: 'varchar', length: 4, nullable: true })
  toDistrictCode: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  agency: string | null;

  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** "Me too": one per person and report; never shown to the public. */
@Entity({ name: 'report_supports' })
@Index('IDX_report_supports_user', ['userId'])
export class ReportSupportEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid', primaryKeyConstraintName: 'PK_report_supports' })
  reportId: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_report_supports_report' })
  report?: ReportEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_report_supports' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_report_supports_user' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A photo a report was submitted with, in its place (0 to 2). The photo itself is in `photos` (src/photos). */
@Entity({ name: 'report_photos' })
@Unique('UQ_report_photos_photo', ['photoId'])
@Check('CHK_report_photos_position', '"position" BETWEEN 0 AND 2')
export class ReportPhotoEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid', primaryKeyConstraintName: 'PK_report_photos' })
  reportId: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_report_photos_report' })
  report?: ReportEntity;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_report_photos' })
  position: number;

  @Column({ name: 'photo_id', type: 'uuid' })
  photoId: string;

  @ManyToOne(() => PhotoEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'photo_id', foreignKeyConstraintName: 'FK_report_photos_photo' })
  photo?: PhotoEntity;
}

/** A district's own, tighter targets for one category (never looser than the city's). */
@Entity({ name: 'report_district_targets' })
@Check('CHK_report_district_targets_hours', `"accept_within_hours" BETWEEN 1 AND 8760 AND "resolve_within_hours" BETWEEN "accept_within_hours" AND 8760`)
export class ReportDistrictTargetEntity {
  @PrimaryColumn({ name: 'district_code', type: 'varchar', length: 4, primaryKeyConstraintName: 'PK_report_district_targets' })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code', foreignKeyConstraintName: 'FK_report_district_targets_district' })
  district?: DistrictEntity;

  @PrimaryColumn({ name: 'category_code', type: 'varchar', length: 40, primaryKeyConstraintName: 'PK_report_district_targets' })
  categoryCode: string;

  @ManyToOne(() => ReportCategoryEntity)
  @JoinColumn({ name: 'category_code', foreignKeyConstraintName: 'FK_report_district_targets_category' })
  category?: ReportCategoryEntity;

  @Column({ name: 'accept_within_hours', type: 'int' })
  acceptWithinHours: number;

  @Column({ name: 'resolve_within_hours', type: 'int' })
  resolveWithinHours: number;

  @Column({ name: 'set_by_id', type: 'uuid', nullable: true })
  setById: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'set_by_id', foreignKeyConstraintName: 'FK_report_district_targets_set_by' })
  setBy?: UserEntity;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

export enum ReportDeadlineKind {
  ACCEPT = 'ACCEPT',
  RESOLVE = 'RESOLVE',
}

/** A deadline a report missed, recorded once by the clock job, in the district that owned the report then. */
@Entity({ name: 'report_breaches' })
@Unique('UQ_report_breaches_deadline', ['reportId', 'kind', 'dueAt'])
@Check('CHK_report_breaches_kind', `"kind" IN (${sqlValues(Object.values(ReportDeadlineKind))})`)
@Index('IDX_report_breaches_district', ['districtCode', 'dueAt'])
@Index('IDX_report_breaches_district_breached', { synchronize: false })
export class ReportBreachEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_report_breaches' })
  id: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_report_breaches_report' })
  report?: ReportEntity;

  @Column({ type: 'varchar', length: 8 })
  kind: ReportDeadlineKind;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @Column({ name: 'category_code', type: 'varchar', length: 40 })
  categoryCode: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt: Date;

  @Column({ name: 'breached_at', type: 'timestamptz', precision: 3 })
  breachedAt: Date;
}

/** An "after" photo on a step of a report's life (0 to 2), showing the work done. The photo itself is in `photos`. */
@Entity({ name: 'report_transition_photos' })
@Unique('UQ_report_transition_photos_photo', ['photoId'])
@Check('CHK_report_transition_photos_position', '"position" BETWEEN 0 AND 2')
export class ReportTransitionPhotoEntity {
  @PrimaryColumn({ name: 'transition_id', type: 'uuid', primaryKeyConstraintName: 'PK_report_transition_photos' })
  transitionId: string;

  @ManyToOne(() => ReportTransitionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'transition_id', foreignKeyConstraintName: 'FK_report_transition_photos_transition' })
  transition?: ReportTransitionEntity;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_report_transition_photos' })
  position: number;

  @Column({ name: 'photo_id', type: 'uuid' })
  photoId: string;

  @ManyToOne(() => PhotoEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'photo_id', foreignKeyConstraintName: 'FK_report_transition_photos_photo' })
  photo?: PhotoEntity;
}
