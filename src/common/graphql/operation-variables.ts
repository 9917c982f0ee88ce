import { DocumentNode, getOperationAST, getVariableValues, GraphQLError, GraphQLSchema } from 'graphql';

/**
 * Over graphql-ws, what Apollo does over HTTP before executing: pick the operation and coerce its
 * variables, so that a client's mistake (a wrong enum value, "abc" for an Int!, a missing required
 * variable) is refused as BAD_USER_INPUT, and not met by the executor as an error without a code
 * (which reads as the server's own fault).
 */
export function operationInputProblems(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
    return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 50 });
  return (coerced.errors ?? []).map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
}
