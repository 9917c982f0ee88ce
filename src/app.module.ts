import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AuthService } from './accounts/auth.service';
import { CommonModule } from './common/common.module';
import { graphqlOptions } from './common/graphql/graphql-options';
import { AccountSockets } from './realtime/account-sockets';
import { LiveStatus } from './realtime/live-status';
import { JsonLogger } from './common/logging/json-logger';
import { WsLimits } from './common/limits/ws-limits';
import { APP_CONFIG, AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source';
import { DiscussionsModule } from './discussions/discussions.module';
import { DistrictsModule } from './districts/districts.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { MetricsService } from './metrics/metrics.service';
import { HearingsModule } from './hearings/hearings.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProposalsModule } from './proposals/proposals.module';
import { RealtimeModule } from './realtime/realtime.module';
import { VotingModule } from './voting/voting.module';

@Module({})
export class ConfigModule {}

/** The whole server, for a given configuration and database URL (real or embedded). */
@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string, logger: JsonLogger): DynamicModule {
    const configModule: DynamicModule = {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: JsonLogger, useValue: logger },
      ],
      exports: [APP_CONFIG, JsonLogger],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl, config.dbPoolSize, config.dbStatementTimeoutMs), retryAttempts: 3, retryDelay: 1000 }),
        CommonModule,
        MetricsModule,
        RealtimeModule,
        DistrictsModule,
        AccountsModule,
        NotificationsModule,
        ProposalsModule,
        DiscussionsModule,
        HearingsModule,
        VotingModule,
        AuditModule,
        HealthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AccountsModule],
          inject: [APP_CONFIG, AuthService, JsonLogger, MetricsService, LiveStatus, AccountSockets, WsLimits],
          useFactory: graphqlOptions,
        }),
      ],
    };
  }
}
