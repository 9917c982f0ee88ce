import { FieldNode, FragmentDefinitionNode, getArgumentValues, GraphQLResolveInfo, isObjectType, Kind, SelectionSetNode } from 'graphql';

/** A field selected on the items of a list, with its arguments as the field's resolver will receive them. */
export interface SelectedField {
  name: string;
  args: Record<string, unknown>;
}

/**
 * The fields a connection's query selects on its items (`edges { node { … } }` and `nodes { … }`, through
 * fragments too), so that the list's statement can bring along what they will ask for. Only a forecast:
 * `@skip`/`@include` are ignored and a field whose arguments do not parse is left out, so the fields'
 * own resolvers must still answer correctly for anything not brought along.
 */
export function connectionItemFields(info: GraphQLResolveInfo, itemType: string): SelectedField[] {
  const type = info.schema.getType(itemType);
  if (!isObjectType(type)) return [];
  const definitions = type.getFields();
  const fields: SelectedField[] = [];
  const spread = new Set<string>();
  const each = (set: SelectionSetNode | undefined, visit: (field: FieldNode) => void): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) visit(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) each(selection.selectionSet, visit);
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        each((info.fragments[selection.name.value] as FragmentDefinitionNode | undefined)?.selectionSet, visit);
      }
    }
  };
  const item = (field: FieldNode) => {
    const definition = definitions[field.name.value];
    if (!definition) return;
    try {
      fields.push({ name: field.name.value, args: getArgumentValues(definition, field, info.variableValues) });
    } catch {
      // Its resolver refuses these arguments; nothing to bring along for it.
    }
  };
  for (const connection of info.fieldNodes) {
    each(connection.selectionSet, (field) => {
      if (field.name.value === 'nodes') each(field.selectionSet, item);
      if (field.name.value === 'edges') each(field.selectionSet, (edge) => edge.name.value === 'node' && each(edge.selectionSet, item));
    });
    spread.clear();
  }
  return fields;
}
