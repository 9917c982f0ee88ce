import { Type } from '@nestjs/common';
import { ArgsType, Field, FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../errors/app-error';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items (1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
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

const countWhenAsked: FieldMiddleware = async (_context, next) => {
  const value: unknown = await next();
  return typeof value === 'function' ? (value as () => Promise<number>)() : value;
};

/** A Relay connection type for `node`: `XConnection { edges { cursor node } pageInfo totalCount }`. */
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

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    // Counted only when selected: a list whose total nobody reads costs one query, not two.
    @Field(() => Int, { description: 'How many items match, on all pages.', middleware: [countWhenAsked] })
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

function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.badInput([{ field: 'after', message: 'is not a cursor from this list' }]);
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw AppError.badInput([{ field: 'first', message: `must be from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

/**
 * The one pagination helper: keyset (cursor) pagination over a query builder, ordered by the given
 * columns all in one direction, the last of which must be unique (an id). Costs one query for the page,
 * and one more for the total count when a client asks for it. The query may join to-one relations (an
 * author): each row stays one item, so the page is cut with LIMIT (TypeORM's `take` would split a
 * joined query into two statements); to-many joins would cut it wrongly.
 */
export async function paginate<E extends ObjectLiteral, N>(
  query: SelectQueryBuilder<E>,
  args: PageArgs,
  order: { columns: KeysetColumn<E>[]; direction: 'ASC' | 'DESC' },
  toNode: (row: E) => N,
): Promise<ConnectionShape<N>> {
  const size = pageSize(args.first);
  let counted: Promise<number> | undefined;
  const totalCount = () => (counted ??= query.clone().getCount());
  const page = query.clone();
  if (args.after) {
    const values = decodeCursor(args.after, order.columns.length);
    const tuple = order.columns.map((c) => c.sql).join(', ');
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    const placeholders = values.map((_, i) => `:cursor${i}`).join(', ');
    page.andWhere(`(${tuple}) ${order.direction === 'DESC' ? '<' : '>'} (${placeholders})`, params);
  }
  order.columns.forEach((c, i) => (i === 0 ? page.orderBy(c.sql, order.direction) : page.addOrderBy(c.sql, order.direction)));
  const rows = await page.limit(size + 1).getMany();
  const hasNextPage = rows.length > size;
  const edges = rows.slice(0, size).map((row) => ({
    cursor: encodeCursor(order.columns.map((c) => cursorValue(c.value(row)))),
    node: toNode(row),
  }));
  return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}

function cursorValue(value: string | number | Date): string | number {
  return value instanceof Date ? value.toISOString() : value;
}

/** The same connection with each node turned into its API type. */
export function mapConnection<A, B>(connection: ConnectionShape<A>, toNode: (node: A) => B): ConnectionShape<B> {
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toNode(edge.node) })) };
}
