import { Type } from '@nestjs/common';
import { ArgsType, Field, FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError, msg } from '../errors/app-error';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Relay's cursor connection arguments: `first`/`after` pages forwards, `last`/`before` backwards (from
 * the end of the list when `before` is not given). `first` and `last` together are refused.
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items from the start (1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}); not with \`last\`.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Only items after this cursor (the endCursor of the previous page).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `How many items from the end, to page backwards (1 to ${MAX_PAGE_SIZE}); not with \`first\`.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Only items before this cursor (the startCursor of the next page).' })
  before?: string | null;
}

/** A boolean, or how to find it out: GraphQL calls it only when the field is selected. */
type Lazy<T> = T | (() => Promise<T>);

const resolveWhenAsked: FieldMiddleware = async (_context, next) => {
  const value: unknown = await next();
  return typeof value === 'function' ? (value as () => Promise<unknown>)() : value;
};

@ObjectType({ description: "Where a page lies in its list (Relay's PageInfo)." })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether items follow this page (paging backwards: whether any follow `before`).', middleware: [resolveWhenAsked] })
  hasNextPage: Lazy<boolean>;

  @Field(() => Boolean, { description: 'Whether items precede this page (paging forwards: whether any precede `after`).', middleware: [resolveWhenAsked] })
  hasPreviousPage: Lazy<boolean>;

  @Field(() => String, { nullable: true, description: "The first edge's cursor: pass it as `before` for the page before." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "The last edge's cursor: pass it as `after` for the page after." })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A number, or how to count: GraphQL calls it only when `totalCount` is selected. */
  totalCount: number | (() => Promise<number>);
}

const nodesOfEdges: FieldMiddleware<{ edges: Edge<unknown>[] }> = ({ source }) => source.edges.map((edge) => edge.node);

/** A Relay connection type for `node`: `XConnection { edges { cursor node } nodes pageInfo totalCount }`. */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => [node], { description: "The edges' nodes, for clients that need no cursor per item.", middleware: [nodesOfEdges] })
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    // Counted only when selected: a list whose total nobody reads costs one query, not two.
    @Field(() => Int, { description: 'How many items match, on all pages.', middleware: [resolveWhenAsked] })
    totalCount: number;
  }
  return ConnectionType;
}

/** One column of a keyset ordering: the SQL expression and how to read its value from a row. */
export interface KeysetColumn<E> {
  sql: string;
  value: (row: E) => string | number | Date;
}

function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, length: number, field: 'after' | 'before'): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.badInput([{ field, message: msg('errors.input.notCursor') }]);
}

/** The page's size and direction: `last` pages backwards; `first` and `last` together are refused. */
export function pageSize(args: Pick<PageArgs, 'first' | 'last'>): { size: number; backwards: boolean } {
  const given = (n: number | null | undefined) => n !== null && n !== undefined;
  if (given(args.first) && given(args.last)) {
    throw AppError.badInput([{ field: 'last', message: msg('errors.input.firstAndLast') }]);
  }
  const backwards = given(args.last);
  const [field, size] = backwards ? (['last', args.last!] as const) : (['first', args.first ?? DEFAULT_PAGE_SIZE] as const);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw AppError.badInput([{ field, message: msg('errors.input.pageSize', { max: MAX_PAGE_SIZE }) }]);
  }
  return { size, backwards };
}

/**
 * What a list's statement selects beside each item for another capability (a proposal's stance counts
 * and newest comments), read back from the item's raw row: one statement for the page and all of it.
 */
export interface Alongside<E extends ObjectLiteral> {
  select(query: SelectQueryBuilder<E>): void;
  read(row: E, raw: Record<string, unknown>): void;
}

/**
 * The one pagination helper: keyset (cursor) pagination over a query builder, ordered by the given
 * columns all in one direction, the last of which must be unique (an id). `first`/`after` reads the
 * order forwards; `last`/`before` reads it backwards from the cursor (or the end) and returns the page
 * in list order, as Relay's cursor connections specify. Costs one query for the page, one more for the
 * total count and one for the page info on the far side of the cursor (hasPreviousPage after `after`,
 * hasNextPage before `before`), each only when a client asks for it. The query may join to-one
 * relations (an author): each row stays one item, so the page is cut with LIMIT (TypeORM's `take` would
 * split a joined query into two statements); to-many joins would cut it wrongly. `alongside` adds its
 * columns to the page's statement only.
 */
export async function paginate<E extends ObjectLiteral, N>(
  query: SelectQueryBuilder<E>,
  args: PageArgs,
  order: { columns: KeysetColumn<E>[]; direction: 'ASC' | 'DESC' },
  toNode: (row: E) => N,
  alongside?: Alongside<E>,
): Promise<ConnectionShape<N>> {
  const { size, backwards } = pageSize(args);
  let counted: Promise<number> | undefined;
  const totalCount = () => (counted ??= query.clone().getCount());
  const tuple = order.columns.map((c) => c.sql).join(', ');
  // Rows strictly after (or, with `inclusive`, at or after) a cursor in list order, or before it.
  let bound = 0;
  const beyond = (q: SelectQueryBuilder<E>, cursor: string, field: 'after' | 'before', inclusive = false) => {
    const values = decodeCursor(cursor, order.columns.length, field);
    const forwards = (field === 'after') === (order.direction === 'ASC');
    const params = Object.fromEntries(values.map((v, i) => [`cursor${bound + i}`, v]));
    const placeholders = values.map((_, i) => `:cursor${bound + i}`).join(', ');
    bound += values.length;
    return q.andWhere(`(${tuple}) ${forwards ? '>' : '<'}${inclusive ? '=' : ''} (${placeholders})`, params);
  };
  const page = query.clone();
  if (args.after) beyond(page, args.after, 'after');
  if (args.before) beyond(page, args.before, 'before');
  // Backwards, the page is the last `size` rows: read in reverse order, then put back in list order.
  const direction = backwards ? (order.direction === 'ASC' ? 'DESC' : 'ASC') : order.direction;
  order.columns.forEach((c, i) => (i === 0 ? page.orderBy(c.sql, direction) : page.addOrderBy(c.sql, direction)));
  alongside?.select(page);
  // getMany is this without the raw rows; without to-many joins they come one per entity, in order.
  const { entities: rows, raw } = await page.limit(size + 1).getRawAndEntities();
  const more = rows.length > size;
  const kept = rows.slice(0, size);
  if (alongside) {
    if (raw.length !== rows.length) throw new Error('paginate: a to-many join made several raw rows of one item');
    kept.forEach((row, i) => alongside.read(row, raw[i]));
  }
  if (backwards) kept.reverse();
  const edges = kept.map((row) => ({ cursor: encodeCursor(order.columns.map((c) => cursorValue(c.value(row)))), node: toNode(row) }));
  // On the far side of the cursor the page came from: whether anything lies there, asked only when selected.
  const anyBeyond = (cursor: string | null | undefined, field: 'after' | 'before') => async () => {
    if (!cursor) return false;
    const rest = beyond(query.clone(), cursor, field === 'after' ? 'before' : 'after', true);
    return (await rest.limit(1).getMany()).length > 0;
  };
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: backwards ? anyBeyond(args.before, 'before') : more,
      hasPreviousPage: backwards ? more : anyBeyond(args.after, 'after'),
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

function cursorValue(value: string | number | Date): string | number {
  return value instanceof Date ? value.toISOString() : value;
}

/** The same connection with each node turned into its API type. */
export function mapConnection<A, B>(connection: ConnectionShape<A>, toNode: (node: A) => B): ConnectionShape<B> {
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toNode(edge.node) })) };
}
