import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ArgumentNode, getNamedType, GraphQLSchema, ObjectFieldNode, Kind, print, TypeInfo, validate, visit, visitWithTypeInfo } from 'graphql';
import { isUuid, parseGlobalId } from '../../src/common/relay/global-id';
import { graphqlExamples, operationsOf, withOperationNames } from '../../src/ide/readme-examples';
import { Account, loginAdmin, makeHost, makeResident } from '../support/factories';
import { TestServer } from '../support/test-server';

/**
 * Every ```graphql example of the README, run in the README's order against one server, as a story: the
 * conventions are the README's ("Examples are tested", under "Using the API"). Nothing here knows any
 * one example: change the README and this runs what it says.
 */
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const EXAMPLES = graphqlExamples(README);

/** `xxxId` arguments whose type is not `Xxx`. */
const ID_TYPES: Record<string, string[]> = {
  round: ['VotingRound'],
  option: ['VotingOption'],
  subject: ['Proposal', 'Hearing'],
  parent: ['Comment'],
  item: ['AgendaItem'],
  request: ['SpeakerRequest'],
};

const pascal = (words: string) => words.replace(/(?:^|\s+)(\w)/g, (_, c: string) => c.toUpperCase());
const camel = (words: string) => pascal(words).replace(/^\w/, (c) => c.toLowerCase());

