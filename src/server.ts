import 'reflect-metadata';
import type { Server, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessCheck, AuthService } from './accounts/auth.service';
import { UsersService } from './accounts/users.service';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { Open311PathsFilter } from './open311/open311-error.filter';
import { appErrorIn, errorBody, httpLocale } from './common/errors/format-error';
import { budgetHeaders, RateLimiter } from './common/limits/rate-limiter';
import { clientIp, requestIdOf } from './common/graphql/graphql-options';
import { AppLogger, createLogger, NestLogger } from './common/logging/logger';
import { AppConfig, ConfigError } from './config/config';
import { InFlightRequests } from './common/shutdown/in-flight-requests';
import { dataSourceOptions, endConnectionsInUse } from './database/data-source';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';

export interface RunningServer {
  app: INestApplication;
  /** The port actually listened on (PORT=0 picks a free one). */
  port: number;
  url: string;
  databaseUrl: string;
  /**
   * Graceful stop: refuse new connections, let requests in flight finish for up to SHUTDOWN_GRACE_MS
   * and answer those still running SERVICE_UNAVAILABLE (503), close sockets, Redis and the database.
   */
  close(): Promise<void>;
}

/** After the requests of a shutdown, how long closing WebSockets, Redis and the database pool may take. */
const CLOSE_TIMEOUT_MS = 5_000;

async function checkDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const detail = (error as { code?: string }).code ?? (error as Error).message;
    const where = (() => {
      try {
        const parsed = new URL(url);
        return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
      } catch {
        return 'the configured address';
      }
    })();
    throw new ConfigError('DATABASE_URL', `cannot be reached at ${where} (${detail})`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Boots the server: database (given or embedded), migrations, the first administrator, HTTP and WebSocket.
 * `embeddedStarting`: the embedded database of `config.dataDir` already starting (main.ts starts it
 * before loading this module, so that it opens while the application loads).
 */
export async function startServer(config: AppConfig, logger: AppLogger = createLogger(config.logLevel), embeddedStarting?: Promise<EmbeddedPostgres>): Promise<RunningServer> {
  const embedded = config.databaseUrl ? undefined : await (embeddedStarting ?? EmbeddedPostgres.start(config.dataDir));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  let app: NestExpressApplication | undefined;
  try {
    await checkDatabase(databaseUrl);
    // The adapter given, not found by Nest: Nest would import @nestjs/platform-express by a name held in
    // a variable, which the bundle (scripts/bundle-server.js) cannot follow.
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, databaseUrl, logger), new ExpressAdapter(), { logger: new NestLogger(logger), abortOnError: false });
    // Nothing tells a visitor what the server is built with.
    app.disable('x-powered-by');

    // Express hashes every body it sends for an ETag, but only a GET or HEAD can be answered 304 with
    // it: a response to any other method (every GraphQL POST) is sent without computing one.
    const express = app.getHttpAdapter().getInstance() as { get(setting: string): unknown; set(setting: string, value: unknown): void };
    const etagOf = express.get('etag fn') as (body: unknown, encoding?: string) => string | undefined;
    let etagOff = false;
    express.set('etag fn', (body: unknown, encoding?: string) => (etagOff ? undefined : etagOf(body, encoding)));
    // A request id on every request and response, and the requests in flight for graceful shutdown.
    const inFlight = new InFlightRequests();
    app.use((req: IncomingMessage & { requestId?: string }, res: ServerResponse & { send?: (body: unknown) => unknown }, next: () => void) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const send = res.send!;
        res.send = function (this: unknown, body: unknown) {
          etagOff = true;
          try {
            return send.call(this, body);
          } finally {
            etagOff = false;
          }
        };
      }
      req.requestId = requestIdOf(req.headers);
      res.setHeader('x-request-id', req.requestId);
      inFlight.track(res, req.requestId, httpLocale(req));
      next();
    });
    // Per client address and per signed-in account, in one count before the body is even read;
    // health checks and metrics are not limited. Every counted response tells the client its budget.
    if (config.trustProxy) app.set('trust proxy', true);
    const limiter = app.get(RateLimiter);
    const auth = app.get(AuthService);
    app.use(async (req: IncomingMessage & { requestId?: string; accessCheck?: { check: AccessCheck } }, res: ServerResponse, next: () => void) => {
      if (req.url?.startsWith('/health') || req.url?.startsWith('/metrics')) return next();
      // The token's signature is checked here once; the GraphQL context authenticates with this check.
      const accessCheck = { check: auth.checkHeader(req.headers.authorization) };
      req.accessCheck = accessCheck;
      const budget = await limiter.countRequest(clientIp(req, config.trustProxy), AuthService.claimedAccount(accessCheck.check));
      for (const [name, value] of Object.entries(budgetHeaders(budget))) res.setHeader(name, value);
      const refusal = budget.refusal;
      if (!refusal) return next();
      res.statusCode = 429;
      res.setHeader('content-type', 'application/json');
      // With the request id, as every other error carries it (formatGraphQLError).
      res.end(JSON.stringify(errorBody(appErrorIn(refusal)!, httpLocale(req), { requestId: req.requestId })));
    });
    // A proposal body may be 50,000 Thai characters (about 150 KB as JSON), beyond Express's 100 KB default.
    app.useBodyParser('json', { limit: '1mb' });
    app.useGlobalFilters(new Open311PathsFilter(new HttpErrorFilter()));

    if (config.runMigrations) {
      // On a connection of their own, without the statement timeout of requests: a migration may rightly
      // take long (an index on a large table).
      const migrator = await new DataSource(dataSourceOptions(databaseUrl, 1)).initialize();
      try {
        const applied = await runMigrations(migrator, databaseUrl, !!embedded);
        if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
      } finally {
        await migrator.destroy();
      }
    }
    await app.get(UsersService).bootstrapAdmin();
    await app.listen(config.port).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new ConfigError('PORT', `${config.port} is already in use`);
      throw error;
    });

    const server = app.getHttpServer() as Server;
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const started = app;
    let closing: Promise<void> | undefined;

    const close = (): Promise<void> => {
      closing ??= (async () => {
        logger.info({ inFlight: inFlight.count }, 'shutting down');
        server.close();
        server.closeIdleConnections();
        if (!(await inFlight.settle(config.shutdownGraceMs))) {
          const answered = inFlight.answerRemaining();
          logger.warn({ answered, graceMs: config.shutdownGraceMs }, 'shutdown grace ended: requests still running were answered SERVICE_UNAVAILABLE');
          endConnectionsInUse(started.get(DataSource));
        }
        // Closes the GraphQL WebSockets (1001 going away), Redis and the database pool, for at most
        // CLOSE_TIMEOUT_MS: a database or Redis that does not answer would hold it forever.
        let timer: NodeJS.Timeout | undefined;
        const closed = await Promise.race([started.close().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS)))]);
        clearTimeout(timer);
        if (!closed) logger.warn({ closeTimeoutMs: CLOSE_TIMEOUT_MS }, 'connections did not close in time: the process ends them');
        for (const socket of sockets) socket.destroy();
        await embedded?.stop();
        logger.info('stopped');
      })();
      return closing;
    };

    logger.info({ port, graphql: `http://localhost:${port}/graphql`, database: embedded ? `embedded (${config.dataDir})` : 'postgresql', redis: !!config.redisUrl }, 'listening');
    return { app, port, url: `http://127.0.0.1:${port}`, databaseUrl, close };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}
