import { GraphQLScalarType, Kind } from 'graphql';

/** RFC 3339 date-times with an offset: 2026-12-03T09:30:00+07:00, 2026-12-03T02:30:00.000Z. */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * A date-time given by a client, or an invalid Date (NaN) when it is not a real one: the service
 * that reads the field refuses it with BAD_USER_INPUT naming the field (InputCheck.dateTime). Unlike
 * `new Date(text)`, 2026-02-30 is not taken for 2 March, numbers are not milliseconds since 1970, and
 * the year has four digits.
 */
export function parseDateTime(value: unknown): Date {
  const invalid = new Date(Number.NaN);
  if (typeof value !== 'string') return invalid;
  const m = RFC_3339.exec(value);
  if (!m) return invalid;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [Number(m[7] ?? 0), Number(m[8] ?? 0)];
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  calendar.setUTCFullYear(year);
  if (year < 1000 || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return invalid;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return invalid;
  return new Date(value);
}

/** The API's DateTime: written as RFC 3339 at UTC, read strictly (see parseDateTime). */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time in RFC 3339 form with an offset, such as 2026-12-03T09:30:00+07:00; answers are at UTC (2026-12-03T02:30:00.000Z).',
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
