import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  REFUSED = 'REFUSED',
}

/** The city-wide chain, for actions outside any district (sign-ups, sign-ins). */
export const CITY = '0000';

/**
 * One state-changing request: who, what, on what, when, with which outcome. Append-only (the
 * migration revokes nothing, but no code path updates or deletes it, and the hash chain shows any
 * change). Never holds a secret ballot's choice, a password or a token.
 */
@Entity({ name: 'audit_entries' })
@Check('CHK_audit_entries_outcome', `"outcome" IN ('SUCCESS', 'REFUSED')`)
@Index('IDX_audit_entries_district_chain', ['districtCode', 'chainSeq'])
@Index('IDX_audit_entries_unchained', ['districtCode', 'id'], { where: `"chain_seq" IS NULL` })
export class AuditEntryEntity {
  /** Insertion order; the chain order is chainSeq, given once the entry is committed. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  /** Null when the system acted, or for a ballot (who voted when must not meet live tallies). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  /** The global id of what was acted on, when known. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  subject: string | null;

  /** Null for a ballot, whose request's log line would otherwise say who cast it. */
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 8 })
  outcome: AuditOutcome;

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  /** A ballot's is the start of its hour. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'chain_seq', type: 'int', nullable: true })
  chainSeq: number | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash: string | null;
}
