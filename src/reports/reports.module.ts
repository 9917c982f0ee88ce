import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PhotosModule } from '../photos/photos.module';
import { ReportCategoriesService } from './report-categories.service';
import { ReportDeadlineClock } from './report-deadline-clock.service';
import { REPORT_DEADLINE_RESOLVERS } from './report-deadlines.resolver';
import { ReportLive } from './report-live';
import { ReportQueueService } from './report-queue.service';
import { ReportTargetsService } from './report-targets.service';
import { REPORT_RESOLVERS } from './reports.resolver';
import { ReportsService } from './reports.service';
import { ReportMapService } from './report-map.service';
import { ReportStatisticsResolver } from './report-statistics.resolver';
import { ReportStatisticsService } from './report-statistics.service';
import { ReportOpenDataController } from './report-open-data.controller';

/** Residents' reports: categories, submitting, the lifecycle, "me too", ratings, deadlines, the staff's queue and live updates; the map grid, statistics and open data. */
@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule, PhotosModule],
  controllers: [ReportOpenDataController],
  providers: [
    ReportsService,
    ReportCategoriesService,
    ReportLive,
    ReportTargetsService,
    ReportQueueService,
    ReportDeadlineClock,
    ReportMapService,
    ReportStatisticsService,
    ...REPORT_RESOLVERS,
    ...REPORT_DEADLINE_RESOLVERS,
    ReportStatisticsResolver,
  ],
  exports: [ReportsService, ReportCategoriesService],
})
export class ReportsModule {}
