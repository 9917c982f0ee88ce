import { getNamedType, GraphQLField, GraphQLInputObjectType, GraphQLNamedType, GraphQLObjectType, isInputObjectType, isInterfaceType, isNonNullType, isObjectType } from 'graphql';
import { committedSchema } from '../support/selections';

/**
 * The API's one shape (README, "For client developers"), checked on every field of the committed schema,
 * so that a field added tomorrow fails here until it follows the conventions a client developer guesses
 * from the rest of the API.
 */
const schema = committedSchema();
const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
const ROOTS = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((root): root is GraphQLObjectType => !!root);
const namedTypes = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));

/** Where each named type is used: `Type.field` for output fields and arguments, `Input.field` for input fields. */
function usesOf(type: GraphQLNamedType): string[] {
  const uses: string[] = [];
  for (const holder of namedTypes) {
    if (isObjectType(holder) || isInterfaceType(holder)) {
      for (const field of Object.values(holder.getFields())) {
        if (getNamedType(field.type) === type) uses.push(`${holder.name}.${field.name}`);
        for (const arg of field.args) if (getNamedType(arg.type) === type) uses.push(`${holder.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(holder)) {
      for (const field of Object.values(holder.getFields())) if (getNamedType(field.type) === type) uses.push(`${holder.name}.${field.name}`);
    }
  }
  return uses;
}

describe('schema conventions', () => {
  const mutations = Object.values(schema.getMutationType()!.getFields());

  describe.each(mutations.map((field) => [field.name, field] as const))('mutation %s', (name, field: GraphQLField<unknown, unknown>) => {
    it(`takes one argument, input: ${pascal(name)}Input!, used by no other field`, () => {
      expect(field.args.map((arg) => `${arg.name}: ${arg.type.toString()}`)).toEqual([`input: ${pascal(name)}Input!`]);
      expect(usesOf(getNamedType(field.args[0].type))).toEqual([`Mutation.${name}(input)`]);
    });

    it(`returns ${pascal(name)}Payload!, an object used by no other field`, () => {
      expect(field.type.toString()).toBe(`${pascal(name)}Payload!`);
      expect(isObjectType(getNamedType(field.type))).toBe(true);
      expect(usesOf(getNamedType(field.type))).toEqual([`Mutation.${name}`]);
    });
  });

  it('names every id a client sends for what it identifies: `id` only on a root field for its own type, else `…Id` or `…Ids`', () => {
    const misnamed: string[] = [];
    const check = (where: string, name: string, isRootArgument: boolean) => {
      if (name === 'id' && isRootArgument) return;
      if (!/[a-z]Ids?$/.test(name)) misnamed.push(where);
    };
    for (const root of ROOTS) {
      for (const field of Object.values(root.getFields())) {
        for (const arg of field.args) if (getNamedType(arg.type).name === 'ID') check(`${root.name}.${field.name}(${arg.name})`, arg.name, root === schema.getQueryType());
      }
    }
    for (const input of namedTypes.filter(isInputObjectType) as GraphQLInputObjectType[]) {
      for (const field of Object.values(input.getFields())) if (getNamedType(field.type).name === 'ID') check(`${input.name}.${field.name}`, field.name, false);
    }
    expect(misnamed).toEqual([]);
  });

  it('makes every object with an id a Node (fetchable with node(id:))', () => {
    const node = schema.getType('Node');
    const notNodes = namedTypes
      .filter(isObjectType)
      .filter((type) => !ROOTS.includes(type) && type.getFields().id && getNamedType(type.getFields().id.type).name === 'ID')
      .filter((type) => !type.getInterfaces().some((iface) => iface === node))
      .map((type) => type.name);
    expect(notNodes).toEqual([]);
  });

  it('gives every Node a non-null opaque id', () => {
    for (const type of schema.getPossibleTypes(schema.getType('Node') as never)) {
      expect([type.name, isNonNullType(type.getFields().id.type) && getNamedType(type.getFields().id.type).name]).toEqual([type.name, 'ID']);
    }
  });
});
