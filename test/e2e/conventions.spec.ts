import request from 'supertest';
import { Account, loginAdmin, makeHost, register, requestResidency, reviewResidency } from '../support/factories';
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

  it('refuses pages larger than 100, empty pages and foreign cursors with BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 101 }, { first: 0 }, { first: -5 }, { after: 'bm90LWEtY3Vyc29y' }, { after: '!!!' }]) {
      const res = await api.gql(PAGE, variables, host.token);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
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
    const bad = await request(api.http).post('/graphql').set('content-type', 'application/json').set('authorization', 'Bearer nope').send({ query: '{ me { id } }' });
    expect(bad.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: bad.headers['x-request-id'] });
  });
});
