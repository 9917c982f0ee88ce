import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { sqlValues } from '../../database/check-values';
import { UserEntity } from '../../accounts/entities/user.entity';
import { DistrictEntity } from '../../districts/district.entity';

export enum ProposalStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  QUALIFIED = 'QUALIFIED',
  IN_HEARING = 'IN_HEARING',
  /** Its hearing closed: heard, the minutes public; it may go to a vote. */
  HEARD = 'HEARD',
  IN_VOTE = 'IN_VOTE',
  ADOPTED = 'ADOPTED',
  REJECTED = 'REJECTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
  HIDDEN = 'HIDDEN',
}

export enum ProposalCategory {
  INFRASTRUCTURE = 'INFRASTRUCTURE',
  TRANSPORT = 'TRANSPORT',
  ENVIRONMENT = 'ENVIRONMENT',
  FLOODING_AND_DRAINAGE = 'FLOODING_AND_DRAINAGE',
  SAFETY = 'SAFETY',
  HEALTH = 'HEALTH',
  EDUCATION = 'EDUCATION',
  CULTURE = 'CULTURE',
  ECONOMY = 'ECONOMY',
  SOCIAL_WELFARE = 'SOCIAL_WELFARE',
  OTHER = 'OTHER',
}

/** A community plan (แผนพัฒนาชุมชน) proposed for one district. */
@Entity({ name: 'proposals' })
@Check('CHK_proposals_status', `"status" IN (${sqlValues(Object.values(ProposalStatus))})`)
@Check('CHK_proposals_category', `"category" IN (${sqlValues(Object.values(ProposalCategory))})`)
@Check('CHK_proposals_budget', `"estimated_budget" IS NULL OR "estimated_budget" >= 0`)
@Check('CHK_proposals_counts', `"endorsement_count" >= 0 AND "comment_count" >= 0`)
@Index('IDX_proposals_district_status', ['districtCode', 'status'])
@Index('IDX_proposals_author', ['authorId'])
// A GIN index on search_tokens is created by the migration; TypeORM cannot describe it, so it must not manage it.
@Index('IDX_proposals_search_tokens', { synchronize: false })
// The district's newest first, on an expression (COALESCE(published_at, created_at)): created by its migration too.
@Index('IDX_proposals_district_newest', { synchronize: false })
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code' })
  district?: DistrictEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 1000 })
  summary: string;

  /** Markdown, stored as written; clients render it with raw HTML disabled. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 30 })
  category: ProposalCategory;

  /** In baht, up to two decimals; pg returns numeric as a string to keep it exact. */
  @Column({ name: 'estimated_budget', type: 'numeric', precision: 15, scale: 2, nullable: true })
  estimatedBudget: string | null;

  @Column({ name: 'location_latitude', type: 'double precision', nullable: true })
  locationLatitude: number | null;

  @Column({ name: 'location_longitude', type: 'double precision', nullable: true })
  locationLongitude: number | null;

  @Column({ name: 'location_address', type: 'varchar', length: 500, nullable: true })
  locationAddress: string | null;

  @Column({ type: 'varchar', length: 12, default: 'DRAFT' })
  status: ProposalStatus;

  /** While HIDDEN: the status to restore, and why it was hidden. */
  @Column({ name: 'status_before_hidden', type: 'varchar', length: 12, nullable: true })
  statusBeforeHidden: ProposalStatus | null;

  @Column({ name: 'hidden_reason', type: 'varchar', length: 1000, nullable: true })
  hiddenReason: string | null;

  /** How many times it was edited after publishing (each edit kept as a revision). */
  @Column({ type: 'int', default: 0 })
  revision: number;

  @Column({ name: 'endorsement_count', type: 'int', default: 0 })
  endorsementCount: number;

  /** Visible comments in its discussion, kept by the discussions service. */
  @Column({ name: 'comment_count', type: 'int', default: 0 })
  commentCount: number;

  /**
   * Words of title, summary and body, lower-cased; Thai split into words (it has no spaces). Only SQL
   * reads it (search), so it is written but never loaded (`select: false`): a list would parse the array
   * for every row.
   */
  @Column({ name: 'search_tokens', type: 'text', array: true, default: () => "'{}'", select: false })
  searchTokens: string[];

  /** The same text lower-cased, for substring matches the word split may miss; like the words, never loaded. */
  @Column({ name: 'search_text', type: 'text', default: '', select: false })
  searchText: string;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
