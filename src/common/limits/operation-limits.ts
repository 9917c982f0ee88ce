import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLField,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/connection';

export interface OperationLimits {
  /** Tokens in a document: the parser stops past them, so parsing and everything after is bounded. */
  maxTokens: number;
  /** Deepest nesting of fields. */
  maxDepth: number;
  /** Estimated number of objects resolved: connections count `first` (or `last`) times their children. */
  maxCost: number;
  maxAliases: number;
  /**
   * Fields under response names selected more than once at one level (fragments merged in), each
   * selection with the fields below it, summed over the document: what graphql-js's
   * OverlappingFieldsCanBeMerged compares pairwise.
   */
  maxRepeatedSelections: number;
  /** Longest list accepted in variables. */
  maxListLength: number;
  /** Deepest nesting of lists and objects in variables. */
  maxVariableDepth: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxTokens: 5000,
  maxDepth: 15,
  maxCost: 25_000,
  maxAliases: 30,
  maxRepeatedSelections: 100,
  maxListLength: 1000,
  maxVariableDepth: 32,
};

/**
 * A plain list field (not a paginated connection) counts its children once: such lists are bounded by
 * the domain (an agenda, a thread's replies), and multiplying them would refuse honest nested threads.
 * Connections multiply by `first`, the depth limit bounds recursion.
 */
const LIST_ESTIMATE = 1;

/** Counts saturate here: fragments can multiply them past what a double holds exactly. */
const CEILING = Number.MAX_SAFE_INTEGER;
const add = (a: number, b: number) => Math.min(a + b, CEILING);

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
}

/**
 * Field selections counted by checkDocumentShape, fragments' counted at every level they are spread
 * in, per token the parser accepts: an honest document counts about as many as it has fields.
 */
const MERGES_PER_TOKEN = 5;
const TOO_MANY_MERGES = Symbol('too many merges');

/** What a selection set brings to the level it is merged into (fragments merge into the level they are spread in). */
interface Level {
  /** By response name: how many selections use it, and how many fields they hold, themselves included. */
  names: Map<string, { count: number; fields: number }>;
  /** Fields in the level and below it. */
  fields: number;
  aliases: number;
  /** Levels below this one. */
  depth: number;
}

/**
 * The limits that need neither the schema nor the variables (depth, aliases, repeated selections),
 * checked on the parsed document before graphql-js validates it: validation compares every two
 * selections of one response name at a level, subtree against subtree, so a document repeating a field
 * a thousand times costs hundreds of milliseconds before any later check could refuse it. A repeated
 * response name counts every field its selections hold (20 repeats of a 5-field subtree count 100).
 * Linear in the document: each fragment is measured once, and, as graphql-js executes, a fragment
 * spread twice at one level counts once. Every operation and every fragment of the document is
 * measured (validation reads them all, used or not).
 */
