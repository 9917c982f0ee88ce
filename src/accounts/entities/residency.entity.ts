import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DistrictEntity } from '../../districts/district.entity';
import { UserEntity } from './user.entity';

export enum ResidencyStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  /** An approved residency replaced by a newer one after the person moved district. */
  SUPERSEDED = 'SUPERSEDED',
}

/**
 * A person's request to be verified as a resident of a district, and its review.
 * At most one request per person is pending, and at most one is approved, enforced by the database.
 */
@Entity({ name: 'residencies' })
@Check('CHK_residencies_status', `"status" IN ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED')`)
@Index('UQ_residencies_one_pending', ['userId'], { unique: true, where: `"status" = 'PENDING'` })
@Index('UQ_residencies_one_approved', ['userId'], { unique: true, where: `"status" = 'APPROVED'` })
@Index('IDX_residencies_district_status', ['districtCode', 'status', 'createdAt'])
/** A district's residents in account order: district news goes to them in batches (src/following). */
@Index('IDX_residencies_approved_district_user', ['districtCode', 'userId'], { where: `"status" = 'APPROVED'` })
export class ResidencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code' })
  district?: DistrictEntity;

  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status: ResidencyStatus;

  /** What the person tells the reviewer (address, community), optional. */
  @Column({ name: 'request_note', type: 'varchar', length: 1000, nullable: true })
  requestNote: string | null;

  @Column({ name: 'review_note', type: 'varchar', length: 1000, nullable: true })
  reviewNote: string | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', precision: 3, nullable: true })
  reviewedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
