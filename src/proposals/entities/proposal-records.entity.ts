import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Message } from '../../common/errors/app-error';
import { UserEntity } from '../../accounts/entities/user.entity';
import { ProposalEntity, ProposalStatus } from './proposal.entity';

export enum SponsorshipStatus {
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
}

/** An account the author invited to co-sponsor; accepted co-sponsors may edit. */
@Entity({ name: 'proposal_sponsors' })
@Check('CHK_proposal_sponsors_status', `"status" IN ('INVITED', 'ACCEPTED', 'DECLINED')`)
@Index('IDX_proposal_sponsors_user', ['userId'])
export class ProposalSponsorEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 10, default: 'INVITED' })
  status: SponsorshipStatus;

  @CreateDateColumn({ name: 'invited_at', type: 'timestamptz', precision: 3 })
  invitedAt: Date;

  @Column({ name: 'responded_at', type: 'timestamptz', precision: 3, nullable: true })
  respondedAt: Date | null;
}

/** One step of a proposal's life: who moved it from which status to which, when, and why. */
@Entity({ name: 'proposal_transitions' })
@Index('IDX_proposal_transitions_proposal', ['proposalId', 'createdAt'])
export class ProposalTransitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  @Column({ name: 'from_status', type: 'varchar', length: 12, nullable: true })
  fromStatus: ProposalStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 12 })
  toStatus: ProposalStatus;

  /** Null when the system moved it (the endorsement threshold was reached). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** Why, as a person wrote it. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  /** Why, when the system wrote it: a catalogue key with values, written in the reader's language when read (writeNote). */
  @Column({ name: 'note_message', type: 'jsonb', nullable: true })
  noteMessage: Message | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** The text of a proposal as it was before an edit made after publishing. */
@Entity({ name: 'proposal_revisions' })
@Index('UQ_proposal_revisions_number', ['proposalId', 'revision'], { unique: true })
export class ProposalRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  /** 1 for the first edit after publishing, and so on. */
  @Column({ type: 'int' })
  revision: number;

  /** Who made the edit that replaced this text. */
  @Column({ name: 'editor_id', type: 'uuid' })
  editorId: string;

  @Column({ name: 'previous_title', type: 'varchar', length: 200 })
  previousTitle: string;

  @Column({ name: 'previous_summary', type: 'varchar', length: 1000 })
  previousSummary: string;

  @Column({ name: 'previous_body', type: 'text' })
  previousBody: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** One account's endorsement of a proposal: at most one, by the primary key. */
@Entity({ name: 'proposal_endorsements' })
@Index('IDX_proposal_endorsements_user', ['userId'])
export class ProposalEndorsementEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A host's report on an adopted plan being carried out. */
@Entity({ name: 'proposal_progress_updates' })
@Check('CHK_proposal_progress_percent', `"percent" BETWEEN 0 AND 100`)
@Index('IDX_proposal_progress_proposal', ['proposalId', 'createdAt'])
export class ProposalProgressEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id' })
  proposal?: ProposalEntity;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ type: 'varchar', length: 5000 })
  text: string;

  @Column({ type: 'int' })
  percent: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
