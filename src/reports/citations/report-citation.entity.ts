import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { ProposalEntity } from '../../proposals/entities/proposal.entity';
import { ReportEntity } from '../entities/report.entity';

/**
 * A proposal citing a report: the problem residents reported that the plan means to fix. Names nobody
 * (the audit trail keeps who cited it), so it is not personal data; it goes with the proposal or the report.
 */
@Entity({ name: 'proposal_report_citations' })
@Index('IDX_proposal_report_citations_report', ['reportId'])
@Unique('UQ_proposal_report_citations_position', ['proposalId', 'position'])
export class ReportCitationEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'uuid', primaryKeyConstraintName: 'PK_proposal_report_citations' })
  proposalId: string;

  @ManyToOne(() => ProposalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'proposal_id', foreignKeyConstraintName: 'FK_proposal_report_citations_proposal' })
  proposal?: ProposalEntity;

  @PrimaryColumn({ name: 'report_id', type: 'uuid', primaryKeyConstraintName: 'PK_proposal_report_citations' })
  reportId: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'FK_proposal_report_citations_report' })
  report?: ReportEntity;

  /** The order it was cited in, within its proposal (gaps where a citation was withdrawn). */
  @Column({ type: 'int' })
  position: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
