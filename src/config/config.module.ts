import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { APP_CONFIG, AppConfig } from './config';

/**
 * The configuration a server was started with (validated by loadConfig), through @nestjs/config: the
 * `app` namespace of ConfigService (`config.get('app.port')`), and APP_CONFIG for the typed object.
 * Nothing is read from process.env or a .env file here and nothing is written back to process.env:
 * the values are the ones loadConfig checked, and secrets stay out of the environment of child processes.
 */
@Module({})
export class AppConfigModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validatePredefined: false, skipProcessEnv: true, load: [registerAs('app', () => config)] })],
      providers: [{ provide: APP_CONFIG, inject: [ConfigService], useFactory: (service: ConfigService) => service.getOrThrow<AppConfig>('app') }],
      exports: [ConfigModule, APP_CONFIG],
    };
  }
}
