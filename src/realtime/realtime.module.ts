import { Global, Module } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { JsonLogger } from '../common/logging/json-logger';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimiter } from '../common/limits/rate-limiter';
import { EventBus, PUB_SUB } from './event-bus';

@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG, JsonLogger],
      useFactory: (config: AppConfig, logger: JsonLogger) => {
        if (!config.redisUrl) return new PubSub();
        const url = config.redisUrl;
        const options = { lazyConnect: false, maxRetriesPerRequest: 3, connectionName: 'district-participation' };
        // Redis only carries live events: the server starts and serves without it, says so once, and
        // reconnects by itself (readiness reports it meanwhile). Without a listener ioredis would print
        // every failed reconnect, with a stack, to stderr.
        const client = (role: string) => {
          const redis = new Redis(url, options);
          let reported = false;
          redis.on('error', (error: Error) => {
            if (!reported) logger.write('error', 'redis unavailable: live updates across instances are paused', { role, error: error.message });
            reported = true;
          });
          redis.on('ready', () => {
            if (reported) logger.write('info', 'redis connection restored', { role });
            reported = false;
          });
          return redis;
        };
        return new RedisPubSub({ publisher: client('publisher'), subscriber: client('subscriber') });
      },
    },
    EventBus,
    RateLimiter,
  ],
  exports: [EventBus, PUB_SUB, RateLimiter],
})
export class RealtimeModule {}