export function checkDocumentShape(document: DocumentNode, limits: OperationLimits = DEFAULT_LIMITS): GraphQLError[] {
  const fragments = fragmentsOf(document);
  const maxMerges = MERGES_PER_TOKEN * limits.maxTokens;
  // null while a fragment is being measured: a cycle, which validation refuses, counts as empty.
  const measured = new Map<string, Level | null>();
  let repeated = 0;

  // Merging a fragment into each level it is spread in costs its response names each time: bounded,
  // so that a fragment of thousands of (unknown) names spread at a thousand levels is refused, not walked.
  let merges = 0;
  const count = (level: Level, name: string, selections: number, fields: number): void => {
    if (++merges > maxMerges) throw TOO_MANY_MERGES;
    const entry = level.names.get(name);
    if (entry) {
      entry.count = add(entry.count, selections);
      entry.fields = add(entry.fields, fields);
    } else {
      level.names.set(name, { count: selections, fields });
    }
    level.fields = add(level.fields, fields);
  };
  const mergeInto = (level: Level, selections: SelectionSetNode, spread: Set<string>): void => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) level.aliases = add(level.aliases, 1);
        const below = selection.selectionSet ? fieldLevel(selection.selectionSet) : undefined;
        if (below) {
          level.depth = Math.max(level.depth, 1 + below.depth);
          level.aliases = add(level.aliases, below.aliases);
        }
        count(level, (selection.alias ?? selection.name).value, 1, add(1, below?.fields ?? 0));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        mergeInto(level, selection.selectionSet, spread);
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const fragment = fragmentLevel(selection.name.value);
        if (!fragment) continue;
        for (const [name, entry] of fragment.names) count(level, name, entry.count, entry.fields);
        level.aliases = add(level.aliases, fragment.aliases);
        level.depth = Math.max(level.depth, fragment.depth);
      }
    }
  };
  /** An operation's, a field's or a fragment definition's selection set: a level of its own, whose repeats count once. */
  const ownLevel = (selections: SelectionSetNode, spread = new Set<string>()): Level => {
    const level: Level = { names: new Map(), fields: 0, aliases: 0, depth: 0 };
    mergeInto(level, selections, spread);
    for (const entry of level.names.values()) if (entry.count > 1) repeated = add(repeated, entry.fields);
    return level;
  };
  // Past the depth limit the document is refused whatever lies below: not walking it keeps the
  // recursion as shallow as the limit (the parser accepts about 1,600 levels within 5,000 tokens).
  let nesting = 0;
  const fieldLevel = (selections: SelectionSetNode): Level => {
    if (nesting > limits.maxDepth) return { names: new Map(), fields: 0, aliases: 0, depth: limits.maxDepth };
    nesting += 1;
    try {
      return ownLevel(selections);
    } finally {
      nesting -= 1;
    }
  };
  const fragmentLevel = (name: string): Level | undefined => {
    const known = measured.get(name);
    if (known !== undefined) return known ?? undefined;
    const definition = fragments.get(name);
    if (!definition) return undefined;
    measured.set(name, null);
    const level = ownLevel(definition.selectionSet, new Set([name]));
    measured.set(name, level);
    return level;
  };

  let deepest = 0;
  let aliases = 0;
  try {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        const level = ownLevel(definition.selectionSet);
        deepest = Math.max(deepest, 1 + level.depth);
        aliases = Math.max(aliases, level.aliases);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragmentLevel(definition.name.value);
      }
    }
  } catch (error) {
    if (error !== TOO_MANY_MERGES) throw error;
    return [
      new GraphQLError(`The document's fragments merge into more than ${maxMerges} field selections; spread them at fewer places or select fewer fields in them.`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: maxMerges },
      }),
    ];
  }

  const errors: GraphQLError[] = [];
  if (deepest > limits.maxDepth) {
    errors.push(new GraphQLError(`The query is more than ${limits.maxDepth} levels deep; at most ${limits.maxDepth} are allowed.`, { extensions: { code: 'QUERY_TOO_DEEP', limit: limits.maxDepth } }));
  }
  if (aliases > limits.maxAliases) {
    errors.push(new GraphQLError(`The query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`, { extensions: { code: 'TOO_MANY_ALIASES', limit: limits.maxAliases } }));
  }
  if (repeated > limits.maxRepeatedSelections) {
    errors.push(
      new GraphQLError(`The document repeats fields at the same level: ${repeated} fields under repeated names; at most ${limits.maxRepeatedSelections} are allowed. Select each field once per level.`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: limits.maxRepeatedSelections },
      }),
    );
  }
  return errors;
}

/**
 * A field's own cost, declared next to its resolver as Nest's `complexity` option (a number), for
 * fields whose work grows with stored data rather than with what they return.
 */
function declaredCost(field: GraphQLField<unknown, unknown> | undefined): number | undefined {
  const complexity = field?.extensions?.complexity;
  return typeof complexity === 'number' ? complexity : undefined;
}

/** An operation's cost as the limits count it, for the client to read in `extensions.cost`. */
export interface OperationCost {
  requested: number;
  limit: number;
}

