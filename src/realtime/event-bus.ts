import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Audience, FanOut, Member, Pacing } from './fan-out';
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

/** A channel someone on this instance listens to: its subscribers here, and its one pub/sub subscription. */
interface Channel<T> {
  audience: Audience<T>;
  subscribed: Promise<number>;
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

/**
 * One subscriber's stream: its channel's audience pushes events in, `next()` takes them out, and
 * `return()` leaves the channel (the last to leave unsubscribes it). It joins on its first `next()`.
 */
class Subscriber<T> implements AsyncIterableIterator<T>, Member<T> {
  private readonly queue: T[] = [];
  private waiting?: (item: IteratorResult<T>) => void;
  private joining?: Promise<void>;
  private leave?: () => void;
  private ended = false;

  constructor(private readonly join: (member: Member<T>) => Promise<() => void>) {}

  push(event: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (!waiting) {
      this.queue.push(event);
      return;
    }
    this.waiting = undefined;
    waiting({ value: event, done: false });
  }

  async next(): Promise<IteratorResult<T>> {
    if (!this.leave) {
      this.joining ??= this.join(this).then((leave) => {
        this.leave = leave;
        if (this.ended) leave();
      });
      await this.joining;
    }
    if (this.queue.length) return { value: this.queue.shift() as T, done: false };
    if (this.ended) return DONE;
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.queue.length = 0;
    this.leave?.();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(DONE);
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/**
 * The one way to publish and subscribe. In memory for a single instance, Redis when REDIS_URL is set.
 * Payloads must be plain JSON (they cross Redis as text): ids and values, never entities.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);
  /** The channels someone on this instance listens to: one pub/sub subscription each, however many listen. */
  private readonly audiences = new Map<string, Channel<unknown>>();
  private readonly confirmed = new Set<() => void>();
  private readonly fanOut = new FanOut();

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

  /**
   * A subscriber's stream of the channel's events; it subscribes on the first `next()` (a subscription's
   * stream asks at once). With `pacing`, the channel's events are snapshots that this instance thins
   * under its delivery budget (FanOut): each subscriber gets the newest, never a backlog.
   */
  subscribe<T>(name: string, pacing?: Pacing<T>): AsyncIterableIterator<T> {
    return new Subscriber<T>((member) => this.join(redisName(this.config.redisPrefix, name), pacing, member));
  }

  /**
   * Calls `listener` each time a subscription is confirmed by the pub/sub (in memory at once; with Redis
   * once Redis acknowledged the channel's SUBSCRIBE), from when on it hears every later event.
   * graphql-ws does not acknowledge a subscribe: this is what tests await instead of sleeping.
   */
  onSubscribed(listener: () => void): () => void {
    this.confirmed.add(listener);
    return () => this.confirmed.delete(listener);
  }

  /** Adds a subscriber to its channel's audience on this instance, subscribing the channel for the first; answers how to leave. */
  private async join<T>(name: string, pacing: Pacing<T> | undefined, member: Member<T>): Promise<() => void> {
    let channel = this.audiences.get(name) as Channel<T> | undefined;
    if (!channel) {
      const audience = new Audience<T>(this.fanOut, pacing);
      const created: Channel<T> = { audience, subscribed: this.pubSub.subscribe(name, (event: T) => audience.receive(event), {}) };
      this.audiences.set(name, created as Channel<unknown>);
      created.subscribed.catch(() => this.forget(name, created));
      channel = created;
    }
    const joined = channel;
    joined.audience.members.add(member);
    try {
      await joined.subscribed;
    } catch (error) {
      joined.audience.members.delete(member);
      throw error;
    }
    for (const listener of this.confirmed) listener();
    return () => {
      joined.audience.members.delete(member);
      if (joined.audience.members.size > 0) return;
      this.forget(name, joined);
      void joined.subscribed.then((id) => this.pubSub.unsubscribe(id)).catch(() => undefined);
    };
  }

  private forget(name: string, channel: Channel<unknown>): void {
    if (this.audiences.get(name) === channel) this.audiences.delete(name);
    channel.audience.close();
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
