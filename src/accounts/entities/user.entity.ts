import { Locale } from '../../i18n/locale';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum AccountKind {
  PERSON = 'PERSON',
  ORGANIZATION = 'ORGANIZATION',
}

export { Locale } from '../../i18n/locale';

/** An account. The password hash never leaves this class: the API type is `User`. */
@Entity({ name: 'users' })
@Check('CHK_users_kind', `"kind" IN ('PERSON', 'ORGANIZATION')`)
@Check('CHK_users_locale', `"locale" IN ('th', 'en')`)
@Index('UQ_users_pseudonym', ['pseudonym'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased, so uniqueness is case-insensitive. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ type: 'varchar', length: 12 })
  kind: AccountKind;

  @Column({ type: 'varchar', length: 2, default: 'th' })
  locale: Locale;

  @Column({ name: 'is_admin', type: 'boolean', default: false })
  isAdmin: boolean;

  /** Email preferences: the decision on a residency request, and a reminder the day before a registered hearing. */
  @Column({ name: 'email_residency_decisions', type: 'boolean', default: true })
  emailResidencyDecisions: boolean;

  @Column({ name: 'email_hearing_reminders', type: 'boolean', default: true })
  emailHearingReminders: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  /** Set when the account was erased (deleteMyAccount): the row is a tombstone, its personal data gone. */
  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  /**
   * An erased account's stand-in: random, drawn at erasure, never derived from the id. The API shows
   * the tombstone under this id (User:<pseudonym>), so nothing it returns links back to the account's id.
   */
  @Column({ type: 'uuid', nullable: true })
  pseudonym: string | null;
}
