import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A key a client application (a district app, a 311 client, a researcher's tool) uses to file reports
 * through the Open311 endpoint. Issued and revoked by administrators; the key itself is shown once and
 * only its SHA-256 is kept, as refresh tokens are.
 */
@Entity({ name: 'open311_keys' })
@Unique('UQ_open311_keys_hash', ['keyHash'])
export class Open311KeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_open311_keys' })
  id: string;

  /** What the application is called ("แอปเขตปทุมวัน"). */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Who answers for it (an address or a phone number of its maintainers): administrators only. */
  @Column({ type: 'varchar', length: 200 })
  contact: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, select: false })
  keyHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Set once: a revoked key is refused from then on. */
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
