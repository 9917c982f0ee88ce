import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from './accounts/accounts.module';
import { AnnouncementsModule } from './announcements/announcements.module';
import { AccountErasureModule } from './accounts/erasure/account-erasure.module';
import { AuditModule } from './audit/audit.module';
import { AuthService } from './accounts/auth.service';
import { CommonModule } from './common/common.module';
import { graphqlOptions } from './common/graphql/graphql-options';
import { AccountSockets } from './realtime/account-sockets';
import { LiveStatus } from './realtime/live-status';
import { AppLogger, LOGGER } from './common/logging/logger';
import { WsLimits } from './common/limits/ws-limits';
import { APP_CONFIG, AppConfig } from './config/config';
import { AppConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { DiscussionsModule } from './discussions/discussions.module';
import { DistrictsModule } from './districts/districts.module';
import { FollowingModule } from './following/following.module';
import { HealthModule } from './health/health.module';
import { I18nModule } from './i18n/i18n.module';
import { IdeModule } from './ide/ide.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { MetricsService } from './metrics/metrics.service';
import { HearingsModule } from './hearings/hearings.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PhotosModule } from './photos/photos.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ProposalsModule } from './proposals/proposals.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ReportCitationsModule } from './reports/citations/report-citations.module';
import { ReportsModule } from './reports/reports.module';
import { Open311Module } from './open311/open311.module';
import { VotingModule } from './voting/voting.module';
import { QuestionnairesModule } from './questionnaires/questionnaires.module';
import { QuestionnaireResultsModule } from './questionnaires/results/questionnaire-results.module';

/** The server's logger, for every module. */
@Module({})
export class LoggerModule {}

/** The whole server, for a given configuration and database URL (real or embedded). */
@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string, logger: AppLogger): DynamicModule {
    const loggerModule: DynamicModule = { module: LoggerModule, global: true, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
    return {
      module: AppModule,
      imports: [
        AppConfigModule.register(config),
        loggerModule,
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl, config.dbPoolSize, config.dbStatementTimeoutMs), retryAttempts: 3, retryDelay: 1000 }),
        CommonModule,
        MailModule,
        MetricsModule,
        RealtimeModule,
        DistrictsModule,
        AccountsModule,
        AccountErasureModule,
        NotificationsModule,
        FollowingModule,
        ProposalsModule,
        ReportsModule,
        Open311Module,
        ReportCitationsModule,
        AnnouncementsModule,
        DiscussionsModule,
        HearingsModule,
        VotingModule,
        QuestionnairesModule,
        QuestionnaireResultsModule,
        AuditModule,
        PrivacyModule,
        PhotosModule,
        I18nModule,
        IdeModule,
        HealthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AccountsModule],
          inject: [APP_CONFIG, AuthService, LOGGER, MetricsService, LiveStatus, AccountSockets, WsLimits],
          useFactory: graphqlOptions,
        }),
      ],
    };
  }
}
