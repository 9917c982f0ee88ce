import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/config';
import { EventBus } from '../../src/realtime/event-bus';
import { startServer, RunningServer } from '../../src/server';
import { QueryCounter } from '../../src/database/query-counter';
import { createTestDatabase, TestDatabase } from './database';

export const ADMIN_EMAIL = 'admin@district.example';
export const ADMIN_PASSWORD = 'Sao-Chingcha-1784!';
/** Shared by every instance of a test, as it must be in a real deployment. */
export const TEST_AUTH_SECRET = 'test-secret-test-secret-test-secret-0001';
/** One per test file (jest gives each file its own modules). */
const REDIS_PREFIX = `test-${randomBytes(4).toString('hex')}`;

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; fields?: { field: string; message: string }[]; [key: string]: unknown } }[];
  body: any;
}

/** One server instance under test, on its own database (or on a given one, for several instances). */
export class TestServer {
  /** Whether a `listen` is under way. */
  private listening = false;

  private constructor(
    readonly server: RunningServer,
    readonly database: TestDatabase | undefined,
  ) {}

  /** `log` receives the server's JSON log lines (at LOG_LEVEL info unless `env` says otherwise), as a log collector would. */
  static async start(options: { databaseUrl?: string; embedded?: boolean; env?: Record<string, string>; log?: (line: string) => void } = {}): Promise<TestServer> {
    const database = options.databaseUrl ? undefined : await createTestDatabase();
    const databaseUrl = options.databaseUrl ?? database!.url;
    const embedded = options.embedded ?? database?.embedded ?? false;
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      DB_POOL_SIZE: embedded ? '1' : '10',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (options.log ? 'info' : 'silent'),
      AUTH_SECRET: TEST_AUTH_SECRET,
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // Suites send thousands of requests from one address; the limits have tests of their own.
      RATE_LIMIT_PER_IP: '10000000',
      RATE_LIMIT_PER_ACCOUNT: '10000000',
      WS_CONNECTIONS_PER_IP: '100000',
      WS_MESSAGES_PER_SECOND: '100000',
      SIGN_IN_LIMIT_PER_EMAIL: '10000000',
      SIGN_IN_LIMIT_PER_IP: '10000000',
      PASSWORD_RESET_LIMIT_PER_EMAIL: '10000000',
      PASSWORD_RESET_LIMIT_PER_IP: '10000000',
      // District news is delivered when a suite asks (following.spec): a delivery in the background would write notifications between a suite's snapshots.
      DISTRICT_NEWS_INTERVAL_MS: '0',
      // Suites run side by side on one Redis: each file's servers hear only one another.
      REDIS_PREFIX: REDIS_PREFIX,
      ...options.env,
    });
    try {
      return new TestServer(await startServer(config, options.log ? createLogger(config.logLevel, { write: (line: string) => options.log!(line.trimEnd()) }) : undefined), database);
    } catch (error) {
      await database?.drop();
      throw error;
    }
  }

  get url(): string {
    return this.server.url;
  }

  get databaseUrl(): string {
    return this.server.databaseUrl;
  }

  get http() {
    return this.server.app.getHttpServer();
  }

  /** A GraphQL request over HTTP, as a client app sends it. */
  async gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    let req = request(this.http).post('/graphql').set('content-type', 'application/json').set(headers);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body?.data ?? undefined, errors: res.body?.errors, body: res.body };
  }

  /** Like gql, but fails the test on any error, returning data. */
  async ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
    const res = await this.gql<T>(query, variables, token);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors ?? res.body)}`);
    return res.data;
  }

  /** SQL queries TypeORM sent while `work` ran. */
  async countQueries(work: () => Promise<unknown>): Promise<number> {
    const before = QueryCounter.count;
    await work();
    return QueryCounter.count - before;
  }

  /** A graphql-ws client over a real WebSocket, optionally signed in. */
  /** `params`: more connectionParams, such as `locale`. */
  wsClient(token?: string, params: Record<string, unknown> = {}): WsClient {
    const connectionParams = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...params };
    return createClient({
      url: this.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: Object.keys(connectionParams).length ? connectionParams : undefined,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
  }

  /**
   * Runs `open`, which opens subscriptions on this server, and resolves with what it returned once the
   * server listens for their events. graphql-ws does not acknowledge a subscribe, so this waits until the
   * server's pub/sub has confirmed `count` subscriptions (with Redis: Redis acknowledged the SUBSCRIBE):
   * by default as many as the Subscriptions `open` returned (one, or an array or object of them). Every
   * confirmation counts, so one listen at a time per server. A subscription refused or ended before that
   * fails the wait with what it received. No clock: on a busy machine it waits longer.
   */
  listen<T>(open: () => T, count?: number): Promise<T> {
    if (this.listening) throw new Error('listen: one at a time on a server (each counts every subscription the server confirms)');
    this.listening = true;
    return new Promise<T>((resolve, reject) => {
      let confirmed = 0;
      let expected = Infinity;
      let opened: T;
      let done = false;
      const stop = this.server.app.get(EventBus).onSubscribed(() => {
        confirmed += 1;
        if (confirmed === expected) finish();
      });
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        stop();
        this.listening = false;
        if (error) reject(error);
        else resolve(opened);
      };
      try {
        opened = open();
      } catch (error) {
        return finish(error as Error);
      }
      // A Subscription, or an array or object of them.
      const subscriptions = opened instanceof Subscription ? [opened] : Object.values(opened ?? {}).filter((value): value is Subscription => value instanceof Subscription);
      expected = count ?? subscriptions.length;
      if (expected === 0) return finish(new Error('listen: no subscription to wait for'));
      if (confirmed >= expected) return finish();
      for (const subscription of subscriptions) {
        void subscription.ended.then(() => {
          if (confirmed < expected) finish(new Error(`a subscription ended before the server listened: ${JSON.stringify(subscription.events)}`));
        });
      }
    });
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.database?.drop();
  }
}

/** A live subscription: its events as they arrive, and a way to wait for the next ones. */
export interface SubscriptionEvent<T> {
  data?: T;
  errors?: any[];
  extensions?: Record<string, unknown>;
}

export class Subscription<T = any> {
  readonly events: SubscriptionEvent<T>[] = [];
  private waiters: (() => void)[] = [];
  private dispose: () => void;
  completed = false;
  /** Resolves when the server ends the subscription (an error, a refusal, or complete). */
  readonly ended: Promise<void>;
  private end!: () => void;

  constructor(client: WsClient, query: string, variables?: Record<string, unknown>) {
    this.ended = new Promise((resolve) => (this.end = resolve));
    this.dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          this.events.push(value as SubscriptionEvent<T>);
          this.wake();
        },
        error: (error) => {
          this.events.push({ errors: Array.isArray(error) ? error : [error] });
          this.completed = true;
          this.end();
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.end();
          this.wake();
        },
      },
    );
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Waits until at least `count` events have arrived. No clock: a test fails on what arrives, not on how
   * fast a busy machine delivers it (a subscription that never delivers is caught by jest's test timeout).
   */
  async waitFor(count: number): Promise<SubscriptionEvent<T>[]> {
    await this.waitUntil(() => this.events.length >= count);
    return this.events;
  }

  /** Waits for the first event (from `from` on) that `match` accepts, and returns it. */
  async waitForEvent(match: (event: SubscriptionEvent<T>) => boolean, from = 0): Promise<SubscriptionEvent<T>> {
    let found: SubscriptionEvent<T> | undefined;
    await this.waitUntil(() => (found = this.events.slice(from).find(match)) !== undefined);
    return found!;
  }

  private async waitUntil(done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.completed) throw new Error(`subscription completed after ${this.events.length} events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.dispose();
  }
}
