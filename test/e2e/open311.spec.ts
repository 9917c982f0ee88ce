import { Client } from 'pg';
import request from 'supertest';
import { DOMAIN_TABLES, tableFingerprint } from '../support/fingerprint';
import { Account, loginAdmin, makeHost, PHRA_ATHIT, register, reportInput, submitReport } from '../support/factories';
import { uploadPhoto } from '../support/images';
import { TestServer } from '../support/test-server';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) as a 311 client and an analysis tool
 * speak it: field names and types of the specification, its error shape (an array of { code, description }
 * with the HTTP status), keys on POST, the status mapping, and no personal data in any answer.
 */

const SERVICE_FIELDS = ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'];
const REQUEST_FIELDS = [
  'address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime',
  'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode',
].sort();
/** ISO 8601 with a time zone, as the specification requires. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ISSUE = `mutation($i: IssueOpen311KeyInput!) { issueOpen311Key(input: $i) { apiKey key { id name contact createdAt revokedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeOpen311Key(input: { open311KeyId: $id }) { key { id revokedAt } } }`;

/** Private details that must never appear in an Open311 answer. */
const CALLER = { name: 'ป้าสมศรี ริมคลอง', phone: '081-234-5678' };
const CLIENT_PERSON = { first_name: 'Somchai', last_name: 'Jaidee', phone: '+66 89 765 4321', email: 'somchai.private@example.org' };

