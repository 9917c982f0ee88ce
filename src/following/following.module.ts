import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DistrictNewsDelivery } from './district-news-delivery.service';
import { DistrictNews } from './district-news.service';
import { DistrictFollowersResolver, FollowingResolver } from './following.resolver';
import { FollowingService } from './following.service';

/** Following districts, and district news told to their followers and residents (DistrictNews.tell). */
@Module({
  imports: [DistrictsModule, NotificationsModule],
  providers: [FollowingService, FollowingResolver, DistrictFollowersResolver, DistrictNews, DistrictNewsDelivery],
  exports: [DistrictNews],
})
export class FollowingModule {}
