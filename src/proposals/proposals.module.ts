import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PROPOSAL_RESOLVERS } from './proposals.resolver';
import { ProposalsService } from './proposals.service';

@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule],
  providers: [ProposalsService, ...PROPOSAL_RESOLVERS],
  exports: [ProposalsService],
})
export class ProposalsModule {}
