import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module';
import { ConsentResolver, UserConsentResolver } from './consent.resolver';
import { ConsentService } from './consent.service';
import { DataExportController } from './data-export.controller';
import { DataExportResolver } from './data-export.resolver';
import { DataExportService } from './data-export.service';
import { RetentionService } from './retention.service';
import { TermsGateInterceptor } from './terms-gate.interceptor';

/** PDPA rights: consent to the terms, access to and portability of one's data, and retention. */
@Module({
  imports: [AccountsModule],
  controllers: [DataExportController],
  providers: [
    ConsentService,
    ConsentResolver,
    UserConsentResolver,
    DataExportService,
    DataExportResolver,
    RetentionService,
    { provide: APP_INTERCEPTOR, useClass: TermsGateInterceptor },
  ],
  exports: [ConsentService, DataExportService, RetentionService],
})
export class PrivacyModule {}
