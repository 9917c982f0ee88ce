import { EventEmitter } from 'node:events';
import { Global, Module } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { AppLogger, LOGGER } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimiter } from '../common/limits/rate-limiter';
import { WsLimits } from '../common/limits/ws-limits';
import { AccountSockets } from './account-sockets';
import { EventBus, PUB_SUB } from './event-bus';
import { LiveStatus } from './live-status';

@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG, LOGGER, LiveStatus],
      useFactory: (config: AppConfig, logger: AppLogger, live: LiveStatus) => {
        if (!config.redisUrl) {
          // One listener per open subscription on a channel: hundreds watching one round are normal.
          const emitter = new EventEmitter();
          emitter.setMaxListeners(0);
          return new PubSub({ eventEmitter: emitter });
        }
        const url = config.redisUrl;
        // Redis only carries live events: the server starts and serves without it, says so once, and
        // reconnects by itself (readiness and every open subscription report it meanwhile). Without a
        // listener ioredis would print every failed reconnect, with a stack, to stderr.
        const client = (role: string, options: { maxRetriesPerRequest: number | null }) => {
          const redis = new Redis(url, { ...options, lazyConnect: false, connectionName: `district-participation-${role}` });
          let reported = false;
          redis.on('error', (error: Error) => {
            if (!reported) logger.error({ role, error: error.message }, 'redis unavailable: live updates are paused');
            reported = true;
          });
          redis.on('close', () => live.report(role, false));
          redis.on('ready', () => {
            if (reported) logger.info({ role }, 'redis connection restored');
            reported = false;
            live.report(role, true);
          });
          return redis;
        };
        // Subscribing waits for Redis to come back (ioredis also re-subscribes the open channels by
        // itself); publishing gives up quickly, as the publisher does not wait for a reconnect.
        return new RedisPubSub({ publisher: client('publisher', { maxRetriesPerRequest: 1 }), subscriber: client('subscriber', { maxRetriesPerRequest: null }) });
      },
    },
    LiveStatus,
    EventBus,
    AccountSockets,
    RateLimiter,
    WsLimits,
  ],
  exports: [EventBus, AccountSockets, PUB_SUB, RateLimiter, LiveStatus, WsLimits],
})
export class RealtimeModule {}
