import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const NEWS_TOPICS = ['ANNOUNCEMENT', 'PROPOSAL', 'HEARING', 'VOTE', 'QUESTIONNAIRE'] as const;
export type NewsTopic = (typeof NEWS_TOPICS)[number];
export const ANNOUNCEMENT_KINDS = ['NEWS', 'NOTICE', 'EMERGENCY', 'EVENT'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

/**
 * Something a district's followers are to be told, recorded in the transaction that made it happen and
 * delivered later in batches by DistrictNewsDelivery. `cursor` is the last account id told: delivery
 * goes through recipients in id order, one batch per transaction, so a crash resumes where it stopped.
 */
@Entity({ name: 'district_news' })
@Check('CHK_district_news_topic', `"topic" IN (${NEWS_TOPICS.map((t) => `'${t}'`).join(', ')})`)
@Index('IDX_district_news_pending', ['createdAt'], { where: `"delivered_at" IS NULL` })
export class DistrictNewsEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null: city-wide. */
  @Column({ name: 'district_code', type: 'varchar', length: 4, nullable: true })
  districtCode: string | null;

  @Column({ type: 'varchar', length: 20 })
  topic: NewsTopic;

  @Column({ name: 'announcement_kind', type: 'varchar', length: 10, nullable: true })
  announcementKind: AnnouncementKind | null;

  /** The node type and uuid of what the news is about. */
  @Column({ name: 'subject_type', type: 'varchar', length: 40 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'jsonb' })
  title: { th: string; en: string | null };

  @Column({ type: 'uuid', nullable: true })
  cursor: string | null;

  @Column({ name: 'delivered_count', type: 'integer', default: 0 })
  deliveredCount: number;

  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
