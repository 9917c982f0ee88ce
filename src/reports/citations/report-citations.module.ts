import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/notifications.module';
import { ProposalsModule } from '../../proposals/proposals.module';
import { ProposalCitationsResolver, ReportCitedByResolver } from './report-citations.resolver';
import { ReportCitationsService } from './report-citations.service';

/** From reports to a plan: proposals cite reports, and the people behind the reports hear how the plan goes. */
@Module({
  imports: [ProposalsModule, NotificationsModule],
  providers: [ReportCitationsService, ProposalCitationsResolver, ReportCitedByResolver],
})
export class ReportCitationsModule {}
