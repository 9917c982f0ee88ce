import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppConfig } from '../../config/config';
import { GraphQLContext } from '../context/request-context';
import { RateLimiter } from './rate-limiter';

export function rateLimitedError(retryAfter: number, what: string): GraphQLError {
  return new GraphQLError(`Too many ${what}: try again in ${retryAfter} seconds.`, {
    extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
  });
}

/** Per signed-in account, across instances when Redis is configured; refused before anything runs. */
export function rateLimitPlugin(limiter: RateLimiter, config: AppConfig): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const viewer = contextValue.rc?.viewer;
          if (!viewer) return;
          const decision = await limiter.hit(`account:${viewer.id}`, config.rateLimits.perAccountPerMinute, 60);
          if (!decision.allowed) throw rateLimitedError(decision.retryAfter, 'requests from this account');
        },
      };
    },
  };
}
