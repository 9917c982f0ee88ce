import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { DistrictEntity } from '../districts/district.entity';

/**
 * An account's own choice about one district: a follow with its preferences, or a resident's changed
 * mind about their home district. Residents follow their home district without a row (residency is an
 * implicit follow with every preference on); a row is written only when someone chooses something.
 */
@Entity({ name: 'district_follows' })
@Index('IDX_district_follows_district_user', ['districtCode', 'userId'])
export class DistrictFollowEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_district_follows_user' })
  user?: UserEntity;

  @PrimaryColumn({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code', foreignKeyConstraintName: 'FK_district_follows_district' })
  district?: DistrictEntity;

  /** False only for a resident who stopped following their home district (emergencies still reach them). */
  @Column({ type: 'boolean', default: true })
  following: boolean;

  @Column({ type: 'boolean', default: true })
  news: boolean;

  @Column({ type: 'boolean', default: true })
  notices: boolean;

  @Column({ type: 'boolean', default: true })
  events: boolean;

  @Column({ type: 'boolean', default: true })
  proposals: boolean;

  @Column({ type: 'boolean', default: true })
  hearings: boolean;

  @Column({ type: 'boolean', default: true })
  votes: boolean;

  @Column({ type: 'boolean', default: true })
  questionnaires: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** What an account is told about, one switch each; EMERGENCY announcements are not a choice. */
export const PREFERENCES = ['news', 'notices', 'events', 'proposals', 'hearings', 'votes', 'questionnaires'] as const;
export type Preference = (typeof PREFERENCES)[number];
export type Preferences = Record<Preference, boolean>;
export const ALL_ON: Preferences = { news: true, notices: true, events: true, proposals: true, hearings: true, votes: true, questionnaires: true };
