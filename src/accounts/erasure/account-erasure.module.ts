import { Module } from '@nestjs/common';
import { DiscussionsModule } from '../../discussions/discussions.module';
import { AccountErasureResolver } from './account-erasure.resolver';
import { AccountErasureService } from './account-erasure.service';

/** deleteMyAccount: apart from AccountsModule, as it reaches into discussions (comment counts) that depend on accounts. */
@Module({
  imports: [DiscussionsModule],
  providers: [AccountErasureService, AccountErasureResolver],
})
export class AccountErasureModule {}
