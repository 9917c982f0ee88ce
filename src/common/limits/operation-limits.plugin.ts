import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { checkOperationLimits } from './operation-limits';

/** Refuses operations past the limits before any resolver runs (HTTP), and shares the schema with graphql-ws. */
export function operationLimitsPlugin(schemaRef: { schema?: GraphQLSchema }): ApolloServerPlugin {
  return {
    async serverWillStart({ schema }) {
      schemaRef.schema = schema;
      return {
        async schemaDidLoadOrUpdate({ apiSchema }) {
          schemaRef.schema = apiSchema;
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, operation, request, schema }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          const problems = checkOperationLimits(schema, document, operationName, request.variables);
          if (problems.length) {
            const [first] = problems;
            (first.extensions as Record<string, unknown>).http = { status: 400 };
            throw first;
          }
        },
      };
    },
  };
}
