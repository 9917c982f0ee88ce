import { Client } from 'pg';
import { toGlobalId } from '../../src/common/relay/global-id';
import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { Account, loginAdmin, makeHost, moveReport, register, submitReport } from '../support/factories';
import { TestServer } from '../support/test-server';
import { sheet } from '../support/csv';

/**
 * Open data of residents' reports (README, "Residents' reports"): `GET /reports/open-data.csv|json`,
 * filtered by the query string, streamed in keyset batches, and holding nothing that names or reaches a
 * person, whatever people wrote into the reports.
 */


const ENGLISH = ['id', 'kind', 'category', 'status', 'district', 'channel', 'latitude', 'longitude', 'submitted_at', 'received_at', 'accepted_at', 'resolved_at', 'accept_due_at', 'resolve_due_at', 'support_count'];
const KEYS = ['id', 'kind', 'category', 'status', 'district', 'channel', 'latitude', 'longitude', 'submittedAt', 'receivedAt', 'acceptedAt', 'resolvedAt', 'acceptDueAt', 'resolveDueAt', 'supportCount'];
/** The district the keyset test fills with more reports than one batch holds. */
const BULK_DISTRICT = '1040';
const BULK = 5003;

describe('open data of reports', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let reporter: Account;
  let supporter: Account;
  let own: string;
  let call: string;
  /** Everything personal planted in the data: none of it may appear in a download. */
  const PLANTED = {
    reporterEmail: 'planted.reporter.4711@example.org',
    reporterName: 'Plantedreporter Wongsawat',
    supporterName: 'Plantedsupporter Chaiyo',
    callerName: 'นางสาวลับเฉพาะ ทดสอบระบบ',
    callerPhone: '02-765-4321',
    description: 'ไฟดับหน้าบ้านคุณสมปอง โทร 089-999-1234 ช่วยด่วน',
    address: 'บ้านเลขที่ 99/9 ซอยลับสุดยอด',
    landmark: 'ร้านของป้าแดงข้างวัด',
    note: 'ช่างชื่อนายวิชัย เบอร์ 081-000-0000',
    comment: 'ขอบคุณคุณวิชัยที่มาซ่อมเร็วมาก',
  };
  const secrets: string[] = [];

  const download = async (file: string, query = '', headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}/reports/${file}${query}`, { headers });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1001');
    reporter = await register(api, { email: PLANTED.reporterEmail, displayName: PLANTED.reporterName });
    supporter = await register(api, { displayName: PLANTED.supporterName });
    own = await submitReport(api, reporter, {
      description: PLANTED.description,
      place: { latitude: 13.762934, longitude: 100.495148, address: PLANTED.address, landmark: PLANTED.landmark },
    });
    await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: own }, supporter.token);
    await api.ok(`mutation($id: ID!, $n: String) { acceptReport(input: { reportId: $id, note: $n }) { report { id } } }`, { id: own, n: PLANTED.note }, host.token);
    await moveReport(api, host, own, 'resolveReport');
    await api.ok(`mutation($id: ID!, $c: String) { rateReport(input: { reportId: $id, rating: 2, comment: $c }) { report { id } } }`, { id: own, c: PLANTED.comment }, reporter.token);
    call = await submitReport(api, host, { channel: 'HOTLINE_1555', categoryCode: 'WASTE', caller: { name: PLANTED.callerName, phone: PLANTED.callerPhone } });
    for (const account of [reporter, supporter, host]) secrets.push(account.id, Buffer.from(account.id, 'base64url').toString().split(':')[1]);
    secrets.push(...Object.values(PLANTED));
    // More reports than one batch, two to each millisecond so that the id breaks the ties.
    await db.query(
      `INSERT INTO reports (kind, category_code, description, latitude, longitude, district_code, channel, received_at, accept_due_at, resolve_due_at, created_at)
       SELECT 'COMPLAINT', 'ROADS', 'หลุมบนถนน ' || g, 13.9, 100.6, $1, 'WEB', t, t + interval '1 day', t + interval '7 days', t
       FROM generate_series(1, $2::int) g, LATERAL (SELECT timestamptz '2025-01-01T00:00:00Z' + (g / 2) * interval '1 millisecond' AS t) x`,
      [BULK_DISTRICT, BULK],
    );
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('holds no byte of anything personal: no reporter, supporter, staff, caller, phone or text anyone wrote', async () => {
    for (const file of ['open-data.csv', 'open-data.json']) {
      const { res, bytes } = await download(file);
      expect(res.status).toBe(200);
      for (const secret of secrets) {
        expect({ file, secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ file, secret, found: false });
      }
      // Not even a word of what people wrote or are called (ids are checked whole: a short piece of one may occur by chance).
      for (const secret of Object.values(PLANTED)) {
        for (const fragment of secret.split(/[\s-]+/).filter((part) => part.length >= 4 && !/^\d+$/.test(part))) {
          expect({ file, fragment, found: bytes.includes(Buffer.from(fragment, 'utf8')) }).toEqual({ file, fragment, found: false });
        }
      }
      // Nor the reporter's own rating, which the API shows to the reporter and the staff only.
      expect(bytes.toString('utf8')).not.toMatch(/rating/i);
    }
  });

  it('gives each report its fixed columns: codes, times in UTC, coordinates to 4 places (about 11 m)', async () => {
    const json = JSON.parse((await download('open-data.json')).bytes.toString('utf8'));
    const rows = json.reports.filter((row: any) => row.district === '1001');
    const { rows: [times] } = await db.query(`SELECT created_at, received_at, accepted_at, resolved_at, accept_due_at, resolve_due_at FROM reports WHERE id = $1`, [
      Buffer.from(own, 'base64url').toString().split(':')[1],
    ]);
    expect(rows).toEqual([
      {
        id: own,
        kind: 'COMPLAINT',
        category: 'STREET_LIGHTS',
        status: 'RESOLVED',
        district: '1001',
        channel: 'APP',
        latitude: 13.7629,
        longitude: 100.4951,
        submittedAt: times.created_at.toISOString(),
        receivedAt: times.received_at.toISOString(),
        acceptedAt: times.accepted_at.toISOString(),
        resolvedAt: times.resolved_at.toISOString(),
        acceptDueAt: times.accept_due_at.toISOString(),
        resolveDueAt: times.resolve_due_at.toISOString(),
        supportCount: 1,
      },
      expect.objectContaining({ id: call, category: 'WASTE', channel: 'HOTLINE_1555', status: 'RECEIVED', acceptedAt: null, resolvedAt: null, supportCount: 0 }),
    ]);
    expect(Object.keys(rows[1])).toEqual(KEYS);
    // The CSV: the same values, the same order; a missing time is an empty field.
    const csv = sheet((await download('open-data.csv', '?district=1001', { 'accept-language': 'en' })).bytes);
    expect(csv.rows[0]).toEqual(ENGLISH);
    expect(csv.rows.slice(1)).toEqual(rows.map((row: any) => KEYS.map((key) => (row[key] === null ? '' : String(row[key])))));
  });

  it('is a spreadsheet for a Thai office: BOM, headers in the reader’s language, named in ASCII and in UTF-8', async () => {
    const thai = await download('open-data.csv', '?district=1001');
    expect(thai.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(thai.res.headers.get('content-language')).toBe('th');
    expect(thai.res.headers.get('vary')).toMatch(/Accept-Language/);
    const table = sheet(thai.bytes);
    expect(table.bom).toBe(true);
    expect(table.rows[0]).toEqual(KEYS.map((key) => t(Locale.th, `exports.reports.columns.${key}`)));
    expect(table.rows[0].every((header) => /[\u0E00-\u0E7F]/.test(header))).toBe(true);
    const disposition = thai.res.headers.get('content-disposition')!;
    expect(disposition).toContain('filename="reports-open-data.csv"');
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(disposition)![1])).toBe(`${t(Locale.th, 'exports.reports.file')}.csv`);
    const english = await download('open-data.csv', '?district=1001&lang=en');
    expect(sheet(english.bytes).rows.slice(1)).toEqual(table.rows.slice(1));
    expect((await download('open-data.json')).res.headers.get('content-disposition')).toContain('reports-open-data.json');
  });

  it('streams more reports than a batch holds, oldest first, each once', async () => {
    const json = JSON.parse((await download('open-data.json', `?district=${BULK_DISTRICT}`)).bytes.toString('utf8'));
    expect(json.reports).toHaveLength(BULK);
    const { rows } = await db.query(`SELECT id FROM reports WHERE district_code = $1 ORDER BY created_at, id`, [BULK_DISTRICT]);
    expect(json.reports.map((row: any) => row.id)).toEqual(rows.map((row) => toGlobalId('Report', row.id)));
    const csv = sheet((await download('open-data.csv', `?district=${BULK_DISTRICT}`)).bytes);
    expect(csv.rows.slice(1).map((row) => row[0])).toEqual(json.reports.map((row: any) => row.id));
    // Everything, unfiltered: the bulk and the two of Phra Nakhon.
    expect(JSON.parse((await download('open-data.json')).bytes.toString('utf8')).reports).toHaveLength(BULK + 2);
  });

  it('filters by district, categories and the submission time', async () => {
    const ids = async (query: string) => JSON.parse((await download('open-data.json', query)).bytes.toString('utf8')).reports.map((row: any) => row.id);
    expect(await ids('?category=WASTE')).toEqual([call]);
    expect(await ids('?category=WASTE,STREET_LIGHTS&district=1001')).toEqual([own, call]);
    expect(await ids('?from=2024-01-01&to=2025-01-01T00:00:00.001Z')).toHaveLength(1);
    expect(await ids(`?to=2025-01-01&district=${BULK_DISTRICT}`)).toEqual([]);
    expect(await ids('?district=1050')).toEqual([]);
  });

  it('refuses a bad parameter with its code and field, in the reader’s language', async () => {
    const refusal = async (query: string) => {
      const { res, bytes } = await download('open-data.csv', query, { 'accept-language': 'en' });
      const body = JSON.parse(bytes.toString('utf8'));
      return { status: res.status, code: body.errors[0].extensions.code, fields: body.errors[0].extensions.fields?.map((f: any) => f.field) };
    };
    expect(await refusal('?from=yesterday')).toEqual({ status: 400, code: 'BAD_USER_INPUT', fields: ['from'] });
    expect(await refusal('?from=2025-02-01&to=2025-01-01')).toEqual({ status: 400, code: 'BAD_USER_INPUT', fields: ['to'] });
    expect(await refusal('?district=1001&district=1002')).toEqual({ status: 400, code: 'BAD_USER_INPUT', fields: ['district'] });
    expect(await refusal(`?category=${Array.from({ length: 51 }, (_, i) => `C${i}`).join(',')}`)).toEqual({ status: 400, code: 'BAD_USER_INPUT', fields: ['category'] });
    expect(await refusal('?district=9999')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await download('open-data.json', '?to=2025-13-45')).res.status).toBe(400);
  });
});
