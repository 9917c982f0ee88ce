import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, GraphQLObjectType, GraphQLSchema, isLeafType, isNonNullType, isObjectType } from 'graphql';

/** The committed schema (schema.spec keeps it equal to the code's). */
export function committedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
}

/**
 * Selections that reach every field of a type and of the types below it, to a depth, generated from the
 * schema: a field added to the schema is selected by every test built on this without anyone editing it.
 * Written as one fragment per (type, depth left), so a deep selection stays a small document.
 */
export class FullSelection {
  private readonly fragments = new Map<string, string>();
  /** `Type.field` of every field selected somewhere. */
  readonly selected = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    /** `Type.field`s left out, each with the reason the caller gives for it. */
    private readonly leftOut: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The name of a fragment on `typeName` selecting every field `depth` levels down (leaves at the last). */
  fragment(typeName: string, depth: number): string {
    const type = this.schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    return this.build(type, depth);
  }

  /** The definitions of the fragments that `names` use, to append to a document. */
  definitions(...names: string[]): string {
    const wanted = new Set<string>();
    const visit = (name: string) => {
      if (wanted.has(name)) return;
      wanted.add(name);
      for (const used of this.fragments.get(name)!.matchAll(/\.\.\.(\w+)/g)) visit(used[1]);
    };
    names.forEach(visit);
    return [...wanted].map((name) => this.fragments.get(name)).join('\n');
  }

  private build(type: GraphQLObjectType, depth: number): string {
    const name = `${type.name}_${depth}`;
    if (this.fragments.has(name)) return name;
    this.fragments.set(name, '');
    const parts = ['__typename'];
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (this.leftOut.has(key)) continue;
      // Required arguments without a default would need values chosen per field: none exist today, and
      // a field that adds one shows up as not selected.
      if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        parts.push(field.name);
        this.selected.add(key);
      } else if (isObjectType(named) && depth > 1) {
        parts.push(`${field.name} { ...${this.build(named, depth - 1)} }`);
        this.selected.add(key);
      }
    }
    this.fragments.set(name, `fragment ${name} on ${type.name} { ${parts.join(' ')} }`);
    return name;
  }
}

/** `Type.field` of every field that can be reached from the fields of `root`, at any depth, but not through `leftOut`. */
export function reachableFields(schema: GraphQLSchema, root: GraphQLObjectType, leftOut: { has(field: string): boolean } = new Set<string>()): Set<string> {
  const fields = new Set<string>();
  const seen = new Set<string>();
  const walk = (type: GraphQLObjectType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    for (const field of Object.values(type.getFields())) {
      fields.add(`${type.name}.${field.name}`);
      // What lies only below a field left out of a selection is not reached through it.
      if (leftOut.has(`${type.name}.${field.name}`)) continue;
      const named = getNamedType(field.type);
      if (isObjectType(named)) walk(named);
    }
  };
  for (const field of Object.values(root.getFields())) {
    const named = getNamedType(field.type);
    if (isObjectType(named)) walk(named);
  }
  return fields;
}
