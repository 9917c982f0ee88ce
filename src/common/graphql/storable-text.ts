import { defaultFieldResolver, GraphQLArgument, GraphQLFieldResolver, GraphQLInputType, GraphQLSchema, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType } from 'graphql';
import { AppError, FieldProblem, msg } from '../errors/app-error';

/**
 * Field extension for text that is never stored or compared as text (a password, which is only
 * hashed): exempt from the check below, so that any password that could be set can still be typed.
 */
export const ANY_TEXT = { anyText: true } as const;

/**
 * Text no argument can mean: a NUL character (PostgreSQL cannot hold it in text, and refuses the whole
 * statement) and an unpaired surrogate (not Unicode: the driver would send U+FFFD in its place). Every
 * String and ID argument of every field, nested input fields and list items included, is checked here
 * once, after GraphQL coerced it and before the field's resolver (or a subscription's subscribe) runs,
 * on HTTP and graphql-ws alike: BAD_USER_INPUT naming each offending argument, instead of each service
 * remembering it and a forgotten filter answering INTERNAL_SERVER_ERROR.
 */
export function refuseUnstorableText(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((arg) => carriesText(arg.type, new Set()))) continue;
      const guard = <T extends GraphQLFieldResolver<unknown, unknown>>(resolve: T): T =>
        function (this: unknown, source, args, context, info) {
          const problems = textProblems(field.args, args);
          if (problems.length) throw AppError.badInput(problems);
          return resolve.call(this, source, args, context, info);
        } as T;
      field.resolve = guard(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(field.subscribe);
    }
  }
  return schema;
}

function carriesText(type: GraphQLInputType, seen: Set<string>): boolean {
  if (isNonNullType(type) || isListType(type)) return carriesText(type.ofType, seen);
  if (isScalarType(type)) return type.name === 'String' || type.name === 'ID';
  if (!isInputObjectType(type) || seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((f) => !f.extensions?.anyText && carriesText(f.type, seen));
}

function textProblems(args: readonly GraphQLArgument[], values: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // A queue, not recursion, so that deeply nested input cannot exhaust the stack here.
  const pending: { type: GraphQLInputType; value: unknown; path: string }[] = args.map((arg) => ({ type: arg.type, value: values[arg.name], path: arg.name }));
  for (let next = 0; next < pending.length; next++) {
    const item = pending[next];
    const { value, path } = item;
    const type = isNonNullType(item.type) ? item.type.ofType : item.type;
    if (value === null || value === undefined) continue;
    if (isListType(type)) {
      if (Array.isArray(value)) value.forEach((v, i) => pending.push({ type: type.ofType, value: v, path: `${path}[${i}]` }));
      else pending.push({ type: type.ofType, value, path });
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.extensions?.anyText) pending.push({ type: field.type, value: (value as Record<string, unknown>)[field.name], path: `${path}.${field.name}` });
      }
    } else if (typeof value === 'string') {
      if (value.includes('\u0000')) problems.push({ field: path, message: msg('errors.input.nulCharacter') });
      else if (!value.isWellFormed()) problems.push({ field: path, message: msg('errors.input.brokenUnicode') });
    }
  }
  return problems;
}
