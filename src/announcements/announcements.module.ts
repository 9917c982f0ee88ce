import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { FollowingModule } from '../following/following.module';
import { AnnouncementClock } from './announcement-clock.service';
import { AnnouncementLive } from './announcement-live';
import { ANNOUNCEMENT_RESOLVERS } from './announcements.resolver';
import { AnnouncementsService } from './announcements.service';

/** Announcements (inform): districts and the city tell their people; scheduled publishing; live. */
@Module({
  imports: [DistrictsModule, FollowingModule],
  providers: [AnnouncementsService, AnnouncementLive, AnnouncementClock, ...ANNOUNCEMENT_RESOLVERS],
  exports: [AnnouncementsService],
})
export class AnnouncementsModule {}
