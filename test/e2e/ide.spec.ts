import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { chromium, BrowserContext, Page } from 'playwright-core';

// Code run in the page (page.evaluate) sees the browser's globals; the test's tsconfig has no DOM types.
declare const document: { querySelector(selector: string): unknown };
import { graphqlExamples } from '../../src/ide/readme-examples';
import { createPublishedProposal, loginAdmin, makeResident, postComment } from '../support/factories';
import { TestServer } from '../support/test-server';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it); never a browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../test-artifacts');
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** Only this machine: the IDE must load and work with every other host out of reach. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

describe('the front page and the IDE, over HTTP', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('GET / says what the server is in Thai, and links the IDE, the schema, health, the open data and the minutes', async () => {
    const res = await request(api.http).get('/').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('th');
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    const html: string = res.text;
    expect(html).toContain('<html lang="th">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<h1>เซิร์ฟเวอร์การมีส่วนร่วมของประชาชน 50 เขต กรุงเทพมหานคร</h1>');
    expect(html).toContain('<title>การมีส่วนร่วมของประชาชนระดับเขต กรุงเทพมหานคร</title>');
    // One language a page: the English text is on the English page, linked from here.
    expect(html).not.toContain('Bangkok district participation server');
    expect(html).toContain('<a href="/?lang=en" lang="en" hreflang="en">Read this page in English</a>');
    for (const href of ['/graphql', '/schema.graphql', '/health', '/health/ready']) expect(html).toContain(`href="${href}"`);
    expect(html).toContain('<code>/voting-rounds/&#60;id&#62;/results.json</code>');
    expect(html).toContain('<code>/hearings/&#60;id&#62;/minutes.md</code>');
    // No asset from anywhere: no script, stylesheet or image of another host.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('GET / in English for Accept-Language: en or ?lang=en, the same links', async () => {
    const thai = (await request(api.http).get('/')).text;
    for (const res of [await request(api.http).get('/').set('accept-language', 'en-US,en;q=0.9,th;q=0.5'), await request(api.http).get('/?lang=en').set('accept-language', 'th')]) {
      expect(res.headers['content-language']).toBe('en');
      const html: string = res.text;
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('<h1>Bangkok district participation server</h1>');
      expect(html).toContain('<a href="/?lang=th" lang="th" hreflang="th">อ่านหน้านี้เป็นภาษาไทย</a>');
      // Only the link back to the Thai page is in Thai.
      expect(html.replace('อ่านหน้านี้เป็นภาษาไทย', '')).not.toMatch(/[\u0E00-\u0E7F]/);
      const hrefs = (page: string) => [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).filter((href) => !href.startsWith('/?lang='));
      expect(hrefs(html)).toEqual(hrefs(thai));
    }
    // Thai again for ?lang=th, and for a language we do not have.
    for (const res of [await request(api.http).get('/?lang=th').set('accept-language', 'en'), await request(api.http).get('/?lang=fr').set('accept-language', 'de')]) {
      expect(res.text).toContain('<html lang="th">');
    }
  });

  it('serves the schema as SDL at /schema.graphql, the same as the committed schema.gql', async () => {
    const res = await request(api.http).get('/schema.graphql');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(readFileSync(join(__dirname, '../../schema.gql'), 'utf8'));
  });

  it('GET /graphql from a browser is GraphiQL whose every script and style this server serves, with the README examples as tabs', async () => {
    const res = await request(api.http).get('/graphql').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/ide/graphiql.min.css', '/ide/graphiql.min.js', '/ide/react-dom.production.min.js', '/ide/react.production.min.js']);
    for (const asset of assets) {
      const file = await request(api.http).get(asset);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toMatch(asset.endsWith('.css') ? /^text\/css/ : /javascript/);
    }
    const tabs = JSON.parse(/<script type="application\/json" id="ide-tabs">(.*?)<\/script>/s.exec(res.text)![1]) as { query: string }[];
    expect(tabs).toHaveLength(graphqlExamples(README).length);
    expect(tabs[0].query).toContain('mutation SignIn');
    expect((await request(api.http).get('/ide/package.json')).status).toBe(404);
  });

  it('sends no X-Powered-By header', async () => {
    for (const res of [
      await request(api.http).get('/'),
      await request(api.http).get('/health'),
      await request(api.http).get('/graphql').set('accept', 'text/html'),
      await request(api.http).post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' }),
      await request(api.http).get('/no-such-page'),
    ]) {
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('in production', () => {
  it('has no IDE and no schema file unless GRAPHQL_IDE turns them on', async () => {
    const api = await TestServer.start({ env: { NODE_ENV: 'production' } });
    try {
      const ide = await request(api.http).get('/graphql').set('accept', 'text/html');
      expect(ide.headers['content-type']).not.toMatch(/text\/html/);
      expect(ide.text).not.toContain('GraphiQL');
      expect((await request(api.http).get('/ide/graphiql.min.js')).status).toBe(404);
      expect((await request(api.http).get('/schema.graphql')).status).toBe(404);
      const front = await request(api.http).get('/');
      expect(front.status).toBe(200);
      expect(front.text).not.toContain('href="/graphql"');
      expect(front.text).not.toContain('href="/schema.graphql"');
      expect(front.text).toContain('href="/health"');
    } finally {
      await api.stop();
    }
    const on = await TestServer.start({ env: { NODE_ENV: 'production', GRAPHQL_IDE: 'on' } });
    try {
      expect((await request(on.http).get('/graphql').set('accept', 'text/html')).text).toContain('/ide/graphiql.min.js');
      expect((await request(on.http).get('/ide/graphiql.min.js')).status).toBe(200);
      expect((await request(on.http).get('/')).text).toContain('href="/graphql"');
    } finally {
      await on.stop();
    }
  });
});

/**
 * A real headless Chromium with every request to another host refused (and the test failed if one is
 * attempted): the IDE loads, runs a query and a subscription, and leaves a screenshot in test-artifacts/.
 * In CI a missing Chromium fails the suite; elsewhere it is skipped, saying so.
 */
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  describe('the IDE in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(`Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
    });
  });
} else if (!haveChromium) {
  process.stderr.write(`ide.spec: SKIPPING the browser test, Chromium is not at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
}

(haveChromium ? describe : describe.skip)('the IDE in Chromium', () => {
  let api: TestServer;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const refused: string[] = [];

  beforeAll(async () => {
    api = await TestServer.start();
    userDataDir = mkdtempSync(join(tmpdir(), 'dp-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // No wall clock: a step that never happens is ended by jest's test timeout.
    context.setDefaultTimeout(0);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      refused.push(url);
      return route.abort('blockedbyclient');
    });
    await context.routeWebSocket(/.*/, (ws) => {
      if (isLocal(ws.url())) return ws.connectToServer();
      refused.push(ws.url());
      return ws.close();
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await api?.stop();
  });

  /** The text in one of GraphiQL's CodeMirror editors. */
  const editorText = (selector: string) => page.evaluate((s) => (document.querySelector(`${s} .CodeMirror`) as any)?.CodeMirror?.getValue() ?? '', selector);

  /** Puts `query` (one operation, named `name`) in the open tab's editor and presses Run. */
  async function run(name: string, query: string): Promise<void> {
    await page.evaluate((q) => (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue(q), query);
    // GraphiQL reads the edit a moment later (debounced): until the tab is named for the new operation,
    // Run would send the operation name of what was there before.
    await page.waitForFunction((n) => (document.querySelector('.graphiql-tab-active .graphiql-tab-button') as any)?.textContent === n, name);
    // With several operations in the editor the button opens a menu to choose one; it becomes a plain
    // Run button once GraphiQL has read the single operation just put there.
    await page.click('button.graphiql-execute-button:not([aria-haspopup])');
  }

  it('loads from this server alone, runs a query and a subscription, and keeps a screenshot', async () => {
    await page.goto(`${api.url}/graphql`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    // The README's examples are there as tabs, the first open.
    expect(await page.locator('.graphiql-tab').count()).toBe(graphqlExamples(README).length);
    expect(await editorText('.graphiql-query-editor')).toContain('mutation SignIn');

    await run('Districts', 'query Districts { districts { code nameTh nameEn } }');
    await page.waitForFunction(() => ((document.querySelector('.result-window .CodeMirror') as any)?.CodeMirror?.getValue() ?? '').includes('"nameEn"'));
    const result = JSON.parse(await editorText('.result-window'));
    expect(result.errors).toBeUndefined();
    expect(result.data.districts).toHaveLength(50);
    expect(result.data.districts).toContainEqual({ code: '1007', nameTh: 'ปทุมวัน', nameEn: 'Pathum Wan' });

    // A subscription over graphql-ws, started in the IDE; a comment posted through the API arrives in it.
    const admin = await loginAdmin(api);
    const resident = await makeResident(api, admin, '1007');
    const proposalId = await createPublishedProposal(api, resident, { title: 'ไฟส่องทางริมคลอง' });
    await api.listen(() => void run('CommentAdded', `subscription CommentAdded { commentAdded(subjectId: "${proposalId}") { body stance } }`), 1);
    await postComment(api, resident, proposalId, { body: 'เห็นด้วยครับ ทางมืดมาก', stance: 'FOR' });
    await page.waitForFunction(() => ((document.querySelector('.result-window .CodeMirror') as any)?.CodeMirror?.getValue() ?? '').includes('เห็นด้วยครับ'));
    const event = JSON.parse(await editorText('.result-window'));
    expect(event.errors).toBeUndefined();
    expect(event.data).toEqual({ commentAdded: { body: 'เห็นด้วยครับ ทางมืดมาก', stance: 'FOR' } });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ide.png'), fullPage: true });
    expect(refused).toEqual([]);
  });
});
