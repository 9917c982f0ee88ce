import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { TestServer } from '../support/test-server';
import { Answer, Operation, send, TRANSPORTS, WsSession } from '../support/transports';

/** The series of /metrics (name and labels), without their values and without Node's own. */
async function series(api: TestServer): Promise<Set<string>> {
  const text = (await request(api.http).get('/metrics')).text;
  return new Set(text.split('\n').filter((line) => line.startsWith('graphql_')).map((line) => line.replace(/ [^ ]+$/, '')));
}

describe('/metrics under client-chosen names', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it('labels requests by root field, so 2,000 operations named Op_<random> over both transports add no series', async () => {
    const shapes = [
      (name: string) => `query ${name} { __typename }`,
      (name: string) => `query ${name} { district(code: "1001") { code } }`,
      (name: string) => `query ${name} { ...Root } fragment Root on Query { districts { code } }`,
      (name: string) => `query ${name} { nope }`,
    ];
    // Every shape once, so that its series exist before counting.
    for (const shape of shapes) await send(api, 'http', { query: shape('Warmup'), operationName: 'Warmup' });
    const before = await series(api);

    const ws = await WsSession.open(api);
    const names: string[] = [];
    for (const transport of TRANSPORTS) {
      for (let batch = 0; batch < 20; batch++) {
        const sent: Promise<Answer>[] = [];
        for (let i = 0; i < 50; i++) {
          const name = `Op_${randomBytes(8).toString('hex')}`;
          names.push(name);
          const operation: Operation = { query: shapes[i % shapes.length](name), operationName: name };
          sent.push(transport === 'http' ? send(api, 'http', operation) : ws.send(operation));
        }
        for (const answer of await Promise.all(sent)) expect(answer.closed).toBeUndefined();
      }
    }
    ws.close();
    expect(names).toHaveLength(2000);

    const after = await series(api);
    expect([...after].filter((s) => !before.has(s))).toEqual([]);
    const text = (await request(api.http).get('/metrics')).text;
    expect(text).not.toMatch(/Op_|Warmup/);
    expect(text).toMatch(/^graphql_requests_total\{field="district",type="query",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^graphql_requests_total\{field="districts",type="query",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^graphql_requests_total\{field="none",type="none",outcome="error"\} [1-9]/m);
  });
});
