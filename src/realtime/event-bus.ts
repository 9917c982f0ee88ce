import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PubSubEngine } from 'graphql-subscriptions';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LiveStatus } from './live-status';

export const PUB_SUB = Symbol('PUB_SUB');

/** Channels are scoped per resource (`residencyUpdated:<userId>`), so an instance only hears what its subscribers watch. */
export function channel(event: string, resourceId: string): string {
  return `${event}:${resourceId}`;
}

/** A Redis channel or key under REDIS_PREFIX: `staging` makes `staging:proposalUpdated:1007`; no prefix, the name itself. */
export function redisName(prefix: string, name: string): string {
  return prefix ? `${prefix}:${name}` : name;
}

/**
 * The one way to publish and subscribe. In memory for a single instance, Redis when REDIS_URL is set.
 * Payloads must be plain JSON (they cross Redis as text): ids and values, never entities.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine & { close?: () => Promise<unknown> },
    private readonly live: LiveStatus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Publishes without making the caller wait: a mutation that committed must not fail because Redis is
   * slow. While Redis is down the event is dropped at once rather than queued: subscribers have been
   * told that live updates are paused, and refetch when they resume.
   */
  publish(name: string, payload: object): void {
    if (!this.live.up) return;
    this.pubSub.publish(redisName(this.config.redisPrefix, name), payload).catch((error: unknown) => {
      this.logger.error(`publish to ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  subscribe<T>(name: string): AsyncIterableIterator<T> {
    return this.pubSub.asyncIterableIterator<T>(redisName(this.config.redisPrefix, name));
  }

  /**
   * Says goodbye to Redis (QUIT), but while Redis is down QUIT waits in ioredis's queue behind the
   * subscriptions waiting to be made, for as long as the outage lasts: then the connections are dropped.
   */
  async onApplicationShutdown(): Promise<void> {
    const redis = this.pubSub as PubSubEngine & Partial<Pick<RedisPubSub, 'getPublisher' | 'getSubscriber'>>;
    if (!redis.getPublisher || !redis.getSubscriber) return;
    if (this.live.up) {
      const quit = this.pubSub.close?.().then(
        () => true,
        () => false,
      );
      if (await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 2_000).unref())])) return;
    }
    redis.getPublisher().disconnect();
    redis.getSubscriber().disconnect();
  }
}
