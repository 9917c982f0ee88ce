import { ApolloServerPlugin, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { MetricsService } from '../../metrics/metrics.service';
import { AppLogger } from '../logging/logger';
import { GraphQLContext } from '../context/request-context';
import { isInternalError } from '../errors/format-error';

/**
 * Logs every operation (request id, name, duration, error codes), logs internal errors with their
 * stack, and stamps each error with the request id so the client can quote it.
 */
export function requestLoggingPlugin(logger: AppLogger, metrics: MetricsService): ApolloServerPlugin<GraphQLContext> {
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
              logger.error({ requestId, operationName, path: error.path, stack: original.stack }, original.message);
            }
          }
        },
        async willSendResponse({ operationName, operation, document, schema, response, contextValue }) {
          const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
          const codes = sentCodes(response);
          for (const labels of MetricsService.rootFields(schema, document, operation)) {
            metrics.requests.inc({ ...labels, outcome: codes.length ? 'error' : 'ok' });
            metrics.latency.observe(labels, seconds);
          }
          for (const code of codes) metrics.errors.inc({ code: MetricsService.errorCode(code) });
          logger.info({
            requestId,
            operationName: operationName ?? null,
            viewer: contextValue.rc?.viewerWithheld ? null : (contextValue.rc?.viewer?.id ?? null),
            durationMs: seconds * 1000,
            errors: codes.length ? codes : undefined,
          }, 'graphql operation');
        },
      };
    },
  };
}

/**
 * The codes of the errors as the client got them. Read from the response, not from the errors: a
 * resolver's AppError has no code until formatGraphQLError turns it into one, before this hook runs.
 */
function sentCodes(response: GraphQLResponse): string[] {
  const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
  return errors?.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')) ?? [];
}
