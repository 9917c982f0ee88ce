import { Inject, Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { PUB_SUB, redisName } from '../../realtime/event-bus';
import { Clock } from '../clock/clock';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets, when refused. */
  retryAfter: number;
}

/** RATE_LIMITED, with when to try again: the WebSocket limits' error, and the body of HTTP's 429 (server.ts). */
export function rateLimitedError(retryAfter: number, what: string): GraphQLError {
  return new GraphQLError(`Too many ${what}: try again in ${retryAfter} seconds.`, { extensions: { code: 'RATE_LIMITED', retryAfter } });
}

/**
 * Fixed-window counters: in Redis when it is configured (so every instance shares the count), in
 * memory otherwise. If Redis fails, the local count decides: a limit is a protection, not a reason to
 * refuse everyone.
 */
@Injectable()
export class RateLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one request against each counter, all in one window of `windowSeconds`, in one Redis round
   * trip: the first counter that is over its limit refuses (each is counted either way).
   */
  async hit(windowSeconds: number, counters: { key: string; limit: number }[]): Promise<RateDecision & { refusedBy?: string }> {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / (windowSeconds * 1000));
    const resetAt = (window + 1) * windowSeconds * 1000;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const counts = (await this.countInRedis(counters, window, windowSeconds)) ?? counters.map(({ key }) => this.countLocally(key, now, resetAt));
    const refused = counters.find((counter, i) => counts[i] > counter.limit);
    return refused ? { allowed: false, retryAfter, refusedBy: refused.key } : { allowed: true, retryAfter };
  }

  /** The counts after this hit, or undefined when Redis is not there to keep them. */
  private async countInRedis(counters: { key: string }[], window: number, windowSeconds: number): Promise<number[] | undefined> {
    const redis = this.pubSub instanceof RedisPubSub ? this.pubSub.getPublisher() : undefined;
    // While Redis reconnects, the local count decides at once rather than making every request wait.
    if (redis?.status !== 'ready') return undefined;
    try {
      const pipeline = redis.pipeline();
      // For each counter: create the window's counter with its expiry if it is new, then count.
      for (const { key } of counters) {
        const name = redisName(this.config.redisPrefix, `rate:${key}:${window}`);
        pipeline.set(name, 0, 'EX', windowSeconds + 1, 'NX').incr(name);
      }
      const replies = (await pipeline.exec()) ?? [];
      return counters.map((_, i) => {
        const [error, count] = replies[2 * i + 1] ?? [new Error('no reply')];
        if (error) throw error;
        return Number(count);
      });
    } catch {
      return undefined;
    }
  }

  private countLocally(key: string, now: number, resetAt: number): number {
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      this.local.set(key, { count: 1, resetAt });
      if (this.local.size > 100_000) this.sweep(now);
      return 1;
    }
    entry.count += 1;
    return entry.count;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.local) if (entry.resetAt <= now) this.local.delete(key);
  }
}
