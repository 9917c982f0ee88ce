import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { RequestContext } from '../../common/context/request-context';
import { AppError, msg } from '../../common/errors/app-error';
import { InputCheck } from '../../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../../common/pagination/connection';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { NotificationKind } from '../../notifications/notification.entity';
import { NotificationsService } from '../../notifications/notifications.service';
import { ProposalEntity } from '../../proposals/entities/proposal.entity';
import { ProposalAction } from '../../proposals/proposal-lifecycle';
import { ProposalUpdateKind } from '../../proposals/proposal.type';
import { ProposalsService, ProposalStep } from '../../proposals/proposals.service';
import { ReportEntity } from '../entities/report.entity';
import { ReportCitationEntity } from './report-citation.entity';

/** How many reports one proposal may cite. */
export const MAX_CITATIONS = 20;
/** The steps of a citing proposal that the people behind the cited reports are told of. */
const TOLD_STEPS: readonly ProposalAction[] = ['publish', 'adopt', 'complete'];

/**
 * Reports cited by a proposal (the problems a community plan means to fix), and telling the people behind
 * them (reporters and supporters) when the plan is published, adopted and completed.
 */
@Injectable()
export class ReportCitationsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly proposals: ProposalsService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.proposals.onStep((tx, step) => this.tellOfStep(tx, step));
  }

  // ---- citing --------------------------------------------------------------------------------

  /** The report ids of an input: 1 to MAX_CITATIONS ids of reports, none twice; every problem at once. */
  private static reportIds(check: InputCheck, ids: string[] | null | undefined): string[] {
    const given = ids ?? [];
    if (given.length === 0) check.fail('reportIds', msg('errors.input.required'));
    if (given.length > MAX_CITATIONS) check.fail('reportIds', msg('citations.errors.tooManyAtOnce', { max: MAX_CITATIONS }));
    const seen = new Set<string>();
    const parsed: string[] = [];
    given.slice(0, MAX_CITATIONS).forEach((globalId, i) => {
      const id = check.globalId(`reportIds[${i}]`, globalId, 'Report');
      if (id === null) return;
      if (seen.has(id)) check.fail(`reportIds[${i}]`, msg('citations.errors.repeated'));
      seen.add(id);
      parsed.push(id);
    });
    return parsed;
  }

  /**
   * The proposal's author or an accepted co-sponsor, while it may still be edited, cites reports of any
   * district (a problem across a district's border, a report forwarded later); citing one again changes
   * nothing. NOT_FOUND when a report does not exist, and then nothing is cited.
   */
  async cite(rc: RequestContext, proposalId: string, globalReportIds: string[]): Promise<ProposalEntity> {
    const check = new InputCheck();
    const reportIds = ReportCitationsService.reportIds(check, globalReportIds);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.proposals.lockEditable(rc, tx, proposalId);
      const found = await tx.em.find(ReportEntity, { where: { id: In(reportIds) }, select: { id: true } });
      if (found.length !== reportIds.length) throw AppError.notFound('Report');
      // The proposal is locked: no other citation of it can come between this read and the insert.
      const existing = await tx.em.find(ReportCitationEntity, { where: { proposalId: proposal.id }, select: { reportId: true, position: true } });
      const cited = new Set(existing.map((c) => c.reportId));
      const adding = reportIds.filter((id) => !cited.has(id));
      if (cited.size + adding.length > MAX_CITATIONS) {
        throw AppError.badInput([{ field: 'input.reportIds', message: msg('citations.errors.tooMany', { max: MAX_CITATIONS, cited: cited.size }) }]);
      }
      if (adding.length === 0) return proposal;
      const next = Math.max(-1, ...existing.map((c) => c.position)) + 1;
      await tx.em.insert(ReportCitationEntity, adding.map((reportId, i) => ({ proposalId: proposal.id, reportId, position: next + i })));
      this.proposals.announce(tx, proposal, sponsors, ProposalUpdateKind.CITATIONS_CHANGED);
      return proposal;
    });
  }

  /** The same people, while it may still be edited, stop citing reports; a report it does not cite changes nothing. */
  async uncite(rc: RequestContext, proposalId: string, globalReportIds: string[]): Promise<ProposalEntity> {
    const check = new InputCheck();
    const reportIds = ReportCitationsService.reportIds(check, globalReportIds);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const { proposal, sponsors } = await this.proposals.lockEditable(rc, tx, proposalId);
      const removed = await tx.em.delete(ReportCitationEntity, { proposalId: proposal.id, reportId: In(reportIds) });
      if (removed.affected) this.proposals.announce(tx, proposal, sponsors, ProposalUpdateKind.CITATIONS_CHANGED);
      return proposal;
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The reports a proposal cites, in the order they were cited. Reports are public: whoever sees the proposal sees them. */
  relatedReports(proposalId: string, page: PageArgs): Promise<ConnectionShape<ReportEntity>> {
    const query = this.dataSource.getRepository(ReportCitationEntity).createQueryBuilder('c').innerJoinAndSelect('c.report', 'r').where('c.proposal_id = :proposalId', { proposalId });
    return paginate(
      query,
      page,
      { columns: [{ sql: 'c.position', value: (c) => c.position }], direction: 'ASC' },
      (c) => c.report!,
    );
  }

  /** The proposals citing a report that the viewer may see (a draft only its author and co-sponsors), newest first. */
  citedBy(rc: RequestContext, reportId: string, page: PageArgs): Promise<ConnectionShape<ProposalEntity>> {
    const query = this.dataSource
      .getRepository(ProposalEntity)
      .createQueryBuilder('p')
      .where('EXISTS (SELECT 1 FROM proposal_report_citations c WHERE c.proposal_id = p.id AND c.report_id = :reportId)', { reportId });
    this.proposals.whereVisible(query, rc.viewer);
    return paginate(
      query,
      page,
      { columns: [{ sql: 'COALESCE(p.published_at, p.created_at)', value: (p) => p.publishedAt ?? p.createdAt }, { sql: 'p.id', value: (p) => p.id }], direction: 'DESC' },
      (p) => p,
    );
  }

  // ---- telling -------------------------------------------------------------------------------

  /**
   * A citing proposal was published, adopted or completed: each reporter and supporter of the reports it cites
   * is told once, whatever the number of reports they are behind. Not the one who took the step, nor the
   * proposal's author and co-sponsors (told already as its own), nor erased accounts.
   */
  private async tellOfStep(tx: Tx, step: ProposalStep): Promise<void> {
    if (!TOLD_STEPS.includes(step.action)) return;
    const rows: { userId: string }[] = await tx.em.query(
      `SELECT DISTINCT u.id AS "userId"
         FROM proposal_report_citations c
         JOIN reports r ON r.id = c.report_id
         LEFT JOIN report_supports s ON s.report_id = c.report_id
         JOIN users u ON u.id IN (r.reporter_id, s.user_id) AND u.deleted_at IS NULL
        WHERE c.proposal_id = $1
        ORDER BY u.id`,
      [step.proposal.id],
    );
    const skip = new Set([...step.told, ...(step.actorId ? [step.actorId] : [])]);
    const told = rows.map((row) => row.userId).filter((userId) => !skip.has(userId));
    if (told.length === 0) return;
    await this.notifications.notify(
      tx,
      told.map((userId) => ({ userId, kind: NotificationKind.CITING_PROPOSAL_CHANGED, actorId: step.actorId, proposalId: step.proposal.id, values: { to: step.to } })),
    );
  }
}
