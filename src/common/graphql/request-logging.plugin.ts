import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { JsonLogger } from '../logging/json-logger';
import { GraphQLContext } from '../context/request-context';
import { isInternalError } from '../errors/format-error';

/**
 * Logs every operation (request id, name, duration, error codes), logs internal errors with their
 * stack, and stamps each error with the request id so the client can quote it.
 */
export function requestLoggingPlugin(logger: JsonLogger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart(start: GraphQLRequestContext<GraphQLContext>) {
      const startedAt = process.hrtime.bigint();
      const requestId = start.contextValue.rc?.requestId;
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            (error.extensions as Record<string, unknown>).requestId = requestId;
            if (isInternalError(error)) {
              const original = (error as GraphQLError).originalError ?? error;
              logger.write('error', original.message, { requestId, operationName, path: error.path, stack: original.stack });
            }
          }
        },
        async willSendResponse({ operationName, errors, contextValue }) {
          logger.write('info', 'graphql operation', {
            requestId,
            operationName: operationName ?? null,
            viewer: contextValue.rc?.viewer?.id ?? null,
            durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
            errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          });
        },
      };
    },
  };
}
