import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DiscussionsModule } from '../discussions/discussions.module';
import { DistrictsModule } from '../districts/districts.module';
import { FollowingModule } from '../following/following.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { HearingFloorService } from './hearing-floor.service';
import { HearingLifecycleService } from './hearing-lifecycle.service';
import { HearingLiveService } from './hearing-live.service';
import { HearingMinutesService } from './hearing-minutes.service';
import { HearingNodes } from './hearing-nodes';
import { HearingProposalsService } from './hearing-proposals.service';
import { HearingRegistrationService } from './hearing-registration.service';
import { HearingScheduleService } from './hearing-schedule.service';
import { HEARING_RESOLVERS } from './hearings.resolver';
import { HearingsService } from './hearings.service';
import { LiveParticipantResolver } from './live-participant.resolver';
import { MinutesDownloadController } from './minutes-download.controller';

@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule, ProposalsModule, DiscussionsModule, FollowingModule],
  providers: [
    HearingsService,
    HearingScheduleService,
    HearingProposalsService,
    HearingLifecycleService,
    HearingRegistrationService,
    HearingFloorService,
    HearingMinutesService,
    HearingLiveService,
    HearingNodes,
    ...HEARING_RESOLVERS,
    LiveParticipantResolver,
  ],
  controllers: [MinutesDownloadController],
  exports: [HearingsService, HearingRegistrationService, HearingLiveService],
})
export class HearingsModule {}
