import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PhotosModule } from '../photos/photos.module';
import { ReportCategoriesService } from './report-categories.service';
import { REPORT_RESOLVERS } from './reports.resolver';
import { ReportsService } from './reports.service';
import { ReportMapService } from './report-map.service';
import { ReportMapCellResolver, ReportStatisticsResolver } from './report-statistics.resolver';
import { ReportStatisticsService } from './report-statistics.service';
import { ReportOpenDataController } from './report-open-data.controller';

/** Residents' reports: categories, submitting, the lifecycle, "me too", ratings; the map grid, statistics and open data. */
@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule, PhotosModule],
  controllers: [ReportOpenDataController],
  providers: [ReportsService, ReportCategoriesService, ReportMapService, ReportStatisticsService, ...REPORT_RESOLVERS, ReportStatisticsResolver, ReportMapCellResolver],
  exports: [ReportsService, ReportCategoriesService],
})
export class ReportsModule {}
