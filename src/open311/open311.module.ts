import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DistrictsModule } from '../districts/districts.module';
import { ReportsModule } from '../reports/reports.module';
import { Open311Controller } from './open311.controller';
import { Open311KeysResolver } from './open311-keys.resolver';
import { Open311KeysService } from './open311-keys.service';
import { Open311ViewService } from './open311.service';

/** Open311 GeoReport v2 over the reports (issue 15), and the keys client applications file with. */
@Module({
  imports: [ReportsModule, DistrictsModule, AuditModule],
  controllers: [Open311Controller],
  providers: [Open311KeysService, Open311KeysResolver, Open311ViewService],
})
export class Open311Module {}
