import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { DiscussionsModule } from '../discussions/discussions.module';
import { FollowingModule } from '../following/following.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProposalNews } from './proposal-news';
import { ProposalDiscussion, ProposalStanceResolver } from './proposal-discussion';
import { PROPOSAL_RESOLVERS } from './proposals.resolver';
import { ProposalsService } from './proposals.service';

@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule, DiscussionsModule, FollowingModule],
  providers: [ProposalsService, ProposalNews, ProposalDiscussion, ProposalStanceResolver, ...PROPOSAL_RESOLVERS],
  exports: [ProposalsService],
})
export class ProposalsModule {}
