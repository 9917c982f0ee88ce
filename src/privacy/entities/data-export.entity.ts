import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';

export enum DataExportStatus {
  /** Asked for; the background job has not written it yet. */
  PREPARING = 'PREPARING',
  /** Written, waiting to be fetched once through its link. */
  READY = 'READY',
  /** Fetched through its link: the file is gone. */
  FETCHED = 'FETCHED',
  /** Not fetched before its link expired: the file is gone. */
  EXPIRED = 'EXPIRED',
}

/**
 * A copy of everything held about an account, asked for with exportMyData, written by a background job
 * and fetched once with a one-time link. Only a SHA-256 hash of the link's token is kept; the file itself
 * is dropped when fetched or expired, and the row by the retention job later.
 */
@Entity({ name: 'data_exports' })
@Index('IDX_data_exports_user', ['userId', 'requestedAt'])
@Index('IDX_data_exports_status', ['status'])
@Check('CHK_data_exports_status', `"status" IN ('PREPARING', 'READY', 'FETCHED', 'EXPIRED')`)
export class DataExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 10 })
  status: DataExportStatus;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Column({ name: 'requested_at', type: 'timestamptz', precision: 3 })
  requestedAt: Date;

  @Column({ name: 'ready_at', type: 'timestamptz', precision: 3, nullable: true })
  readyAt: Date | null;

  /** The link works until then (set when the file is ready). */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'fetched_at', type: 'timestamptz', precision: 3, nullable: true })
  fetchedAt: Date | null;

  /** The JSON file, while READY. */
  @Column({ type: 'text', nullable: true })
  content: string | null;
}
