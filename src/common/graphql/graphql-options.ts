import { randomUUID } from 'node:crypto';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { AuthService, Authentication } from '../../accounts/auth.service';
import { AppConfig } from '../../config/config';
import { GraphQLContext, RequestContext } from '../context/request-context';
import { formatGraphQLError, isInternalError } from '../errors/format-error';
import { JsonLogger } from '../logging/json-logger';
import { requestLoggingPlugin } from './request-logging.plugin';

/** What graphql-ws keeps for each socket: the request that opened it and who signed in on it. */
interface SocketExtra {
  socket: WebSocket;
  request: { headers: Record<string, string | string[] | undefined> };
  auth?: Authentication;
}

/** Close code for a WebSocket whose connectionParams carried a token we refused (4401 Unauthorized). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

export function requestIdOf(headers: Record<string, unknown>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{8,100}$/.test(given) ? given : randomUUID();
}

/**
 * The GraphQL server: code-first schema, Apollo over HTTP and graphql-ws over the same port, one
 * context shape for both, and one error format for both.
 */
export function graphqlOptions(config: AppConfig, auth: AuthService, logger: JsonLogger): ApolloDriverConfig {
  const format = (error: GraphQLError, rc?: RequestContext): GraphQLFormattedError => {
    if (rc) (error.extensions as Record<string, unknown>).requestId = rc.requestId;
    if (isInternalError(error)) {
      const original = error.originalError ?? error;
      logger.write('error', original.message, { requestId: rc?.requestId, transport: 'ws', path: error.path, stack: original.stack });
    }
    return formatGraphQLError(error.toJSON(), error);
  };

  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphQLError,
    // @apollo/server ships CommonJS and ESM typings; Nest's are the ESM ones, ours the CommonJS ones.
    plugins: [requestLoggingPlugin(logger) as unknown as NonNullable<ApolloDriverConfig['plugins']>[number]],
    context: async (arg: { req?: { headers: Record<string, unknown>; requestId?: string } } & Partial<WsContext<Record<string, unknown>, SocketExtra>>): Promise<GraphQLContext> => {
      if (arg.req) {
        const authentication = await auth.authenticate(arg.req.headers.authorization);
        const requestId = arg.req.requestId ?? requestIdOf(arg.req.headers);
        return { rc: new RequestContext(requestId, authentication.viewer, 'problem' in authentication ? authentication.problem : undefined) };
      }
      const authentication = arg.extra?.auth ?? { viewer: null };
      return { rc: new RequestContext(randomUUID(), authentication.viewer) };
    },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        connectionInitWaitTimeout: 10_000,
        onConnect: async (wsContext) => {
          const ctx = wsContext as WsContext<Record<string, unknown>, SocketExtra>;
          const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          const authentication = await auth.authenticate(authorization);
          if ('problem' in authentication && authentication.problem) {
            ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, `Unauthorized: ${authentication.problem}`.slice(0, 120));
            return false;
          }
          ctx.extra.auth = authentication;
          return true;
        },
        onNext: (_ctx, _id, _payload, args, result) => {
          if (!result.errors?.length) return undefined;
          const rc = (args.contextValue as GraphQLContext | undefined)?.rc;
          return { ...result, errors: result.errors.map((e) => format(e, rc)) };
        },
        // Sent instead of a result when the operation is refused before execution (validation).
        onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
          errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: e.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED' } })),
      } as NonNullable<ApolloDriverConfig['subscriptions']>['graphql-ws'],
    },
  };
}
