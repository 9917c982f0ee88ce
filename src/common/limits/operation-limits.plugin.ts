import { ApolloServerPlugin } from '@apollo/server';
import { ASTVisitor, DocumentNode, GraphQLError, GraphQLSchema, Kind, ValidationContext } from 'graphql';
import { checkDocumentShape, measureOperation, OperationCost } from './operation-limits';

const NOTHING_LEFT: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };

/**
 * checkDocumentShape over HTTP, where Apollo validates before any plugin hook can refuse a request
 * (a hook that throws before validation answers 500). Apollo runs its `validationRules` in the same
 * pass as graphql-js's own, and every rule enters the document before any selection set: this one
 * reports what it finds and, when it refuses, hands the pass an empty document in place of the
 * refused one (a visitor's enter may replace the node it visits), so the costly rules never read it.
 */
export function documentShapeRule(context: ValidationContext): ASTVisitor {
  return {
    Document(document) {
      const problems = checkDocumentShape(document);
      if (!problems.length) return undefined;
      for (const problem of problems) context.reportError(problem);
      return NOTHING_LEFT;
    },
  };
}

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
      let cost: OperationCost | undefined;
      return {
        async didResolveOperation({ document, operationName, operation, request, schema }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          const measured = measureOperation(schema, document, operationName, request.variables);
          cost = measured.cost;
          if (measured.errors.length) {
            const [first] = measured.errors;
            (first.extensions as Record<string, unknown>).http = { status: 400 };
            throw first;
          }
        },
        // Clients learn what an operation cost against the limit, to size their pages before being refused.
        async willSendResponse({ response }) {
          if (cost && response.body.kind === 'single') response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
        },
      };
    },
  };
}
