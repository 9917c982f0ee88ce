import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PhotosModule } from '../photos/photos.module';
import { ReportCategoriesService } from './report-categories.service';
import { REPORT_RESOLVERS } from './reports.resolver';
import { ReportsService } from './reports.service';

/** Residents' reports (issue 15's first slice): categories, submitting, the lifecycle, "me too" and ratings. */
@Module({
  imports: [AccountsModule, DistrictsModule, NotificationsModule, PhotosModule],
  providers: [ReportsService, ReportCategoriesService, ...REPORT_RESOLVERS],
  exports: [ReportsService, ReportCategoriesService],
})
export class ReportsModule {}
