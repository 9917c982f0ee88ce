import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the server reads from the environment, validated once at boot. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Unset: the embedded PostgreSQL (PGlite) kept under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  dbPoolSize: number;
  /**
   * How long one SQL statement of a request or background job may take (0: no limit). The database cancels
   * it then; a database that does not answer at all is given up on a second later (see dataSourceOptions).
   * Migrations have no limit.
   */
  dbStatementTimeoutMs: number;
  redisUrl?: string;
  /** Put before every Redis channel and key: deployments that share one Redis do not hear one another. */
  redisPrefix: string;
  runMigrations: boolean;
  authSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  bootstrapAdmin?: { email: string; password: string };
  logLevel: LogLevel;
  shutdownGraceMs: number;
  /** Behind a load balancer: take the client IP from X-Forwarded-For. */
  trustProxy: boolean;
  /** Requests allowed per minute, per client IP and per signed-in account; WebSocket limits. */
  rateLimits: { perIpPerMinute: number; perAccountPerMinute: number; wsConnectionsPerIp: number; wsSubscriptionsPerConnection: number; wsMessagesPerSecond: number };
  /** Sign-in attempts allowed per email and per client address within `windowSeconds`. */
  signInLimits: { perEmail: number; perIp: number; windowSeconds: number };
  /** Keys the hashes that tie a secret ballot to its voter's slot and receipt; never leaves the server. */
  ballotSecret: string;
  /** Events a subscription may hold for a client that does not read, before the server closes it as a slow consumer. */
  wsMaxQueuedEvents: number;
  /** At most `count` comments per account within `windowSeconds`. */
  commentRateLimit: { count: number; windowSeconds: number };
  /** At most this many reports an hour per reporter (REPORTS_PER_HOUR), counted by the shared rate limiter. */
  reportsPerHour: number;
  /** At most this many reports an hour per Open311 API key (OPEN311_REPORTS_PER_HOUR): one key speaks for a whole client application. */
  open311ReportsPerHour: number;
  /** District news (src/following): recipients per INSERT of a delivery batch, and how often delivery looks for news (0: only when a test asks). */
  districtNews: { batchSize: number; intervalMs: number };
  /** How long what is finished is kept before the retention job purges it (README, Security), and how long an export's link works. */
  retention: RetentionConfig;
  /** GraphiQL at GET /graphql (with introspection, which it needs): on outside production unless GRAPHQL_IDE says otherwise. */
  ide: boolean;
  /** Outgoing mail: an smtp:// or smtps:// URL (with credentials if needed). Unset: mail is written to the log outside production, dropped in production. */
  smtpUrl?: string;
  /** The sender of every mail (From). */
  mailFrom: string;
  /** The client page that resets a password; the mail links to it with `?token=`. */
  passwordResetUrl: string;
  /** Password reset requests allowed per email and per client address within `windowSeconds`. */
  passwordResetLimits: { perEmail: number; perIp: number; windowSeconds: number };
}

export interface RetentionConfig {
  readNotificationsDays: number;
  endedSessionsDays: number;
  finishedExportsDays: number;
  callerContactDays: number;
  exportLinkHours: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** A configuration problem, told in one line that names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

/** Joined to names with ':' (see redisName); a trailing ':' is dropped, so `staging:` keeps the names it had when none was added. */
function redisPrefix(env: Env): string {
  const raw = str(env, 'REDIS_PREFIX') ?? '';
  if (!/^[A-Za-z0-9:_.-]{0,64}$/.test(raw)) throw new ConfigError('REDIS_PREFIX', `must be at most 64 letters, digits and : _ . - (got "${raw}")`);
  return raw.replace(/:+$/, '');
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL such as ${protocols[0]}//host:port (got an unparsable value)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')} (got "${parsed.protocol}")`);
  }
  return raw;
}

/**
 * The secret that signs access tokens. Production must set AUTH_SECRET (every instance the same);
 * elsewhere one is made once and kept in the data directory so tokens survive a restart.
 */
