import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,

  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLOutputType,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/connection';

export interface OperationLimits {
  /** Deepest nesting of fields. */
  maxDepth: number;
  /** Estimated number of objects resolved: connections count `first` times their children. */
  maxCost: number;
  maxAliases: number;
  /** Longest list accepted in variables. */
  maxListLength: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 15, maxCost: 25_000, maxAliases: 30, maxListLength: 1000 };

/**
 * A plain list field (not a paginated connection) counts its children once: such lists are bounded by
 * the domain (an agenda, a thread's replies), and multiplying them would refuse honest nested threads.
 * Connections multiply by `first`, the depth limit bounds recursion.
 */
const LIST_ESTIMATE = 1;

/**
 * Checks an operation against the limits before anything runs, with its variables (so `first: $n`
 * counts for what it is). The same check serves HTTP (an Apollo plugin) and graphql-ws (onSubscribe),
 * where Apollo's plugins do not run. Returns the problems, each with a code.
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: OperationLimits = DEFAULT_LIMITS,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const longList = findLongList(variables ?? {}, limits.maxListLength);
  if (longList) {
    errors.push(new GraphQLError(`Variable ${longList} holds more than ${limits.maxListLength} items.`, { extensions: { code: 'BAD_USER_INPUT' } }));
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return errors;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return errors;

  let aliases = 0;
  let deepest = 0;
  const visiting = new Set<string>();

  /** Cost of a selection set on a type, and the depth reached. */
  const walk = (selections: SelectionSetNode, type: GraphQLObjectType | null, depth: number): number => {
    deepest = Math.max(deepest, depth);
    if (depth > limits.maxDepth + 1) return 0;
    let cost = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, type, depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += walk(selection.selectionSet, isObjectType(on) ? on : type, depth);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        const on = schema.getType(fragment.typeCondition.name.value);
        cost += walk(fragment.selectionSet, isObjectType(on) ? on : type, depth);
        visiting.delete(fragment.name.value);
      }
    }
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLObjectType | null, depth: number): number => {
    if (field.alias) aliases += 1;
    if (field.name.value.startsWith('__')) return 0;
    const definition = parent?.getFields()[field.name.value];
    if (!field.selectionSet) return definition && isList(definition.type) ? 1 : 0;
    const named = definition ? getNamedType(definition.type) : null;
    const child = named && isObjectType(named) ? named : null;
    const firstArg = field.arguments?.find((a) => a.name.value === 'first');
    let multiplier = 1;
    if (firstArg) {
      const value = valueFromASTUntyped(firstArg.value, variables ?? undefined);
      // Above the page limit the resolver refuses with BAD_USER_INPUT, which says more than a cost error.
      multiplier = typeof value === 'number' && value > 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    } else if (definition && definition.args.some((a) => a.name === 'first')) {
      multiplier = DEFAULT_PAGE_SIZE;
    } else if (definition && isList(definition.type)) {
      multiplier = LIST_ESTIMATE;
    }
    return multiplier * (1 + walk(field.selectionSet, child, depth + 1));
  };

  const cost = walk(operation.selectionSet, root, 1);
  if (deepest > limits.maxDepth) {
    errors.push(new GraphQLError(`The query is ${deepest} levels deep; at most ${limits.maxDepth} are allowed.`, { extensions: { code: 'QUERY_TOO_DEEP', limit: limits.maxDepth } }));
  }
  if (aliases > limits.maxAliases) {
    errors.push(new GraphQLError(`The query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`, { extensions: { code: 'TOO_MANY_ALIASES', limit: limits.maxAliases } }));
  }
  if (cost > limits.maxCost) {
    errors.push(
      new GraphQLError(`The query could resolve about ${cost} objects; at most ${limits.maxCost} are allowed. Ask for smaller pages (first).`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: limits.maxCost },
      }),
    );
  }
  return errors;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The path of the first list longer than the limit, anywhere in the variables. */
function findLongList(value: unknown, max: number, path = '$'): string | null {
  if (Array.isArray(value)) {
    if (value.length > max) return path;
    for (let i = 0; i < value.length; i++) {
      const found = findLongList(value[i], max, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const found = findLongList(v, max, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
