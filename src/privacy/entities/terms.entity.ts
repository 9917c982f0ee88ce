import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';

/** The terms of use and privacy notice in one language: its full text, or where it is published. */
export interface TermsDocument {
  locale: 'th' | 'en';
  url: string | null;
  text: string | null;
}

/**
 * One published version of the terms of use and privacy notice. The newest is the current one, which
 * every account must have accepted before it may change anything (README, Security: consent).
 */
@Entity({ name: 'terms_versions' })
@Index('IDX_terms_versions_published', ['publishedAt'])
export class TermsVersionEntity {
  /** Chosen by the administrator who publishes it ("2026-12", "2.1"). */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  version: string;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3 })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'published_by' })
  publisher?: UserEntity;

  /** One document per language (th and en), each a text or a URL. */
  @Column({ type: 'jsonb' })
  documents: TermsDocument[];
}

/** An account accepted a version of the terms. Rows are only ever added: the record keeps every acceptance. */
@Entity({ name: 'terms_acceptances' })
@Index('UQ_terms_acceptances_user_version', ['userId', 'version'], { unique: true })
@Check('CHK_terms_acceptances_via', `"via" IN ('REGISTRATION', 'ACCEPT_TERMS')`)
export class TermsAcceptanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @ManyToOne(() => TermsVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version' })
  terms?: TermsVersionEntity;

  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3 })
  acceptedAt: Date;

  /** Accepted when registering, or when asked again after a new version (acceptTerms). */
  @Column({ type: 'varchar', length: 12 })
  via: 'REGISTRATION' | 'ACCEPT_TERMS';
}
