import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource } from 'typeorm';
import { PUB_SUB } from '../realtime/event-bus';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref())]);
}

/** Liveness (the process answers) and readiness (its database answers; Redis, when configured, is reported). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
  ) {}

  @Get()
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: string; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    try {
      await withTimeout(this.dataSource.query('SELECT 1'));
      checks.database = 'ok';
    } catch (error) {
      checks.database = `unavailable: ${(error as Error).message}`;
    }
    if (this.pubSub instanceof RedisPubSub) {
      const redis = this.pubSub.getPublisher();
      try {
        if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
        await withTimeout(redis.ping());
        checks.redis = 'ok';
      } catch (error) {
        checks.redis = `unavailable: ${(error as Error).message}`;
      }
    }
    // Without Redis only live updates pause; queries and mutations still work, so the instance stays
    // in the load balancer ("degraded"). Without the database it can serve nothing.
    const ready = checks.database === 'ok';
    res.status(ready ? 200 : 503);
    return { status: !ready ? 'unavailable' : checks.redis && checks.redis !== 'ok' ? 'degraded' : 'ready', checks };
  }
}
