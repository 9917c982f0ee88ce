import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runExample } from '../../examples/client/scenario';
import { createPublishedProposal, register } from '../support/factories';
import { TestServer } from '../support/test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GENERATED_FILE, generateClientTypes } = require('../../examples/client/codegen.js') as { GENERATED_FILE: string; generateClientTypes: () => Promise<string> };

const ROOT = join(__dirname, '../..');

/**
 * The example client under examples/client is what a client developer starts from: typed documents
 * generated from schema.gql, run against a started server. So the schema stays usable by generated
 * clients: an operation the schema no longer accepts fails codegen, a type the client relied on fails
 * its compile, a changed behaviour fails its run.
 */
describe('the example client (examples/client)', () => {
  it('has typed documents generated from the current schema.gql (npm run example:codegen)', async () => {
    expect(await generateClientTypes()).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('compiles against its generated types', async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'examples/client'), '--noEmit'], { cwd: ROOT });
  });

  describe('run against a started server', () => {
    let api: TestServer;
    beforeAll(async () => {
      api = await TestServer.start();
    });
    afterAll(() => api.stop());

    it('signs up, queries, is refused with a code, creates, hears its subscription and pages through a list', async () => {
      const { districts } = await api.ok<{ districts: { code: string }[] }>('{ districts { code } }');
      // Four published plans of others in the first district, so the example's pages of two are several.
      const neighbour = await register(api);
      for (let i = 0; i < 4; i++) await createPublishedProposal(api, neighbour, { districtCode: districts[0].code });

      const run = await runExample(`${api.url}/graphql`, () => api.listen(() => undefined, 1));

      expect(run.displayName).toBe('สมชาย ใจดี');
      expect(run.district.code).toBe(districts[0].code);
      expect(run.refusedCode).toBe('BAD_USER_INPUT');
      expect(run.proposal.status).toBe('DRAFT');
      expect(run.event).toEqual({ kind: 'STATUS_CHANGED', status: 'PUBLISHED' });
      expect(run.totalCount).toBe(5);
      expect(run.listed).toBe(5);
      expect(run.pages).toBe(3);
    });
  });
});
