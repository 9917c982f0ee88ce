import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, isNonNullType, isObjectType } from 'graphql';
import request from 'supertest';
import { isRefusable } from '../../src/common/graphql/refusable-fields';
import { Account, createPublishedProposal, loginAdmin, makeHost, makeResident, postComment, register, requestResidency, reviewResidency } from '../support/factories';
import { hearingInput, registerFor, scheduleHearing } from '../support/hearings';
import { FullSelection } from '../support/selections';
import { TestServer } from '../support/test-server';

describe('GraphQL conventions', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1005');
    // 30 residency requests in district 1005, every third one reviewed.
    for (let i = 0; i < 30; i++) {
      const person = await register(api, { displayName: `Bang Khen resident ${i}` });
      const id = await requestResidency(api, person, '1005', `House ${i}`);
      if (i % 3 === 0) await reviewResidency(api, host, id, 'APPROVE');
    }
  });
  afterAll(() => api.stop());

  const PAGE = `query($first: Int, $after: String) {
    residencyRequests(districtCode: "1005", first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id status district { nameEn hosts { displayName } } user { displayName hostedDistricts { code } residency { status } residentDistrict { code } } reviewedBy { displayName } } }
    }
  }`;

  it('shapes every connection in the schema as Relay does: edges, nodes, pageInfo, first/after/last/before', () => {
    const schema = api.server.app.get(GraphQLSchemaHost).schema;
    const types = Object.values(schema.getTypeMap()).filter(isObjectType);
    const connections = types.filter((t) => t.name.endsWith('Connection'));
    expect(connections.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const connection of connections) {
      const fields = connection.getFields();
      const edge = fields.edges && getNamedType(fields.edges.type);
      if (!edge || !isObjectType(edge) || !edge.getFields().cursor || !edge.getFields().node) problems.push(`${connection.name}.edges is not a list of { cursor node }`);
      else if (!fields.nodes || String(fields.nodes.type) !== `[${edge.getFields().node.type}]!`) problems.push(`${connection.name}.nodes is not a list of the edges' nodes`);
      if (String(fields.pageInfo?.type) !== 'PageInfo!') problems.push(`${connection.name}.pageInfo is not PageInfo!`);
    }
    const pageInfo = schema.getType('PageInfo');
    expect(isObjectType(pageInfo) && Object.keys(pageInfo.getFields()).sort()).toEqual(['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor']);
    for (const type of types) {
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        const args = Object.fromEntries(field.args.map((a) => [a.name, String(a.type)]));
        for (const [name, argType] of [['first', 'Int'], ['after', 'String'], ['last', 'Int'], ['before', 'String']]) {
          if (args[name] !== argType) problems.push(`${type.name}.${field.name} lacks ${name}: ${argType}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('counts the whole list only when totalCount is asked for', async () => {
    const list = (fields: string) => api.countQueries(() => api.ok(`{ residencyRequests(districtCode: "1005", first: 5) { ${fields} } }`, {}, host.token));
    const withTotal = await list('totalCount edges { node { id } }');
    const without = await list('edges { node { id } }');
    expect(withTotal - without).toBe(1);
  });

  it('pages through a connection with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: any = await api.ok(PAGE, { first: 7, after }, host.token);
      const connection = data.residencyRequests;
      expect(connection.totalCount).toBe(30);
      seen.push(...connection.edges.map((e: any) => e.node.id));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  const BACKWARDS = `query($last: Int, $before: String) {
    residencyRequests(districtCode: "1005", last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
      nodes { id }
    }
  }`;

  it('pages backwards with last/before, without gaps or repeats, in the same order as forwards', async () => {
    const forwards = (await api.ok(`{ residencyRequests(districtCode: "1005", first: 100) { nodes { id } } }`, {}, host.token)).residencyRequests.nodes.map((n: any) => n.id);
    const pages: string[][] = [];
    let before: string | null = null;
    for (;;) {
      const data: any = await api.ok(BACKWARDS, { last: 7, before }, host.token);
      const connection = data.residencyRequests;
      const ids = connection.edges.map((e: any) => e.node.id);
      pages.unshift(ids);
      // Relay: paging backwards, hasPreviousPage says whether more lie before; hasNextPage that the pages already read follow.
      expect(connection.pageInfo.hasNextPage).toBe(before !== null);
      expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
      expect(connection.pageInfo.endCursor).toBe(connection.edges[ids.length - 1].cursor);
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 7, 7, 7, 7]);
    expect(pages.flat()).toEqual(forwards);
  });

  it('gives PageInfo its four fields and nodes beside edges, on forward pages too', async () => {
    const first: any = (await api.ok(`query($after: String) { residencyRequests(districtCode: "1005", first: 10, after: $after) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id status } } nodes { id status } } }`, {}, host.token)).residencyRequests;
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0].cursor, endCursor: first.edges[9].cursor });
    expect(first.nodes).toEqual(first.edges.map((e: any) => e.node));
    const second: any = (await api.ok(`query($after: String) { residencyRequests(districtCode: "1005", first: 10, after: $after) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } }`, { after: first.pageInfo.endCursor }, host.token)).residencyRequests;
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    // The page before the second page's start is the first page.
    const back: any = (await api.ok(BACKWARDS, { last: 10, before: second.pageInfo.startCursor }, host.token)).residencyRequests;
    expect(back.nodes).toEqual(first.nodes.map((n: any) => ({ id: n.id })));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // An empty page has no cursors.
    const none: any = (await api.ok(`{ residencyRequests(districtCode: "1005", status: REJECTED, last: 5) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } }`, {}, host.token)).residencyRequests;
    expect(none).toEqual({ pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, nodes: [] });
  });

  it('refuses pages larger than 100, empty pages, first with last, and foreign cursors with BAD_USER_INPUT', async () => {
    const ANY = `query($first: Int, $after: String, $last: Int, $before: String) {
      residencyRequests(districtCode: "1005", first: $first, after: $after, last: $last, before: $before) { nodes { id } }
    }`;
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 101 }, 'first'],
      [{ first: 0 }, 'first'],
      [{ first: -5 }, 'first'],
      [{ last: 101 }, 'last'],
      [{ last: 0 }, 'last'],
      [{ first: 5, last: 5 }, 'last'],
      [{ after: 'bm90LWEtY3Vyc29y' }, 'after'],
      [{ after: '!!!' }, 'after'],
      [{ last: 5, before: 'bm90LWEtY3Vyc29y' }, 'before'],
    ];
    for (const [variables, field] of cases) {
      const res = await api.gql(ANY, variables, host.token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field }] });
    }
  });

  it('loads a page with its relations in a bounded number of SQL queries, whatever its size', async () => {
    const small = await api.countQueries(() => api.ok(PAGE, { first: 3 }, host.token));
    const large = await api.countQueries(() => api.ok(PAGE, { first: 30 }, host.token));
    // Authentication, count, page, then one batch per relation: not one per item.
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(10);
  });

  it('resolves global ids with node(), hiding what the caller may not see', async () => {
    const person = await register(api);
    const stranger = await register(api);
    const residencyId = await requestResidency(api, person, '1005');
    const query = `query($id: ID!) { node(id: $id) { id __typename ... on Residency { status } } }`;
    expect((await api.ok(query, { id: residencyId }, person.token)).node).toEqual({ id: residencyId, __typename: 'Residency', status: 'PENDING' });
    expect((await api.ok(query, { id: residencyId }, host.token)).node.status).toBe('PENDING');
    expect((await api.ok(query, { id: residencyId }, admin.token)).node.status).toBe('PENDING');
    expect((await api.ok(query, { id: residencyId }, stranger.token)).node).toBeNull();
    expect((await api.ok(query, { id: residencyId })).node).toBeNull();
    expect((await api.ok(query, { id: person.id })).node).toEqual({ id: person.id, __typename: 'User' });
    // What is not a node's id at all is the client's mistake, said as such (as every field that takes an id says it).
    for (const garbage of ['', 'xyz', 'VXNlcjpub3QtYS11dWlk', '<script>alert(1)</script>', 'A'.repeat(5000)]) {
      expect((await api.gql(query, { id: garbage })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'id' }] });
    }
  });

  it('refuses an id of the wrong type with BAD_USER_INPUT', async () => {
    const res = await api.gql(`mutation($id: ID!) { reviewResidency(input: { residencyId: $id, decision: APPROVE }) { residency { id } } }`, { id: admin.id }, admin.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.residencyId', message: expect.any(String) }] });
  });

  it('serves DateTime as ISO 8601', async () => {
    const data = await api.ok(`{ me { createdAt } }`, {}, admin.token);
    expect(data.me.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('answers broken requests with a code and no stack trace, and keeps serving', async () => {
    const http = api.http;
    const malformed = await request(http).post('/graphql').set('content-type', 'application/json').send('{"query": "{ districts { code }');
    expect(malformed.status).toBe(400);
    expect(malformed.text).not.toMatch(/\s+at \S+ \(/);

    const parse = await api.gql('{ districts { code ');
    expect(parse.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await api.gql('{ districts { secret } }');
    expect(unknownField.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wrongVariable = await api.gql('query($c: String!) { district(code: $c) { code } }', { c: 1234 });
    expect(wrongVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    for (const res of [parse, unknownField, wrongVariable]) expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|\s+at \S+ \(/);

    // CSRF prevention: a simple cross-site request (no JSON content type, no preflight) is refused.
    const csrf = await request(http).get('/graphql').query({ query: '{ districts { code } }' });
    expect(csrf.status).toBe(400);

    expect((await api.ok('{ district(code: "1001") { code } }')).district.code).toBe('1001');
  });

  it('tags every response with a request id, quoted in errors', async () => {
    const res = await request(api.http).post('/graphql').set('content-type', 'application/json').set('x-request-id', 'support-ticket-12345').send({ query: '{ me { id } }' });
    expect(res.headers['x-request-id']).toBe('support-ticket-12345');
    // No ETag on an answer to a POST: no request can be answered 304 with it (server.ts).
    expect(res.headers.etag).toBeUndefined();
    const bad = await request(api.http).post('/graphql').set('content-type', 'application/json').set('authorization', 'Bearer nope').send({ query: '{ me { id } }' });
    expect(bad.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: bad.headers['x-request-id'] });
  });

  it('makes every field marked @Refusable() nullable, so that one refusal never erases its parent', () => {
    const schema = api.server.app.get(GraphQLSchemaHost).schema;
    const marked: string[] = [];
    const problems: string[] = [];
    for (const type of Object.values(schema.getTypeMap()).filter(isObjectType)) {
      for (const field of Object.values(type.getFields())) {
        if (!isRefusable(field)) continue;
        marked.push(`${type.name}.${field.name}`);
        if (isNonNullType(field.type)) problems.push(`${type.name}.${field.name} is refusable but non-null`);
      }
    }
    expect(marked).toContain('Hearing.registrations');
    expect(problems).toEqual([]);
  });

  it('answers every field reachable from proposals to anonymous, resident, stranger and host, refusals only on marked fields', async () => {
    const district = '1007';
    const districtHost = await makeHost(api, admin, district);
    const author = await makeResident(api, admin, district);
    const resident = await makeResident(api, admin, district);
    const stranger = await register(api);
    const proposalId = await createPublishedProposal(api, author, { title: 'Canal lamps, with a hearing' });
    await postComment(api, resident, proposalId, { body: 'Yes, the lamps near Soi 12 are out', stance: 'FOR' });
    const hearing = await scheduleHearing(api, districtHost, hearingInput(district, [{ title: 'Canal lamps', proposalId }]));
    await registerFor(api, resident, hearing.id);

    // Generated from the schema: a field added below Proposal is selected here without anyone editing this.
    const schema = api.server.app.get(GraphQLSchemaHost).schema;
    const selection = new FullSelection(schema);
    const fragment = selection.fragment('Proposal', 4);
    const query = `query($d: String!) { proposals(first: 3, filter: { districtCode: $d }) { nodes { ...${fragment} } } }\n${selection.definitions(fragment)}`;
    const refusableAt = (path: readonly (string | number)[]) => {
      // The path's field names (list indexes and the connection's own fields skipped) walked from Proposal.
      let type = schema.getType('Proposal');
      let field;
      for (const key of path.slice(3)) {
        if (typeof key === 'number' || !isObjectType(type)) continue;
        field = type.getFields()[key];
        type = field && getNamedType(field.type);
      }
      return !!field && isRefusable(field);
    };
    for (const [role, token] of [['anonymous', undefined], ['resident', resident.token], ['stranger', stranger.token], ['host', districtHost.token]] as const) {
      const res = await api.gql(query, { d: district }, token);
      expect({ role, proposals: res.data?.proposals?.nodes.map((p: any) => p.title) }).toEqual({ role, proposals: ['Canal lamps, with a hearing'] });
      const problems = (res.errors ?? []).filter((e) => !(['FORBIDDEN', 'UNAUTHENTICATED'].includes(e.extensions?.code ?? '') && refusableAt(e.path ?? [])));
      expect({ role, problems }).toEqual({ role, problems: [] });
      const hearingSeen = res.data!.proposals.nodes[0].hearings[0];
      expect({ role, registrations: hearingSeen.registrations?.length ?? null }).toEqual({ role, registrations: role === 'host' ? 1 : null });
    }
  });
});