/**
 * Checks an operation's cost and its variables before anything runs, with its variables (so
 * `first: $n` counts for what it is); depth and aliases are checkDocumentShape's, before validation.
 * The same check serves HTTP (an Apollo plugin) and graphql-ws (onSubscribe), where Apollo's plugins do
 * not run. Linear in the document: each fragment's cost is computed once per type it is read on.
 * Returns the problems, each with a code, and the cost it computed (none when the operation is not found).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: OperationLimits = DEFAULT_LIMITS,
): { errors: GraphQLError[]; cost?: OperationCost } {
  const errors: GraphQLError[] = [];
  const badVariables = checkVariables(variables ?? {}, limits);
  if (badVariables) errors.push(badVariables);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { errors };
  const fragments = fragmentsOf(document);
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { errors };

  // By fragment and the type it is read on; null while being computed (a cycle counts nothing).
  const fragmentCosts = new Map<string, number | null>();

  /** Cost of a selection set on a type; `spread` holds the fragments already counted at this level. */
  const walk = (selections: SelectionSetNode, type: GraphQLObjectType | null, spread: Set<string>): number => {
    let cost = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        cost = add(cost, fieldCost(selection, type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost = add(cost, walk(selection.selectionSet, isObjectType(on) ? on : type, spread));
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        cost = add(cost, fragmentCost(selection.name.value, type));
      }
    }
    return cost;
  };

  const fragmentCost = (name: string, parent: GraphQLObjectType | null): number => {
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    const condition = schema.getType(fragment.typeCondition.name.value);
    const on = isObjectType(condition) ? condition : parent;
    const key = `${name} on ${on?.name ?? ''}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known ?? 0;
    fragmentCosts.set(key, null);
    const cost = walk(fragment.selectionSet, on, new Set([name]));
    fragmentCosts.set(key, cost);
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLObjectType | null): number => {
    if (field.name.value.startsWith('__')) return 0;
    const definition = parent?.getFields()[field.name.value];
    const declared = declaredCost(definition);
    if (!field.selectionSet) return declared ?? (definition && isList(definition.type) ? 1 : 0);
    const named = definition ? getNamedType(definition.type) : null;
    const child = named && isObjectType(named) ? named : null;
    // A page counts its size, `first` or `last` (both given is refused by the resolver; the larger counts).
    const sizes = (field.arguments ?? [])
      .filter((a) => a.name.value === 'first' || a.name.value === 'last')
      .map((a) => valueFromASTUntyped(a.value, variables ?? undefined))
      .filter((value): value is number => value !== null && value !== undefined);
    let multiplier = 1;
    if (sizes.length) {
      // Above the page limit the resolver refuses with BAD_USER_INPUT, which says more than a cost error.
      multiplier = Math.max(...sizes.map((value) => (typeof value === 'number' && value > 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE)));
    } else if (definition && definition.args.some((a) => a.name === 'first')) {
      multiplier = DEFAULT_PAGE_SIZE;
    } else if (definition && isList(definition.type)) {
      multiplier = LIST_ESTIMATE;
    }
    return Math.min(multiplier * add(declared ?? 1, walk(field.selectionSet, child, new Set())), CEILING);
  };

  const cost = walk(operation.selectionSet, root, new Set());
  if (cost > limits.maxCost) {
    errors.push(
      new GraphQLError(`The query could resolve about ${cost} objects; at most ${limits.maxCost} are allowed. Ask for smaller pages (first).`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: limits.maxCost },
      }),
    );
  }
  return { errors, cost: { requested: cost, limit: limits.maxCost } };
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The first problem with the variables, walked without recursion (a client chooses their depth): a
 * list longer than the limit, or lists and objects nested deeper than the limit.
 */
function checkVariables(variables: Record<string, unknown>, limits: OperationLimits): GraphQLError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: variables, path: '$', depth: 0 }];
  while (pending.length) {
    const { value, path, depth } = pending.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (depth > limits.maxVariableDepth) {
      return new GraphQLError(`Variables are nested more than ${limits.maxVariableDepth} levels deep (at ${path}).`, { extensions: { code: 'BAD_USER_INPUT', limit: limits.maxVariableDepth } });
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxListLength) {
        return new GraphQLError(`Variable ${path} holds more than ${limits.maxListLength} items.`, { extensions: { code: 'BAD_USER_INPUT', limit: limits.maxListLength } });
      }
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      for (const [key, v] of Object.entries(value).reverse()) pending.push({ value: v, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