function authSecret(env: Env, nodeEnv: AppConfig['nodeEnv'], dataDir: string): string {
  const given = str(env, 'AUTH_SECRET');
  if (given !== undefined) {
    if (given.length < 32) throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters long');
    return given;
  }
  if (nodeEnv === 'production') throw new ConfigError('AUTH_SECRET', 'is required in production (32 or more characters, the same on every instance)');
  if (nodeEnv === 'test') return randomBytes(32).toString('hex');
  const file = join(dataDir, 'auth-secret');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot be used: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${dataDir})`);
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnvRaw = str(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const dataDir = resolve(str(env, 'DATA_DIR') ?? 'data');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const logLevel = (str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info')).toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const adminEmail = str(env, 'BOOTSTRAP_ADMIN_EMAIL');
  const adminPassword = str(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminEmail ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL', 'must be set together with the other BOOTSTRAP_ADMIN_ variable');
  }

  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const passwordResetUrl = url(env, 'PASSWORD_RESET_URL', ['https:', 'http:']);
  // Mail that is really sent must link to the real client, not to a guess.
  if (nodeEnv === 'production' && smtpUrl && !passwordResetUrl) throw new ConfigError('PASSWORD_RESET_URL', 'is required in production when SMTP_URL is set (the client page that resets a password)');

  const secret = authSecret(env, nodeEnv, dataDir);
  const ballotSecret = str(env, 'BALLOT_SECRET');
  if (ballotSecret !== undefined && ballotSecret.length < 32) throw new ConfigError('BALLOT_SECRET', 'must be at least 32 characters long');
  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    dataDir,
    // The embedded database serves one connection well; concurrent transactions over several can hang.
    dbPoolSize: databaseUrl ? int(env, 'DB_POOL_SIZE', 10, 1, 200) : 1,
    dbStatementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 10_000, 0, 3_600_000),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: redisPrefix(env),
    runMigrations: bool(env, 'RUN_MIGRATIONS', true),
    authSecret: secret,
    ballotSecret: ballotSecret ?? createHmac('sha256', secret).update('ballots').digest('hex'),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 900, 30, 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 30 * 86_400, 60, 365 * 86_400),
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    logLevel: logLevel as LogLevel,
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    districtNews: { batchSize: int(env, 'DISTRICT_NEWS_BATCH_SIZE', 5_000, 1, 100_000), intervalMs: int(env, 'DISTRICT_NEWS_INTERVAL_MS', 2_000, 0, 3_600_000) },
    rateLimits: {
      perIpPerMinute: int(env, 'RATE_LIMIT_PER_IP', 1200, 1, 10_000_000),
      perAccountPerMinute: int(env, 'RATE_LIMIT_PER_ACCOUNT', 600, 1, 10_000_000),
      wsConnectionsPerIp: int(env, 'WS_CONNECTIONS_PER_IP', 50, 1, 1_000_000),
      wsSubscriptionsPerConnection: int(env, 'WS_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 100_000),
      wsMessagesPerSecond: int(env, 'WS_MESSAGES_PER_SECOND', 20, 1, 100_000),
    },
    signInLimits: {
      perEmail: int(env, 'SIGN_IN_LIMIT_PER_EMAIL', 10, 1, 10_000_000),
      perIp: int(env, 'SIGN_IN_LIMIT_PER_IP', 30, 1, 10_000_000),
      windowSeconds: int(env, 'SIGN_IN_LIMIT_WINDOW', 900, 1, 86_400),
    },
    wsMaxQueuedEvents: int(env, 'WS_MAX_QUEUED_EVENTS', 500, 1, 1_000_000),
    commentRateLimit: {
      count: int(env, 'COMMENT_RATE_LIMIT', 10, 1, 10_000),
      windowSeconds: int(env, 'COMMENT_RATE_WINDOW', 60, 1, 86_400),
    },
    reportsPerHour: int(env, 'REPORTS_PER_HOUR', 20, 1, 100_000),
    open311ReportsPerHour: int(env, 'OPEN311_REPORTS_PER_HOUR', 600, 1, 1_000_000),
    retention: {
      readNotificationsDays: int(env, 'RETENTION_READ_NOTIFICATIONS_DAYS', 90, 1, 3650),
      endedSessionsDays: int(env, 'RETENTION_ENDED_SESSIONS_DAYS', 30, 0, 3650),
      finishedExportsDays: int(env, 'RETENTION_FINISHED_EXPORTS_DAYS', 30, 0, 3650),
      callerContactDays: int(env, 'RETENTION_CALLER_CONTACT_DAYS', 180, 1, 3650),
      exportLinkHours: int(env, 'EXPORT_LINK_HOURS', 72, 1, 720),
    },
    ide: bool(env, 'GRAPHQL_IDE', nodeEnv !== 'production'),
    smtpUrl,
    mailFrom: str(env, 'MAIL_FROM') ?? 'District participation <no-reply@localhost>',
    passwordResetUrl: passwordResetUrl ?? `http://localhost:${int(env, 'PORT', 3000, 0, 65535)}/reset-password`,
    passwordResetLimits: {
      perEmail: int(env, 'PASSWORD_RESET_LIMIT_PER_EMAIL', 3, 1, 10_000_000),
      perIp: int(env, 'PASSWORD_RESET_LIMIT_PER_IP', 20, 1, 10_000_000),
      windowSeconds: int(env, 'PASSWORD_RESET_LIMIT_WINDOW', 3600, 1, 86_400),
    },
  };
}

/** Introspection and GET /schema.graphql: outside production, or where the IDE (which needs the schema) is on. */
export function schemaIsPublic(config: Pick<AppConfig, 'nodeEnv' | 'ide'>): boolean {
  return config.nodeEnv !== 'production' || config.ide;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