describe('README examples', () => {
  let api: TestServer;
  let schema: GraphQLSchema;
  const accounts = new Map<string, Account | null>();
  /** Every scalar seen in an answer, by its field name, oldest first. */
  const values = new Map<string, unknown[]>();
  /** Every global id seen (in answers, and of the accounts made for the story), oldest first. */
  const ids: { type: string; id: string }[] = [];

  function remember(value: unknown, key?: string): void {
    if (Array.isArray(value)) return value.forEach((v) => remember(v, key));
    if (value && typeof value === 'object') return Object.entries(value).forEach(([k, v]) => remember(v, k));
    if (key === undefined || value === null) return;
    values.set(key, [...(values.get(key) ?? []), value]);
    const parsed = typeof value === 'string' ? parseGlobalId(value) : null;
    if (parsed && isUuid(parsed.id)) ids.push({ type: parsed.type, id: value as string });
  }

  beforeAll(async () => {
    api = await TestServer.start();
    schema = api.server.app.get(GraphQLSchemaHost).schema;
    const admin = await loginAdmin(api);
    accounts.set('anyone', null);
    accounts.set('admin', admin);
    accounts.set('host', await makeHost(api, admin, '1007'));
    for (const n of [1, 2, 3]) accounts.set(`resident ${n}`, await makeResident(api, admin, '1007'));
    for (const account of accounts.values()) if (account) ids.push({ type: 'User', id: account.id });
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** `# as a host of district 1007 (...)` → `host`; `# as resident 2` → `resident 2`; `# as the new account`. */
  function accountNamed(words: string): Account | null {
    const who = words.toLowerCase();
    if (who.startsWith('the new account')) {
      const token = values.get('accessToken')?.at(-1) as string | undefined;
      if (!token) throw new Error('"as the new account": no accessToken in an answer before');
      return { id: '', email: '', token, refreshToken: '' };
    }
    for (const [name, account] of accounts) if (who === name || who.startsWith(`${name} `) || (name === 'resident 1' && who === 'resident')) return account;
    throw new Error(`no account "${words}" (anyone, admin, host, resident 1..3, the new account)`);
  }

  /** The `count`-th most recent distinct id of one of `types`. */
  function latestId(types: string[], count: number, what: string): string {
    const distinct = [...new Set(ids.filter((i) => types.includes(i.type)).map((i) => i.id).reverse())];
    if (!distinct[count]) throw new Error(`${what}: no ${count + 1} ${types.join('/')} id(s) seen before`);
    return distinct[count];
  }

  /** The operation with each `"<...>"` replaced by a value the story has (see README, "Examples are tested"). */
  function filled(source: string): string {
    const document = (() => {
      const { operation } = operationsOf(source)[0];
      return { kind: Kind.DOCUMENT, definitions: [operation] } as const;
    })();
    const typeInfo = new TypeInfo(schema);
    const seen = new Map<string, number>();
    const result = visit(
      document,
      visitWithTypeInfo(typeInfo, {
        StringValue(node, _key, parent, _path, ancestors) {
          const placeholder = /^<(.+)>$/.exec(node.value)?.[1];
          if (!placeholder) return undefined;
          const holder = [...ancestors, parent ?? []].reverse().find((a): a is ArgumentNode | ObjectFieldNode => 'kind' in a && (a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD));
          const name = holder?.name.value ?? '';
          const occurrence = `${name}:${placeholder}`;
          const nth = seen.get(occurrence) ?? 0;
          seen.set(occurrence, nth + 1);
          const value = (() => {
            if (placeholder === 'uuid') return randomUUID();
            const byName = placeholder === 'id' || / id$/.test(placeholder) ? undefined : values.get(camel(placeholder));
            if (byName?.length) return byName.at(-1);
            const idOf = / id$/.exec(placeholder) ? placeholder.replace(/ id$/, '') : placeholder === 'id' ? name.replace(/Ids?$/, '') : undefined;
            if (idOf === undefined) throw new Error(`"<${placeholder}>" in ${name}: no value of that name seen before`);
            if (idOf === 'id' || idOf === '') {
              const returned = getNamedType(typeInfo.getFieldDef()?.type);
              return latestId([returned?.name ?? '?'], nth, `"<${placeholder}>" in ${name}`);
            }
            return latestId(ID_TYPES[camel(idOf)] ?? [pascal(idOf)], nth, `"<${placeholder}>" in ${name}`);
          })();
          return { ...node, value: String(value) };
        },
      }),
    );
    return print(result);
  }

  it('finds GraphQL examples in the README', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });

  it('runs the README\'s curl examples of /graphql (their -d body, as curl sends it)', async () => {
    // `curl ... localhost:3000/graphql ... -d '<json>'`, over lines joined by a trailing backslash.
    const commands = README.replace(/\\\n\s*/g, ' ').split('\n').filter((line) => /^curl .*localhost:3000\/graphql/.test(line));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const body = /-d '([^']*)'/.exec(command)?.[1];
      expect(body).toBeDefined();
      const { query, variables } = JSON.parse(body!);
      const res = await api.gql(query, variables);
      expect(res.errors).toBeUndefined();
      expect(res.status).toBe(200);
    }
  });

  for (const example of EXAMPLES) {
    const notRun = /\bnot run: (.+)$/.exec(example.directive ?? '')?.[1];
    if (notRun) {
      // Still held to the schema: a renamed field or argument fails here.
      it(`checks the example at README.md:${example.line} (${example.heading}) against the schema (not run: ${notRun})`, () => {
        const problems = operationsOf(withOperationNames(example.text)).flatMap(({ operation }) =>
          validate(schema, { kind: Kind.DOCUMENT, definitions: [operation] }).map((e) => `${operation.name?.value}: ${e.message}`),
        );
        expect(problems).toEqual([]);
      });
      continue;
    }
    it(`runs the example at README.md:${example.line} (${example.heading}) without errors`, async () => {
      const named = withOperationNames(example.text);
      const defaultWho = /\bas ([\w ]+?)\s*(?:;|$)/.exec(example.directive ?? '')?.[1] ?? 'resident 1';
      let account = accountNamed(defaultWho);
      const failures: string[] = [];
      for (const { operation, source } of operationsOf(named)) {
        const who = [...source.matchAll(/^\s*#\s*as (?:an? |the )?([^(:\n]+)/gm)].at(-1)?.[1].trim();
        if (who) account = accountNamed(who === 'new account' ? 'the new account' : who);
        let query: string;
        try {
          query = filled(source);
        } catch (error) {
          failures.push(`${operation.name?.value}: ${(error as Error).message}`);
          continue;
        }
        const res = await api.gql(query, undefined, account?.token);
        if (res.errors?.length) failures.push(`${operation.name?.value}: ${JSON.stringify(res.errors.map((e) => ({ message: e.message, code: e.extensions?.code })))}`);
        remember(res.data);
      }
      expect(failures).toEqual([]);
    });
  }
});
