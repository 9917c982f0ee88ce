import { EntityMetadata } from 'typeorm';

const TIMESTAMPS = new Set(['timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone']);
const AS_STRINGS = new Set(['numeric', 'decimal', 'bigint', 'int8']);

type Read = 'date' | 'text' | 'as is';
const columnsOf = new WeakMap<EntityMetadata, { property: string; database: string; read: Read; transformed: boolean }[]>();

/** The selected columns of an entity and how each value is read back, worked out once per entity. */
function selectedColumns(metadata: EntityMetadata) {
  let columns = columnsOf.get(metadata);
  if (!columns) {
    columns = metadata.columns
      .filter((column) => column.isSelect && !column.embeddedMetadata)
      .map((column) => {
        const type = String(column.type);
        const read: Read = TIMESTAMPS.has(type) ? 'date' : AS_STRINGS.has(type) ? 'text' : 'as is';
        return { property: column.propertyName, database: column.databaseName, read, transformed: !!column.transformer };
      });
    columnsOf.set(metadata, columns);
  }
  return columns;
}

const objectsOf = new WeakMap<EntityMetadata, Map<string, string>>();

/**
 * A row of `metadata`'s table under `alias` as one JSON object keyed by property, for rows nested in
 * another statement (a list's items each with their newest comments). Read it back with `entityFromJson`.
 */
export function jsonObjectOf(metadata: EntityMetadata, alias: string): string {
  const built = objectsOf.get(metadata) ?? new Map<string, string>();
  objectsOf.set(metadata, built);
  const known = built.get(alias);
  if (known) return known;
  const pairs = selectedColumns(metadata).map((column) => {
    if (column.transformed) throw new Error(`${metadata.name}.${column.property} has a transformer: jsonObjectOf cannot apply it`);
    return `'${column.property}', ${alias}."${column.database}"`;
  });
  const sql = `json_build_object(${pairs.join(', ')})`;
  built.set(alias, sql);
  return sql;
}

/** The entity of a `jsonObjectOf` object, with the values TypeORM would give it (Dates, numeric as text). */
export function entityFromJson<E>(metadata: EntityMetadata, json: Record<string, unknown>): E {
  const entity = metadata.create() as Record<string, unknown>;
  for (const column of selectedColumns(metadata)) {
    const value = json[column.property];
    entity[column.property] = value === null || value === undefined ? null : column.read === 'date' ? new Date(value as string) : column.read === 'text' ? String(value) : value;
  }
  return entity as E;
}
