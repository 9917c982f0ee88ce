import { TestServer } from '../support/test-server';
import { Operation, TRANSPORTS, WsSession, send } from '../support/transports';

/** Variables that do not fit their declared types: refused before execution, as the client's mistake. */
const CASES: [string, Operation][] = [
  ['a wrong enum value', { query: 'query($o: ProposalOrder) { proposals(orderBy: $o, first: 1) { totalCount } }', variables: { o: 'NEWES' } }],
  ['"abc" for Int!', { query: 'query($n: Int!) { proposals(first: $n) { totalCount } }', variables: { n: 'abc' } }],
  ['a missing required variable', { query: 'query($d: String!) { district(code: $d) { code } }', variables: {} }],
  ['null for a required variable', { query: 'query($d: String!) { district(code: $d) { code } }', variables: { d: null } }],
  ['an object for a String', { query: 'query($d: String!) { district(code: $d) { code } }', variables: { d: { code: '1001' } } }],
  ['an unknown input field', { query: 'query($f: ProposalFilter) { proposals(filter: $f) { totalCount } }', variables: { f: { districtCode: '1001', nope: 1 } } }],
];

describe('bad variables, the same answer on both transports', () => {
  let api: TestServer;
  const lines: Record<string, any>[] = [];
  beforeAll(async () => {
    api = await TestServer.start({ log: (line) => lines.push(JSON.parse(line)) });
  });
  afterAll(() => api.stop());

  it.each(TRANSPORTS)('answers BAD_USER_INPUT over %s, and logs nothing at error level', async (transport) => {
    lines.length = 0;
    const ws = transport === 'ws' ? await WsSession.open(api) : undefined;
    for (const [what, operation] of CASES) {
      const answer = ws ? await ws.send(operation) : await send(api, transport, operation);
      expect({ what, code: answer.errors?.[0].extensions?.code, data: answer.data ?? null, closed: answer.closed }).toEqual({ what, code: 'BAD_USER_INPUT', data: null, closed: undefined });
      expect(answer.errors?.[0].message).toMatch(/^Variable "\$\w+"/);
    }
    // Which operation to run is the client's to say, on both transports alike.
    for (const operationName of [undefined, 'C']) {
      const operation = { query: 'query A { __typename } query B { __typename }', operationName };
      const answer = ws ? await ws.send(operation) : await send(api, transport, operation);
      expect({ operationName, code: answer.errors?.[0].extensions?.code }).toEqual({ operationName, code: 'OPERATION_RESOLUTION_FAILURE' });
    }
    // The socket stays usable.
    expect((await (ws ? ws.send({ query: '{ district(code: "1001") { code } }' }) : send(api, transport, { query: '{ district(code: "1001") { code } }' }))).data?.district.code).toBe('1001');
    ws?.close();
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
