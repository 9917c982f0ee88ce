import { Global, Module } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EventBus, PUB_SUB } from './event-bus';

@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.redisUrl) return new PubSub();
        const options = { lazyConnect: false, maxRetriesPerRequest: 3, connectionName: 'district-participation' };
        return new RedisPubSub({ publisher: new Redis(config.redisUrl, options), subscriber: new Redis(config.redisUrl, options) });
      },
    },
    EventBus,
  ],
  exports: [EventBus, PUB_SUB],
})
export class RealtimeModule {}