describe('Open311 GeoReport v2', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let reporter: Account;
  /** Every Open311 answer body, checked at the end for personal data. */
  const answers: string[] = [];

  const remember = (res: request.Response) => {
    answers.push(res.text ?? '');
    return res;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => remember(await request(api.http).get(`/open311/v2/${path}`).set(headers));
  const postForm = async (fields: Record<string, string>, query = '') => remember(await request(api.http).post(`/open311/v2/requests.json${query}`).type('form').send(fields));
  const postJson = async (body: Record<string, unknown>) => remember(await request(api.http).post('/open311/v2/requests.json').set('content-type', 'application/json').send(body));
  const issueKey = async (name = 'แอปเขตพระนคร') => (await api.ok(ISSUE, { i: { name, contact: 'dev-team@app.example' } }, admin.token)).issueOpen311Key;
  const valid = (apiKey: string, overrides: Record<string, string> = {}) => ({
    api_key: apiKey,
    service_code: 'STREET_LIGHTS',
    lat: String(PHRA_ATHIT.latitude),
    long: String(PHRA_ATHIT.longitude),
    description: 'ไฟถนนดับหน้าท่าเรือพระอาทิตย์ มืดมาก',
    address_string: 'ถนนพระอาทิตย์',
    district_code: '1001',
    ...overrides,
  });
  const fingerprint = () => tableFingerprint(db, DOMAIN_TABLES);
  const expectErrors = (res: request.Response, status: number, ...described: RegExp[]) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.length).toBeGreaterThan(0);
    for (const error of res.body) {
      expect(Object.keys(error).sort()).toEqual(['code', 'description']);
      expect(error.code).toBe(status);
      expect(typeof error.description).toBe('string');
    }
    for (const pattern of described) expect(res.body.map((e: any) => e.description).join('\n')).toMatch(pattern);
  };

  beforeAll(async () => {
    api = await TestServer.start({ env: { OPEN311_REPORTS_PER_HOUR: '3' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1001');
    reporter = await register(api, { displayName: 'Private Reporter Person' });
  });
  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  describe('services', () => {
    it('lists the report categories as services, with the specification’s fields and types, in Thai by default', async () => {
      const res = await get('services.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      expect(res.body.map((s: any) => s.service_code)).toContain('FLOODING_AND_DRAINAGE');
      for (const service of res.body) {
        expect(Object.keys(service).sort()).toEqual(SERVICE_FIELDS);
        expect(service).toEqual({ service_code: expect.any(String), service_name: expect.any(String), description: expect.any(String), metadata: false, type: 'realtime', keywords: expect.any(String), group: expect.any(String) });
      }
      expect(res.body.find((s: any) => s.service_code === 'FLOODING_AND_DRAINAGE').service_name).toBe('น้ำท่วมและการระบายน้ำ');
    });

    it('names them in English with ?locale=en, ?lang=en or Accept-Language', async () => {
      for (const [path, headers] of [['services.json?locale=en', {}], ['services.json?lang=en', {}], ['services.json', { 'accept-language': 'en-GB,en;q=0.9' }]] as const) {
        const res = await get(path, headers);
        expect(res.body.find((s: any) => s.service_code === 'FLOODING_AND_DRAINAGE').service_name).toBe('Flooding and drainage');
      }
    });

    it('defines a service with no extra attributes; an unknown one is 404 in the error shape', async () => {
      const res = await get('services/STREET_LIGHTS.json');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ service_code: 'STREET_LIGHTS', attributes: [] });
      expectErrors(await get('services/NOT_A_SERVICE.json'), 404, /NOT_A_SERVICE/);
      expectErrors(await get('services/STREET_LIGHTS.json?locale=en'.replace('STREET_LIGHTS', 'BOATS')), 404, /There is no service BOATS/);
    });

    it('answers .xml with an XML error saying only JSON is served, and unknown paths with 404', async () => {
      for (const path of ['services.xml', 'services/ROADS.xml', 'requests.xml', 'requests/abc.xml']) {
        const res = await get(`${path}?locale=en`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^text\/xml/);
        expect(res.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>400<\/code><description>Only JSON is served/);
      }
      const posted = remember(await request(api.http).post('/open311/v2/requests.xml').type('form').send({ api_key: 'x' }));
      expect(posted.status).toBe(400);
      expectErrors(await get('services.csv'), 404);
      expectErrors(await get('discovery.json'), 404);
      expectErrors(await get('requests/a/b.json'), 404);
    });
  });

  describe('POST requests.json', () => {
    it('needs a key: none is 401, a wrong one 403, and nothing is stored', async () => {
      const before = await fingerprint();
      const { api_key: _none, ...withoutKey } = valid('');
      expectErrors(await postForm(withoutKey), 401, /api_key/);
      expectErrors(await postForm(valid('not-a-key')), 403, /api_key/);
      expectErrors(await postJson(valid('x'.repeat(500))), 403);
      // A body that is not JSON, and one too large, in the same shape (refused before the endpoint runs).
      expectErrors(remember(await request(api.http).post('/open311/v2/requests.json?locale=en').set('content-type', 'application/json').send('{"api_key": ')), 400, /not JSON|JSON/);
      expectErrors(remember(await request(api.http).post('/open311/v2/requests.json').set('content-type', 'application/json').send(JSON.stringify({ description: 'x'.repeat(2_000_000) }))), 413);
      expect(await fingerprint()).toEqual(before);
    });

    it('files a report from a form-encoded body, as 311 clients send it: channel APP, the key recorded, no account behind it', async () => {
      const { apiKey, key } = await issueKey();
      const res = await postForm(valid(apiKey, CLIENT_PERSON));
      expect(res.status).toBe(201);
      expect(res.body).toEqual([{ service_request_id: expect.any(String), service_notice: null, account_id: null }]);
      const id = res.body[0].service_request_id;
      // The same id as GraphQL's.
      const read = (await api.ok(`query($id: ID!) { report(id: $id) { id status channel kind category { code } district { code } place { address } caller { name phone } } }`, { id }, host.token)).report;
      expect(read).toEqual({ id, status: 'RECEIVED', channel: 'APP', kind: 'COMPLAINT', category: { code: 'STREET_LIGHTS' }, district: { code: '1001' }, place: { address: 'ถนนพระอาทิตย์' }, caller: { name: 'Somchai Jaidee', phone: '+66 89 765 4321' } });
      const row = (await db.query(`SELECT reporter_id, filed_by_id, open311_key_id, caller_name FROM reports WHERE open311_key_id IS NOT NULL AND caller_name = 'Somchai Jaidee'`)).rows[0];
      expect(row).toEqual({ reporter_id: null, filed_by_id: null, open311_key_id: Buffer.from(key.id, 'base64url').toString().split(':')[1], caller_name: 'Somchai Jaidee' });
      // The email is not kept anywhere.
      expect(JSON.stringify((await db.query(`SELECT r.*, t.* FROM reports r JOIN report_transitions t ON t.report_id = r.id WHERE r.caller_name = 'Somchai Jaidee'`)).rows)).not.toContain(CLIENT_PERSON.email);
      // The caller is the district's staff's only, as a 1555 caller's.
      const publicView = await api.gql(`query($id: ID!) { report(id: $id) { caller { name } } }`, { id }, reporter.token);
      expect(publicView.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it('files a report from a JSON body, numbers as numbers; without a phone no caller is kept', async () => {
      const { apiKey } = await issueKey();
      const res = await postJson({ ...valid(apiKey), lat: PHRA_ATHIT.latitude, long: PHRA_ATHIT.longitude, first_name: 'Nobody', service_code: 'WASTE' });
      expect(res.status).toBe(201);
      const got = (await get(`requests/${res.body[0].service_request_id}.json`)).body[0];
      expect(got).toMatchObject({ service_code: 'WASTE', lat: PHRA_ATHIT.latitude, long: PHRA_ATHIT.longitude, status: 'open' });
      expect((await db.query(`SELECT caller_name FROM reports WHERE open311_key_id IS NOT NULL AND category_code = 'WASTE'`)).rows).toEqual([{ caller_name: null }]);
    });

    it('refuses what ReportsService refuses, naming the Open311 parameter, and stores nothing', async () => {
      const { apiKey } = await issueKey();
      const before = await fingerprint();
      const { lat: _lat, long: _long, ...addressOnly } = valid(apiKey);
      const cases: [Record<string, string>, RegExp][] = [
        [addressOnly, /^lat: .*geocode/],
        [{ ...valid(apiKey), lat: '13.7', long: '' }, /^long: /],
        [{ ...valid(apiKey), lat: '51.5', long: '-0.12' }, /^lat: [\s\S]*\nlong: /],
        [{ ...valid(apiKey), lat: 'north' }, /^lat: /],
        [{ ...valid(apiKey), service_code: 'BOATS' }, /^service_code: /],
        [{ ...valid(apiKey), service_code: '' }, /^service_code: /],
        [{ ...valid(apiKey), district_code: '9999' }, /^district_code: /],
        [(({ district_code: _d, ...rest }) => rest)(valid(apiKey)), /^district_code: .*extension/],
        [{ ...valid(apiKey), description: '' }, /^description: /],
        [{ ...valid(apiKey), description: '<script>alert(1)</script> ไฟดับ' }, /^description: /],
        [{ ...valid(apiKey), media_url: 'http://169.254.169.254/latest/meta-data' }, /^media_url: .*does not fetch/],
        [{ ...valid(apiKey), first_name: 'A', phone: '0812345678' }, /^first_name: /],
        [{ ...valid(apiKey), first_name: 'Somsak', phone: 'call me' }, /^phone: /],
      ];
      for (const [body, described] of cases) expectErrors(await postForm(body, '?locale=en'), 400, described);
      expect(await fingerprint()).toEqual(before);
    });

    it('counts the key’s reports an hour (OPEN311_REPORTS_PER_HOUR): past it 429 with Retry-After; another key has its own count', async () => {
      const { apiKey } = await issueKey();
      for (let i = 0; i < 3; i += 1) expect((await postForm(valid(apiKey, { description: `ไฟดับดวงที่ ${i + 1} หน้าท่าเรือ` }))).status).toBe(201);
      const refused = await postForm(valid(apiKey));
      expectErrors(refused, 429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const other = await issueKey('แอปอื่น');
      expect((await postForm(valid(other.apiKey))).status).toBe(201);
    });

    it('refuses a revoked key from then on', async () => {
      const { apiKey, key } = await issueKey();
      expect((await postForm(valid(apiKey))).status).toBe(201);
      const revoked = (await api.ok(REVOKE, { id: key.id }, admin.token)).revokeOpen311Key.key;
      expect(revoked).toEqual({ id: key.id, revokedAt: expect.any(String) });
      // Revoking twice changes nothing.
      expect((await api.ok(REVOKE, { id: key.id }, admin.token)).revokeOpen311Key.key.revokedAt).toBe(revoked.revokedAt);
      const before = await fingerprint();
      expectErrors(await postForm(valid(apiKey)), 403, /api_key/);
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('audit trail', () => {
    it('records each POST like a mutation: the report’s district and id, no actor, refusals too, never the key', async () => {
      const { apiKey } = await issueKey();
      const filed = (await postForm(valid(apiKey, { description: 'ฝาท่อระบายน้ำหายหน้าท่าเรือ' }))).body[0].service_request_id;
      expectErrors(await postForm(valid('a-key-nobody-issued')), 403);
      const rows = (await db.query(`SELECT district_code, subject, outcome, error_code, actor_id, row_to_json(a)::text AS row FROM audit_entries a WHERE action = 'open311PostRequest' ORDER BY created_at DESC, id DESC LIMIT 2`)).rows;
      expect(rows.map(({ row: _row, ...entry }) => entry)).toEqual([
        { district_code: '0000', subject: null, outcome: 'REFUSED', error_code: 'FORBIDDEN', actor_id: null },
        { district_code: '1001', subject: filed, outcome: 'SUCCESS', error_code: null, actor_id: null },
      ]);
      for (const { row } of rows) expect(row).not.toContain(apiKey);
    });
  });

  describe('keys', () => {
    it('are issued by administrators only, answered once and stored as a hash; open311Keys lists them for administrators', async () => {
      const { apiKey, key } = await issueKey('Researchers’ tool');
      expect(apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key).toEqual({ id: expect.any(String), name: 'Researchers’ tool', contact: 'dev-team@app.example', createdAt: expect.any(String), revokedAt: null });
      const stored = JSON.stringify((await db.query(`SELECT * FROM open311_keys`)).rows);
      expect(stored).not.toContain(apiKey);
      const listed = (await api.ok(`{ open311Keys(first: 100) { totalCount edges { node { id name revokedAt } } } }`, {}, admin.token)).open311Keys;
      expect(listed.edges[0].node).toEqual({ id: key.id, name: 'Researchers’ tool', revokedAt: null });
      expect(JSON.stringify(listed)).not.toContain(apiKey);
      for (const who of [host, reporter]) {
        expect((await api.gql(`{ open311Keys { totalCount } }`, {}, who.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect((await api.gql(ISSUE, { i: { name: 'Mine', contact: 'me@example.org' } }, who.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect((await api.gql(REVOKE, { id: key.id }, who.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: key.id }, who.token)).node).toBeNull();
      }
      expect((await api.ok(`query($id: ID!) { node(id: $id) { id ... on Open311Key { name } } }`, { id: key.id }, admin.token)).node).toEqual({ id: key.id, name: 'Researchers’ tool' });
    });
  });

  describe('GET requests', () => {
    /** One report in each of our statuses, by global id. */
    const byStatus: Record<string, string> = {};

    beforeAll(async () => {
      const step = (mutation: string, input: Record<string, unknown>) =>
        api.ok(`mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { report { id status } } }`, { i: input }, host.token);
      const fresh = (description: string, extra: Record<string, unknown> = {}) => submitReport(api, reporter, { description, ...extra });
      byStatus.RECEIVED = await fresh('ทางเท้าชำรุดหน้าร้านกาแฟ');
      byStatus.ACCEPTED = await fresh('ท่อระบายน้ำอุดตันริมถนน');
      await step('acceptReport', { reportId: byStatus.ACCEPTED, note: 'รับเรื่องแล้ว จะส่งทีมไปดู' });
      byStatus.IN_PROGRESS = await fresh('ต้นไม้ล้มขวางทางเดิน');
      await step('acceptReport', { reportId: byStatus.IN_PROGRESS });
      await step('startReportWork', { reportId: byStatus.IN_PROGRESS });
      byStatus.RESOLVED = await fresh('ขยะกองริมคลองหลายวัน');
      await step('acceptReport', { reportId: byStatus.RESOLVED });
      await step('resolveReport', { reportId: byStatus.RESOLVED, note: 'เก็บขยะเรียบร้อยแล้ว' });
      byStatus.REJECTED = await fresh('ขอให้ย้ายตลาดนัดออกไป');
      await step('rejectReport', { reportId: byStatus.REJECTED, reason: 'อยู่นอกอำนาจของเขต' });
      byStatus.FORWARDED = await fresh('เสาไฟฟ้าเอียงจะล้ม');
      await step('forwardReport', { reportId: byStatus.FORWARDED, agency: 'การไฟฟ้านครหลวง', note: 'ส่งต่อให้การไฟฟ้านครหลวง' });
      byStatus.MERGED = await fresh('ไฟถนนดับอีกเรื่องหนึ่ง');
      await step('mergeReport', { reportId: byStatus.MERGED, survivorId: byStatus.RECEIVED });
      // A 1555 call filed by staff, with the caller's name and phone (private to the district's staff), and a photo.
      const photo = await uploadPhoto(api, host.token);
      byStatus.CALLER = (await api.ok(`mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }`, { i: reportInput({ channel: 'HOTLINE_1555', caller: CALLER, description: 'ผู้โทรแจ้งว่าน้ำท่วมขังหน้าซอย', categoryCode: 'FLOODING_AND_DRAINAGE', photoIds: [photo] }) }, host.token)).submitReport.report.id;
    });

    it('answers every request with exactly the specification’s fields and types', async () => {
      const res = await get('requests.json');
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThanOrEqual(8);
      for (const r of res.body) {
        expect(Object.keys(r).sort()).toEqual(REQUEST_FIELDS);
        expect(r).toEqual({
          service_request_id: expect.any(String),
          status: expect.stringMatching(/^(open|closed)$/),
          status_notes: r.status_notes === null ? null : expect.any(String),
          service_name: expect.any(String),
          service_code: expect.any(String),
          description: expect.any(String),
          agency_responsible: expect.any(String),
          service_notice: null,
          requested_datetime: expect.stringMatching(ISO),
          updated_datetime: expect.stringMatching(ISO),
          expected_datetime: null,
          address: r.address === null ? null : expect.any(String),
          address_id: null,
          zipcode: null,
          lat: expect.any(Number),
          long: expect.any(Number),
          media_url: r.media_url === null ? null : expect.any(String),
        });
      }
      // Newest first.
      const times = res.body.map((r: any) => Date.parse(r.requested_datetime));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('maps RECEIVED/ACCEPTED/IN_PROGRESS to open and RESOLVED/REJECTED/FORWARDED/MERGED to closed, with the last staff note', async () => {
      const one = async (id: string) => {
        const res = await get(`requests/${id}.json?locale=en`);
        expect(res.status).toBe(200);
        expect(res.body).toHaveLength(1);
        return res.body[0];
      };
      const expected: Record<string, [string, string | null]> = {
        RECEIVED: ['open', null],
        ACCEPTED: ['open', 'รับเรื่องแล้ว จะส่งทีมไปดู'],
        IN_PROGRESS: ['open', null],
        RESOLVED: ['closed', 'เก็บขยะเรียบร้อยแล้ว'],
        REJECTED: ['closed', 'อยู่นอกอำนาจของเขต'],
        FORWARDED: ['closed', 'ส่งต่อให้การไฟฟ้านครหลวง'],
        MERGED: ['closed', null],
      };
      for (const [status, [open, notes]] of Object.entries(expected)) {
        const r = await one(byStatus[status]);
        expect([status, r.service_request_id, r.status, r.status_notes]).toEqual([status, byStatus[status], open, notes]);
      }
      expect((await one(byStatus.FORWARDED)).agency_responsible).toBe('การไฟฟ้านครหลวง');
      expect((await one(byStatus.RECEIVED)).agency_responsible).toBe('Phra Nakhon');
      expect((await get(`requests/${byStatus.RECEIVED}.json`)).body[0].agency_responsible).toBe('พระนคร');
      const called = await one(byStatus.CALLER);
      expect(called).toMatchObject({ service_code: 'FLOODING_AND_DRAINAGE', service_name: 'Flooding and drainage', lat: PHRA_ATHIT.latitude, address: 'ถนนพระอาทิตย์' });
      expect(called.media_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/photos\/[A-Za-z0-9_-]+$/);
      expect((await request(api.http).get(new URL(called.media_url).pathname)).status).toBe(200);
    });

    it('filters by service_request_id (a list, other filters then ignored), service_code, status and dates', async () => {
      const ids = (res: request.Response) => res.body.map((r: any) => r.service_request_id).sort();
      expect(ids(await get(`requests.json?service_request_id=${byStatus.RESOLVED},${byStatus.MERGED},nonsense&status=open`))).toEqual([byStatus.RESOLVED, byStatus.MERGED].sort());
      expect((await get('requests.json?service_request_id=nonsense')).body).toEqual([]);
      const open = await get('requests.json?status=open');
      expect(open.body.every((r: any) => r.status === 'open')).toBe(true);
      expect(ids(open)).toEqual(expect.arrayContaining([byStatus.RECEIVED, byStatus.ACCEPTED, byStatus.IN_PROGRESS]));
      const closed = await get('requests.json?status=closed');
      expect(ids(closed)).toEqual([byStatus.RESOLVED, byStatus.REJECTED, byStatus.FORWARDED, byStatus.MERGED].sort());
      expect(ids(await get('requests.json?service_code=FLOODING_AND_DRAINAGE'))).toEqual([byStatus.CALLER]);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect((await get(`requests.json?start_date=${encodeURIComponent(future)}`)).body).toEqual([]);
      expect((await get(`requests.json?end_date=2020-01-01T00:00:00%2B07:00`)).body).toEqual([]);
      expect((await get(`requests.json?start_date=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&end_date=${encodeURIComponent(future)}`)).body.length).toBeGreaterThanOrEqual(8);
      expect((await get('requests.json?district_code=1007')).body).toEqual([]);
    });

    it('refuses bad filters and unknown requests in the error shape', async () => {
      expectErrors(await get('requests.json?status=pending&locale=en'), 400, /^status: must be open or closed/);
      expectErrors(await get('requests.json?start_date=yesterday&locale=en'), 400, /^start_date: /);
      expectErrors(await get('requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z&locale=en'), 400, /^start_date: must be before end_date/);
      expectErrors(await get('requests.json?district_code=9999&locale=en'), 400, /^district_code: /);
      expectErrors(await get(`requests.json?service_request_id=${Array(1001).fill('x').join(',')}`), 400);
      expectErrors(await get('requests/nonsense.json'), 404);
      const proposalLike = Buffer.from('Report:00000000-0000-4000-8000-000000000000').toString('base64url');
      expectErrors(await get(`requests/${proposalLike}.json?locale=en`), 404, /There is no service request/);
    });
  });

  it('never answers with anyone’s personal data: no reporter, caller, phone or email, in any answer', async () => {
    expect(answers.length).toBeGreaterThan(40);
    const everything = answers.join('\n');
    for (const secret of [CALLER.name, CALLER.phone, CLIENT_PERSON.first_name, CLIENT_PERSON.last_name, CLIENT_PERSON.phone, CLIENT_PERSON.email, reporter.email, 'Private Reporter Person', 'dev-team@app.example']) {
      expect(everything).not.toContain(secret);
    }
    // Nor the ids of the accounts behind the reports.
    const accountIds = (await db.query(`SELECT DISTINCT unnest(ARRAY[reporter_id::text, filed_by_id::text, open311_key_id::text]) AS id FROM reports`)).rows.map((r) => r.id).filter(Boolean);
    for (const id of accountIds) expect(everything).not.toContain(id);
  });
});
