import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { PUB_SUB, redisName } from '../../realtime/event-bus';
import { Clock } from '../clock/clock';
import { AppError, extensionsOf, Message, msg } from '../errors/app-error';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/**
 * What a client has left of its request budget, by the counter closest to its limit (its address's or
 * its account's): the `RateLimit-*` response headers (IETF draft-ietf-httpapi-ratelimit-headers).
 */
export interface RequestBudget {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
  /** RATE_LIMITED when this request is over the budget. */
  refusal?: GraphQLError;
}

/** The budget as response headers; `Retry-After` too when the request was refused. */
export function budgetHeaders(budget: RequestBudget): Record<string, string> {
  return {
    'RateLimit-Limit': String(budget.limit),
    'RateLimit-Remaining': String(budget.remaining),
    'RateLimit-Reset': String(budget.reset),
    ...(budget.refusal ? { 'Retry-After': String(budget.reset) } : {}),
  };
}

/**
 * RATE_LIMITED, with when to try again: the WebSocket limits' error, and the body of HTTP's 429 (server.ts).
 * The AppError inside is what is answered, in the reader's language.
 */
export function rateLimitedError(retryAfter: number, what: Message): GraphQLError {
  const refusal = AppError.rateLimited(msg('errors.rateLimited.tooMany', { what, retryAfter }), retryAfter);
  return new GraphQLError(refusal.message, { originalError: refusal, extensions: extensionsOf(refusal) });
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
   * Counts one GraphQL request (an HTTP request, or an operation over graphql-ws) against its address's
   * and its signed-in account's limits: the same counters for both transports. The refusal, if any.
   */
  async countRequest(ip: string, account: string | null): Promise<RequestBudget> {
    const counters = [{ key: `ip:${ip}`, limit: this.config.rateLimits.perIpPerMinute }];
    if (account) counters.push({ key: `account:${account}`, limit: this.config.rateLimits.perAccountPerMinute });
    const decision = await this.hit(60, counters);
    const budget = { limit: decision.tightest.limit, remaining: decision.tightest.remaining, reset: decision.retryAfter };
    if (decision.allowed) return budget;
    return { ...budget, refusal: rateLimitedError(decision.retryAfter, msg(decision.refusedBy === counters[0].key ? 'errors.rateLimited.requestsFromAddress' : 'errors.rateLimited.requestsFromAccount')) };
  }

  /**
   * Counts one sign-in attempt, before its password is checked, per email and per address (stricter than
   * the request limits: each attempt is a password guess). The email is counted by a hash, not kept.
   */
  async countSignIn(ip: string, email: string): Promise<{ retryAfter: number } | undefined> {
    const { perEmail, perIp, windowSeconds } = this.config.signInLimits;
    const emailKey = createHash('sha256').update(email).digest('base64url').slice(0, 22);
    const decision = await this.hit(windowSeconds, [
      { key: `sign-in-email:${emailKey}`, limit: perEmail },
      { key: `sign-in-ip:${ip}`, limit: perIp },
    ]);
    return decision.allowed ? undefined : { retryAfter: decision.retryAfter };
  }

  /**
   * Counts one password reset request per email and per address, whether or not the email has an account
   * (so the answer says nothing about which do). The email is counted by a hash, not kept.
   */
  async countPasswordReset(ip: string, email: string): Promise<{ retryAfter: number } | undefined> {
    const { perEmail, perIp, windowSeconds } = this.config.passwordResetLimits;
    const emailKey = createHash('sha256').update(email).digest('base64url').slice(0, 22);
    const decision = await this.hit(windowSeconds, [
      { key: `reset-email:${emailKey}`, limit: perEmail },
      { key: `reset-ip:${ip}`, limit: perIp },
    ]);
    return decision.allowed ? undefined : { retryAfter: decision.retryAfter };
  }

  /**
   * Counts one request against each counter, all in one window of `windowSeconds`, in one Redis round
   * trip: the first counter that is over its limit refuses (each is counted either way).
   */
  async hit(windowSeconds: number, counters: { key: string; limit: number }[]): Promise<RateDecision & { refusedBy?: string; tightest: { limit: number; remaining: number } }> {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / (windowSeconds * 1000));
    const resetAt = (window + 1) * windowSeconds * 1000;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const counts = (await this.countInRedis(counters, window, windowSeconds)) ?? counters.map(({ key }) => this.countLocally(key, now, resetAt));
    const refused = counters.find((counter, i) => counts[i] > counter.limit);
    const left = counters.map((counter, i) => ({ limit: counter.limit, remaining: Math.max(0, counter.limit - counts[i]) }));
    const tightest = left.reduce((a, b) => (b.remaining < a.remaining ? b : a));
    return refused ? { allowed: false, retryAfter, refusedBy: refused.key, tightest } : { allowed: true, retryAfter, tightest };
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
