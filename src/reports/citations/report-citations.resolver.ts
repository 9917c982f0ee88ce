import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../../common/context/current-context.decorator';
import { RequestContext } from '../../common/context/request-context';
import { mapConnection, PageArgs } from '../../common/pagination/connection';
import { Proposal, ProposalConnection } from '../../proposals/proposal.type';
import { Report, ReportConnection } from '../report.type';
import { CiteReportsInput, CiteReportsPayload, UnciteReportsInput, UnciteReportsPayload } from './dto';
import { ReportCitationsService } from './report-citations.service';

@Resolver(() => Proposal)
export class ProposalCitationsResolver {
  constructor(private readonly service: ReportCitationsService) {}

  @Mutation(() => CiteReportsPayload, {
    description: 'The author or a co-sponsor cites reports in a proposal they may still edit (until a vote starts): their reporters and supporters hear when it is published, adopted and completed.',
  })
  async citeReports(@Args('input', { type: () => CiteReportsInput }) input: CiteReportsInput, @Ctx() rc: RequestContext): Promise<CiteReportsPayload> {
    return { proposal: Proposal.from(await this.service.cite(rc, input.proposalId, input.reportIds)) };
  }

  @Mutation(() => UnciteReportsPayload, { description: 'The author or a co-sponsor stops citing reports, while the proposal may still be edited.' })
  async unciteReports(@Args('input', { type: () => UnciteReportsInput }) input: UnciteReportsInput, @Ctx() rc: RequestContext): Promise<UnciteReportsPayload> {
    return { proposal: Proposal.from(await this.service.uncite(rc, input.proposalId, input.reportIds)) };
  }

  @ResolveField(() => ReportConnection, { description: 'The reports it cites (the problems it means to fix), in the order they were cited.' })
  async relatedReports(@Parent() proposal: Proposal, @Args() page: PageArgs): Promise<ReportConnection> {
    return mapConnection(await this.service.relatedReports(proposal.proposalId, page), Report.from);
  }
}

@Resolver(() => Report)
export class ReportCitedByResolver {
  constructor(private readonly service: ReportCitationsService) {}

  @ResolveField(() => ProposalConnection, { description: 'The proposals citing it that you may see (a draft only its author and co-sponsors), newest first.' })
  async citedBy(@Parent() report: Report, @Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<ProposalConnection> {
    return mapConnection(await this.service.citedBy(rc, report.reportId, page), Proposal.from);
  }
}
