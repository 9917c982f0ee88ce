import { Inject, Injectable } from '@nestjs/common';
import { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PUB_SUB } from '../../realtime/event-bus';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets, when refused. */
  retryAfter: number;
}

/**
 * Fixed-window counters: in Redis when it is configured (so every instance shares the count), in
 * memory otherwise. If Redis fails, the local count decides: a limit is a protection, not a reason to
 * refuse everyone.
 */
@Injectable()
export class RateLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(@Inject(PUB_SUB) private readonly pubSub: PubSubEngine) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const now = Date.now();
    const window = Math.floor(now / (windowSeconds * 1000));
    const resetAt = (window + 1) * windowSeconds * 1000;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const redis = this.pubSub instanceof RedisPubSub ? this.pubSub.getPublisher() : undefined;
    // While Redis reconnects, the local count decides at once rather than making every request wait.
    if (redis?.status === 'ready') {
      try {
        const name = `rate:${key}:${window}`;
        // One round trip: create the window's counter with its expiry if it is new, then count.
        const replies = await redis.pipeline().set(name, 0, 'EX', windowSeconds + 1, 'NX').incr(name).exec();
        const [error, count] = replies?.[1] ?? [new Error('no reply')];
        if (error) throw error;
        return { allowed: Number(count) <= limit, retryAfter };
      } catch {
        // fall through to the local count
      }
    }
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      this.local.set(key, { count: 1, resetAt });
      if (this.local.size > 100_000) this.sweep(now);
      return { allowed: 1 <= limit, retryAfter };
    }
    entry.count += 1;
    return { allowed: entry.count <= limit, retryAfter };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.local) if (entry.resetAt <= now) this.local.delete(key);
  }
}
