import { EntityMetadata } from 'typeorm';

const TIMESTAMPS = new Set(['timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone']);
const AS_STRINGS = new Set(['numeric', 'decimal', 'bigint', 'int8']);

function selectedColumns(metadata: EntityMetadata) {
  return metadata.columns.filter((column) => column.isSelect && !column.embeddedMetadata);
}

/**
 * A row of `metadata`'s table under `alias` as one JSON object keyed by property, for rows nested in
 * another statement (a list's items each with their newest comments). Read it back with `entityFromJson`.
 */
export function jsonObjectOf(metadata: EntityMetadata, alias: string): string {
  const pairs = selectedColumns(metadata).map((column) => {
    if (column.transformer) throw new Error(`${metadata.name}.${column.propertyName} has a transformer: jsonObjectOf cannot apply it`);
    return `'${column.propertyName}', ${alias}."${column.databaseName}"`;
  });
  return `json_build_object(${pairs.join(', ')})`;
}

/** The entity of a `jsonObjectOf` object, with the values TypeORM would give it (Dates, numeric as text). */
export function entityFromJson<E>(metadata: EntityMetadata, json: Record<string, unknown>): E {
  const entity = metadata.create() as Record<string, unknown>;
  for (const column of selectedColumns(metadata)) {
    const value = json[column.propertyName];
    const type = String(column.type);
    entity[column.propertyName] = value === null || value === undefined ? null : TIMESTAMPS.has(type) ? new Date(value as string) : AS_STRINGS.has(type) ? String(value) : value;
  }
  return entity as E;
}
