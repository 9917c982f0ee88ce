import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { APP_CONFIG, ConfigError, loadConfig } from '../../src/config/config';
import { AppConfigModule } from '../../src/config/config.module';

const SECRET = 'a-secret-of-at-least-32-characters-0001';

/** The error loadConfig throws for env, failing the test when it throws none or another kind. */
function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dp-config-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has defaults that start a single instance on the embedded database', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config).toMatchObject({
      nodeEnv: 'test',
      port: 3000,
      databaseUrl: undefined,
      dataDir: resolve('data'),
      dbPoolSize: 1,
      dbStatementTimeoutMs: 10_000,
      redisUrl: undefined,
      runMigrations: true,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 30 * 86_400,
      bootstrapAdmin: undefined,
      logLevel: 'warn',
      shutdownGraceMs: 10_000,
    });
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('defaults to development, logging at info', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.nodeEnv).toBe('development');
    expect(config.logLevel).toBe('info');
  });

  it('reads the values it is given, trimming blanks and treating empty as unset', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: ' 8080 ',
      DATABASE_URL: 'postgresql://app@db.internal:5432/district',
      DB_POOL_SIZE: '25',
      DB_STATEMENT_TIMEOUT_MS: '0',
      REDIS_URL: 'rediss://redis.internal:6380',
      RUN_MIGRATIONS: 'off',
      AUTH_SECRET: SECRET,
      ACCESS_TOKEN_TTL: '60',
      REFRESH_TOKEN_TTL: '3600',
      BOOTSTRAP_ADMIN_EMAIL: 'admin@district.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'Sao-Chingcha-1784!',
      LOG_LEVEL: 'ERROR',
      SHUTDOWN_GRACE_MS: '0',
      COMMENT_RATE_LIMIT: '5',
      COMMENT_RATE_WINDOW: '30',
      REPORTS_PER_HOUR: '12',
      OPEN311_REPORTS_PER_HOUR: '120',
      BALLOT_SECRET: 'a-ballot-secret-of-at-least-32-characters',
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_IP: '100',
      RATE_LIMIT_PER_ACCOUNT: '50',
      WS_CONNECTIONS_PER_IP: '5',
      WS_SUBSCRIPTIONS_PER_CONNECTION: '6',
      WS_MESSAGES_PER_SECOND: '7',
      WS_MAX_QUEUED_EVENTS: '8',
      SIGN_IN_LIMIT_PER_EMAIL: '3',
      SIGN_IN_LIMIT_PER_IP: '9',
      SIGN_IN_LIMIT_WINDOW: '600',
      REDIS_PREFIX: 'staging:',
      SMTP_URL: 'smtps://mailer:secret@smtp.example.org:465',
      MAIL_FROM: 'Bangkok Participation <no-reply@participation.example>',
      PASSWORD_RESET_URL: 'https://participation.example/reset-password',
      PASSWORD_RESET_LIMIT_PER_EMAIL: '4',
      PASSWORD_RESET_LIMIT_PER_IP: '40',
      PASSWORD_RESET_LIMIT_WINDOW: '1800',
      DATA_DIR: '',
      RETENTION_READ_NOTIFICATIONS_DAYS: '30',
      RETENTION_ENDED_SESSIONS_DAYS: '0',
      EXPORT_LINK_HOURS: '24',
      DISTRICT_NEWS_BATCH_SIZE: '500',
      DISTRICT_NEWS_INTERVAL_MS: '0',
    });
    expect(config).toEqual({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgresql://app@db.internal:5432/district',
      dataDir: resolve('data'),
      dbPoolSize: 25,
      dbStatementTimeoutMs: 0,
      redisUrl: 'rediss://redis.internal:6380',
      redisPrefix: 'staging', // joined with ':' (a trailing one is not doubled)
      runMigrations: false,
      authSecret: SECRET,
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      bootstrapAdmin: { email: 'admin@district.example', password: 'Sao-Chingcha-1784!' },
      logLevel: 'error',
      shutdownGraceMs: 0,
      commentRateLimit: { count: 5, windowSeconds: 30 },
      reportsPerHour: 12,
      open311ReportsPerHour: 120,
      districtNews: { batchSize: 500, intervalMs: 0 },
      ballotSecret: 'a-ballot-secret-of-at-least-32-characters',
      trustProxy: true,
      rateLimits: { perIpPerMinute: 100, perAccountPerMinute: 50, wsConnectionsPerIp: 5, wsSubscriptionsPerConnection: 6, wsMessagesPerSecond: 7 },
      wsMaxQueuedEvents: 8,
      signInLimits: { perEmail: 3, perIp: 9, windowSeconds: 600 },
      retention: { readNotificationsDays: 30, endedSessionsDays: 0, finishedExportsDays: 30, callerContactDays: 180, exportLinkHours: 24 },
      ide: false,
      smtpUrl: 'smtps://mailer:secret@smtp.example.org:465',
      mailFrom: 'Bangkok Participation <no-reply@participation.example>',
      passwordResetUrl: 'https://participation.example/reset-password',
      passwordResetLimits: { perEmail: 4, perIp: 40, windowSeconds: 1800 },
    });
  });

  it('requires PASSWORD_RESET_URL in production when mail is really sent, and smtp:// or smtps:// for SMTP_URL', () => {
    const production = { NODE_ENV: 'production', AUTH_SECRET: SECRET };
    expect(() => loadConfig({ ...production, SMTP_URL: 'smtp://smtp.example.org' })).toThrow(/^PASSWORD_RESET_URL is required in production/);
    expect(loadConfig({ ...production }).smtpUrl).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'test', SMTP_URL: 'http://smtp.example.org' })).toThrow(/^SMTP_URL must start with smtp: or smtps:/);
    expect(loadConfig({ NODE_ENV: 'test', PORT: '4000' }).passwordResetUrl).toBe('http://localhost:4000/reset-password');
  });

  it('accepts PORT=0 (any free port)', () => {
    expect(loadConfig({ NODE_ENV: 'test', PORT: '0' }).port).toBe(0);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '3000.5'],
    ['COMMENT_RATE_LIMIT', '0'],
    ['BALLOT_SECRET', 'too-short'],
    ['RATE_LIMIT_PER_IP', '0'],
    ['TRUST_PROXY', 'maybe'],
    ['COMMENT_RATE_WINDOW', 'soon'],
    ['DB_POOL_SIZE', '0'],
    ['DB_POOL_SIZE', '201'],
    ['WS_MAX_QUEUED_EVENTS', '0'],
    ['ACCESS_TOKEN_TTL', '29'],
    ['ACCESS_TOKEN_TTL', '1h'],
    ['REFRESH_TOKEN_TTL', '59'],
    ['SHUTDOWN_GRACE_MS', '600001'],
    ['DB_STATEMENT_TIMEOUT_MS', '3600001'],
    ['DB_STATEMENT_TIMEOUT_MS', '10s'],
    ['RUN_MIGRATIONS', 'maybe'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://db.internal/district'],
    ['REDIS_URL', 'http://x'],
    ['REDIS_URL', 'redis'],
    ['REDIS_PREFIX', 'two words'],
    ['GRAPHQL_IDE', 'sometimes'],
  ])('refuses %s=%s with an error naming it', (variable, value) => {
    const env: Record<string, string> = { NODE_ENV: 'test', [variable]: value };
    // DB_POOL_SIZE is read only for a database server.
    if (variable === 'DB_POOL_SIZE') env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
    const error = configErrorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('does not echo an unparsable DATABASE_URL, which may hold a password', () => {
    const error = configErrorOf({ NODE_ENV: 'test', DATABASE_URL: 'postgres://app:s3cret@db internal/x' });
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).not.toContain('s3cret');
  });

  it('requires AUTH_SECRET in production', () => {
    const error = configErrorOf({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(error.variable).toBe('AUTH_SECRET');
    expect(error.message).toContain('production');
    // Not made up and written to disk, which would give each instance a different secret.
    expect(existsSync(join(dataDir, 'auth-secret'))).toBe(false);
  });

  it('requires AUTH_SECRET to be at least 32 characters, in every environment', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      const error = configErrorOf({ NODE_ENV, DATA_DIR: dataDir, AUTH_SECRET: 'x'.repeat(31) });
      expect(error.variable).toBe('AUTH_SECRET');
      expect(error.message).toContain('32');
    }
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).authSecret).toBe('x'.repeat(32));
  });

  it('outside production, makes a secret once and keeps it in the data directory', () => {
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(first.authSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dataDir, 'auth-secret'), 'utf8').trim()).toBe(first.authSecret);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).authSecret).toBe(first.authSecret);
  });

  it('honours DB_POOL_SIZE only with DATABASE_URL', () => {
    expect(loadConfig({ NODE_ENV: 'test', DB_POOL_SIZE: '20' }).dbPoolSize).toBe(1);
    // Not even validated without a database server: it does not apply.
    expect(loadConfig({ NODE_ENV: 'test', DB_POOL_SIZE: 'lots' }).dbPoolSize).toBe(1);
    const url = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }).dbPoolSize).toBe(10);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DB_POOL_SIZE: '20' }).dbPoolSize).toBe(20);
  });

  it('wants both BOOTSTRAP_ADMIN_ variables or neither, naming the missing one', () => {
    expect(configErrorOf({ NODE_ENV: 'test', BOOTSTRAP_ADMIN_EMAIL: 'admin@district.example' }).variable).toBe('BOOTSTRAP_ADMIN_PASSWORD');
    expect(configErrorOf({ NODE_ENV: 'test', BOOTSTRAP_ADMIN_PASSWORD: 'Sao-Chingcha-1784!' }).variable).toBe('BOOTSTRAP_ADMIN_EMAIL');
    expect(configErrorOf({ NODE_ENV: 'test', BOOTSTRAP_ADMIN_EMAIL: 'admin@district.example', BOOTSTRAP_ADMIN_PASSWORD: ' ' }).variable).toBe('BOOTSTRAP_ADMIN_PASSWORD');
  });

  it('reads true and false in the usual spellings', () => {
    for (const yes of ['1', 'true', 'YES', 'on']) expect(loadConfig({ NODE_ENV: 'test', RUN_MIGRATIONS: yes }).runMigrations).toBe(true);
    for (const no of ['0', 'false', 'No', 'off']) expect(loadConfig({ NODE_ENV: 'test', RUN_MIGRATIONS: no }).runMigrations).toBe(false);
  });

  it('serves the IDE outside production, and in production only when GRAPHQL_IDE turns it on', () => {
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).ide).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).ide).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', GRAPHQL_IDE: 'off' }).ide).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: SECRET }).ide).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: SECRET, GRAPHQL_IDE: 'on' }).ide).toBe(true);
  });
});

describe('AppConfigModule', () => {
  it('serves the checked configuration through @nestjs/config, and writes none of it into process.env', async () => {
    const envBefore = { ...process.env };
    const config = loadConfig({ NODE_ENV: 'test', PORT: '8181', AUTH_SECRET: SECRET, REDIS_PREFIX: 'staging' });
    const context = await NestFactory.createApplicationContext(AppConfigModule.register(config), { logger: false });
    try {
      const service = context.get(ConfigService);
      expect(service.get('app.port')).toBe(8181);
      expect(service.get('app.redisPrefix')).toBe('staging');
      expect(context.get(APP_CONFIG)).toBe(config);
      // Only the checked values: not the raw environment.
      expect(service.get('PATH')).toBeUndefined();
      expect(process.env).toEqual(envBefore);
    } finally {
      await context.close();
    }
  });
});
