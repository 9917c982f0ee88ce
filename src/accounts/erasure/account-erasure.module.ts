import { Module } from '@nestjs/common';
import { DiscussionsModule } from '../../discussions/discussions.module';
import { HearingsModule } from '../../hearings/hearings.module';
import { AccountErasureResolver } from './account-erasure.resolver';
import { AccountErasureService } from './account-erasure.service';

/** deleteMyAccount: apart from AccountsModule, as it reaches into discussions (comment counts) and hearings (seats, queues) that depend on accounts. */
@Module({
  imports: [DiscussionsModule, HearingsModule],
  providers: [AccountErasureService, AccountErasureResolver],
})
export class AccountErasureModule {}
