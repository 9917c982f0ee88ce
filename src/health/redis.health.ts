import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PUB_SUB } from '../realtime/event-bus';

/** How long one check of readiness may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 2_000;

/**
 * Redis as terminus sees it, with one difference: an unreachable Redis is `degraded`, not `down`.
 * Without it only live updates pause; queries and mutations still work, so the instance stays in the
 * load balancer (readiness answers 200). Without Redis configured there is nothing to report.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
  ) {}

  get configured(): boolean {
    return this.pubSub instanceof RedisPubSub;
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const redis = (this.pubSub as RedisPubSub).getPublisher();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
      await Promise.race([redis.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout of ${CHECK_TIMEOUT_MS}ms exceeded`)), CHECK_TIMEOUT_MS)))]);
      return session.up();
    } catch (error) {
      return session.degraded({ message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
