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

/** A Redis channel or key under REDIS_PREFIX: `staging` makes `staging:proposalsInDistrictUpdated:1007`; no prefix, the name itself. */
export function redisName(prefix: string, name: string): string {
  return prefix ? `${prefix}:${name}` : name;
}

/**
 * The engine as subscriptions use it, telling when it has confirmed one: in memory at once, with Redis
 * once Redis acknowledged the SUBSCRIBE (graphql-redis-subscriptions resolves `subscribe` only then, or
 * at once when this instance already listens on the channel). From then on what is published reaches it.
 */
class ConfirmingPubSub extends PubSubEngine {
  readonly listeners = new Set<() => void>();

  constructor(private readonly engine: PubSubEngine) {
    super();
  }

  publish(name: string, payload: unknown): Promise<void> {
    return this.engine.publish(name, payload);
  }

  async subscribe(name: string, onMessage: (payload: unknown) => void, options: object): Promise<number> {
    const id = await this.engine.subscribe(name, onMessage, options);
    for (const listener of this.listeners) listener();
    return id;
  }

  unsubscribe(id: number): void {
    this.engine.unsubscribe(id);
  }
}

/**
 * The one way to publish and subscribe. In memory for a single instance, Redis when REDIS_URL is set.
 * Payloads must be plain JSON (they cross Redis as text): ids and values, never entities.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);
  private readonly subscriptions: ConfirmingPubSub;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine & { close?: () => Promise<unknown> },
    private readonly live: LiveStatus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.subscriptions = new ConfirmingPubSub(pubSub);
  }

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

  /**
   * Publishes many events at once, each on its own channel (a batch of notifications, one channel per
   * recipient). With Redis it first asks which of the channels anyone listens on (PUBSUB NUMSUB, one
   * command per 1,000 channels) and publishes only to those: 5,000 notifications with 30 recipients
   * online cost 5 round trips and 30 messages, not 5,000 messages. Someone who subscribes in between
   * misses the push, as anyone subscribing just after an event does; the notification is stored.
   */
  publishEach(events: { name: string; payload: object }[]): void {
    const redis = this.pubSub as PubSubEngine & Partial<Pick<RedisPubSub, 'getPublisher'>>;
    if (!this.live.up || events.length === 0) return;
    if (!redis.getPublisher) {
      for (const event of events) this.publish(event.name, event.payload);
      return;
    }
    const publisher = redis.getPublisher();
    void (async () => {
      for (let start = 0; start < events.length; start += 1_000) {
        const chunk = events.slice(start, start + 1_000);
        const counts = (await publisher.pubsub('NUMSUB', ...chunk.map((e) => redisName(this.config.redisPrefix, e.name)))) as (string | number)[];
        chunk.forEach((event, i) => {
          if (Number(counts[2 * i + 1]) > 0) this.publish(event.name, event.payload);
        });
      }
    })().catch((error: unknown) => {
      this.logger.error(`publishing ${events.length} events failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Subscribes on the first `next()` (a subscription's stream asks at once). */
  subscribe<T>(name: string): AsyncIterableIterator<T> {
    return this.subscriptions.asyncIterableIterator<T>(redisName(this.config.redisPrefix, name));
  }

  /**
   * Calls `listener` each time the pub/sub confirms a subscription, which then hears every later event.
   * graphql-ws does not acknowledge a subscribe: this is what tests await instead of sleeping.
   */
  onSubscribed(listener: () => void): () => void {
    this.subscriptions.listeners.add(listener);
    return () => this.subscriptions.listeners.delete(listener);
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
