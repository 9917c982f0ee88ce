import { getNamedType, getNullableType, GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType } from 'graphql';
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

  /**
   * An id is named for what it identifies: `<type>Id` (`proposalId`, `speakerRequestId`), or a role the
   * object plays, listed here with the type it is.
   */
  const ROLES: Record<string, string> = {
    actor: 'User',
    author: 'User',
    option: 'VotingOption',
    parent: 'Comment',
    round: 'VotingRound',
    subject: 'Node',
    /** The single-choice question results are cut by (questionnaireResults). */
    cutByQuestion: 'QuestionnaireQuestion',
    /** The report a duplicate is merged into (mergeReport). */
    survivor: 'Report',
  };
  /** A list of ids is named in the plural (`notificationIds`), one id in the singular; a type's digits stay in its name (`open311KeyId`). */
  /**
   * Lists of option ids named for the part they play in a vote, the same word wherever it appears: a
   * ballot's `choices` (castBallot, verifyReceipt, the ballot record, in the voter's order), a result's
   * `winners`, a runoff round's `eliminated`.
   */
  const VOTE_LISTS: Record<string, string> = { choices: 'VotingOption', winners: 'VotingOption', eliminated: 'VotingOption' };
  const misnamedId = (name: string, type: GraphQLType, rootArgument: boolean): boolean => {
    if (name === 'id') return !rootArgument;
    if (VOTE_LISTS[name]) return !isListType(getNullableType(type));
    const [, stem, plural] = /^([a-z][A-Za-z0-9]*?)Id(s?)$/.exec(name) ?? [];
    return !stem || !(schema.getType(pascal(stem)) || ROLES[stem]) || !!plural !== isListType(getNullableType(type));
  };
  const idFields = (): { where: string; name: string; type: GraphQLType; rootArgument: boolean }[] => {
    const found: { where: string; name: string; type: GraphQLType; rootArgument: boolean }[] = [];
    for (const type of namedTypes) {
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (getNamedType(field.type).name === 'ID' && field.name !== 'id' && !field.deprecationReason) found.push({ where: `${type.name}.${field.name}`, name: field.name, type: field.type, rootArgument: false });
          for (const arg of field.args) {
            if (getNamedType(arg.type).name === 'ID') found.push({ where: `${type.name}.${field.name}(${arg.name})`, name: arg.name, type: arg.type, rootArgument: type === schema.getQueryType() });
          }
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === 'ID') found.push({ where: `${type.name}.${field.name}`, name: field.name, type: field.type, rootArgument: false });
      }
    }
    return found;
  };

  it('names every id for what it identifies: `<type>Id` (`…Ids` for a list) or a listed role (`authorId`), `id` only for the object itself or on a root query', () => {
    expect(idFields().filter(({ name, type, rootArgument }) => misnamedId(name, type, rootArgument)).map(({ where }) => where)).toEqual([]);
  });

  /**
   * The parts of a hearing's live state are snapshots of objects that are nodes: each carries the id of
   * the object it shows (hearing-live.service.ts), which node(id:) fetches as that object's own type.
   */
  const SNAPSHOTS: Record<string, string> = { LiveAgendaItem: 'AgendaItem', LiveParticipant: 'User', LiveQuestion: 'Question', LiveStatement: 'Statement' };

  it('makes every object with an id a Node (fetchable with node(id:)), or a snapshot carrying the id of a Node', () => {
    const node = schema.getType('Node');
    const isNode = (name: string) => (schema.getType(name) as GraphQLObjectType | undefined)?.getInterfaces().some((iface) => iface === node) ?? false;
    const notNodes = namedTypes
      .filter(isObjectType)
      .filter((type) => !ROOTS.includes(type) && type.getFields().id && getNamedType(type.getFields().id.type).name === 'ID')
      .filter((type) => !isNode(type.name))
      .map((type) => (SNAPSHOTS[type.name] ? `${type.name} shows a ${SNAPSHOTS[type.name]}${isNode(SNAPSHOTS[type.name]) ? '' : ', not a Node'}` : type.name));
    expect(notNodes).toEqual(Object.entries(SNAPSHOTS).map(([snapshot, shown]) => `${snapshot} shows a ${shown}`).sort());
  });

  it('gives every Node a non-null opaque id', () => {
    for (const type of schema.getPossibleTypes(schema.getType('Node') as never)) {
      expect([type.name, isNonNullType(type.getFields().id.type) && getNamedType(type.getFields().id.type).name]).toEqual([type.name, 'ID']);
    }
  });
});
