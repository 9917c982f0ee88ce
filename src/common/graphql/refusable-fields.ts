import { Extensions } from '@nestjs/graphql';
import { GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { AppError, ErrorCode } from '../errors/app-error';

/** The field extension `@Refusable()` sets; the schema test reads it from the built schema. */
export const REFUSABLE = { refusable: true } as const;

/**
 * Marks a field (below the root) that refuses some viewers with FORBIDDEN or UNAUTHENTICATED while its
 * parent stays readable to them (`Hearing.registrations`, for hosts only). Such a field must be nullable:
 * GraphQL nulls a refused non-null field's parent, and so on up to the nearest nullable field, so one
 * refusal deep in `proposals` would erase the whole response. conventions.spec checks that every marked
 * field is nullable; checkRefusals below makes an unmarked field that refuses fail loudly in tests.
 */
export function Refusable(): MethodDecorator & PropertyDecorator {
  return Extensions(REFUSABLE);
}

export function isRefusable(field: { extensions?: Record<string, unknown> | null }): boolean {
  return field.extensions?.refusable === true;
}

function refusalCode(error: unknown): ErrorCode | undefined {
  return error instanceof AppError && (error.code === ErrorCode.FORBIDDEN || error.code === ErrorCode.UNAUTHENTICATED) ? error.code : undefined;
}

/**
 * Outside production: every field below the root that has a resolver of its own and is not marked
 * `@Refusable()` turns a FORBIDDEN or UNAUTHENTICATED it raises into an internal error naming the field
 * (INTERNAL_SERVER_ERROR to the client, the message in the log), so a new field that refuses some viewers
 * cannot dodge the mark (and the nullability the mark brings) without a test noticing. Root fields may
 * refuse: a refused root field erases nothing but itself. Production serves the resolvers unwrapped.
 */
export function checkRefusals(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || isRefusable(field)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
      const unmarked = (error: unknown): never => {
        const code = refusalCode(error);
        if (!code) throw error;
        throw new Error(`${type.name}.${field.name} refused a viewer with ${code} but is not marked @Refusable(): mark it and make it nullable, so that its refusal does not erase its parent.`);
      };
      field.resolve = function (this: unknown, source, args, context, info) {
        try {
          const value = resolve.call(this, source, args, context, info);
          return value instanceof Promise ? value.catch(unmarked) : value;
        } catch (error) {
          return unmarked(error);
        }
      };
    }
  }
  return schema;
}
