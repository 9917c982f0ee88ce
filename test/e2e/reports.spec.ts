import { Client } from 'pg';
import request from 'supertest';
import { Clock } from '../../src/common/clock/clock';
import { Account, loginAdmin, makeHost, moveReport, PHRA_ATHIT, register, reportInput, submitReport } from '../support/factories';
import { uploadPhoto } from '../support/images';
import { TestServer } from '../support/test-server';

const SUBMIT = `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id status channel supportCount mine category { code name } district { code } } similarReports { id } } }`;
const REPORT = `query($id: ID!) { report(id: $id) {
  id kind status description channel supportCount mine viewerSupports forwardedToAgency resolvedAt
  place { latitude longitude address landmark } category { code name active } district { code }
  mergedInto { id }
  history { from to note agency actor { id } fromDistrict { code } toDistrict { code } mergedInto { id } }
} }`;
const PRIVATE = `query($id: ID!) { report(id: $id) { id caller { name phone } reporter { id } rating { rating comment } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }`;
const INBOX = `{ notifications(first: 20) { edges { node { kind title body report { id } } } } }`;

/** About 22 m north-east of PHRA_ATHIT; 200 m is about 0.0018 degrees of latitude. */
const NEARBY = { latitude: PHRA_ATHIT.latitude + 0.00014, longitude: PHRA_ATHIT.longitude + 0.00014 };
const FAR = { latitude: PHRA_ATHIT.latitude + 0.0018, longitude: PHRA_ATHIT.longitude };

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';

describe('residents’ reports', () => {
  let api: TestServer;
  let db: Client;
  let clock: Clock;
  const realNow = () => new Date();
  let admin: Account;
  /** Staff of Phra Nakhon (1001), which owns the reports below; of Dusit (1002); of Pathum Wan (1007). */
  let host: Account;
  let dusitHost: Account;
  let otherHost: Account;
  /** An English-reading resident, a Thai-reading one, an organisation. */
  let resident: Account;
  let neighbour: Account;
  let organisation: Account;

  const step = (mutation: string, input: Record<string, unknown>, who?: Account) =>
    api.gql(`mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { report { id status } } }`, { i: input }, who?.token);
  const read = async (id: string, who?: Account, headers: Record<string, string> = {}) => (await api.gql(REPORT, { id }, who?.token, headers)).data!.report;
  /** After the clock moved past the access tokens' life: a fresh pair, as a client refreshes. */
  const refresh = async (account: Account) => {
    const { refreshToken } = await api.ok(REFRESH, { t: account.refreshToken });
    Object.assign(account, { token: refreshToken.accessToken, refreshToken: refreshToken.refreshToken });
  };
  const inbox = async (account: Account) => (await api.ok(INBOX, {}, account.token)).notifications.edges.map((e: any) => e.node);

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    clock = api.server.app.get(Clock);
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1001');
    dusitHost = await makeHost(api, admin, '1002');
    otherHost = await makeHost(api, admin, '1007');
    resident = await register(api, { displayName: 'Jane Resident', locale: 'en' });
    neighbour = await register(api, { displayName: 'สมชาย ใจดี', locale: 'th' });
    organisation = await register(api, { displayName: 'ชมรมคนรักพระอาทิตย์', kind: 'ORGANIZATION' });
  });
  afterAll(async () => {
    clock.now = realNow;
    await db.end();
    await api.stop();
  });

  it('lists the active categories with stable codes, named in the language of the request', async () => {
    const thai = (await api.ok(`{ reportCategories { code name active } }`)).reportCategories;
    const english = (await api.gql(`{ reportCategories { code name } }`, {}, undefined, { 'accept-language': 'en' })).data!.reportCategories;
    expect(thai.map((c: any) => c.code)).toEqual([
      'ROADS', 'FOOTPATHS', 'FLOODING_AND_DRAINAGE', 'STREET_LIGHTS', 'WASTE', 'TREES', 'NOISE', 'SAFETY', 'TRAFFIC', 'STRAY_ANIMALS', 'PUBLIC_HEALTH', 'OTHER',
    ]);
    expect(thai.find((c: any) => c.code === 'FLOODING_AND_DRAINAGE').name).toBe('น้ำท่วมและการระบายน้ำ');
    expect(english.find((c: any) => c.code === 'FLOODING_AND_DRAINAGE').name).toBe('Flooding and drainage');
    expect(english.find((c: any) => c.code === 'STRAY_ANIMALS').name).toBe('Stray animals');
  });

  let call: string;
  let duplicate: string;

  it('a 1555 call filed by a host for a caller, whose name and phone only the district’s staff see', async () => {
    const filed = await api.ok(SUBMIT, { i: reportInput({ channel: 'HOTLINE_1555', caller: { name: 'นางสมศรี มีสุข', phone: '081-234-5678' } }) }, host.token);
    call = filed.submitReport.report.id;
    expect(filed.submitReport.report).toMatchObject({ status: 'RECEIVED', channel: 'HOTLINE_1555', mine: false, category: { code: 'STREET_LIGHTS', name: 'ไฟฟ้าส่องสว่าง' }, district: { code: '1001' } });
    expect(filed.submitReport.similarReports).toEqual([]);

    const staffView = (await api.gql(PRIVATE, { id: call }, host.token)).data!.report;
    expect(staffView).toMatchObject({ caller: { name: 'นางสมศรี มีสุข', phone: '081-234-5678' }, reporter: null });
    expect((await api.gql(PRIVATE, { id: call }, admin.token)).data!.report.caller.phone).toBe('081-234-5678');
    for (const [who, expected] of [[undefined, 'UNAUTHENTICATED'], [resident, 'FORBIDDEN'], [otherHost, 'FORBIDDEN']] as const) {
      const res = await api.gql(`query($id: ID!) { report(id: $id) { id description caller { phone } } }`, { id: call }, who?.token);
      expect(res.data!.report).toMatchObject({ id: call, caller: null });
      expect(code(res)).toBe(expected);
    }
    // A caller is for the district's staff: a resident cannot file one, nor can another district's host.
    expect(code(await api.gql(SUBMIT, { i: reportInput({ caller: { name: 'Someone', phone: '0812345678' } }) }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(SUBMIT, { i: reportInput({ caller: { name: 'Someone', phone: '0812345678' } }) }, otherHost.token))).toBe('FORBIDDEN');
  });

  it('a resident’s report finds the call as a similar open report nearby, and the resident supports it, once', async () => {
    const filed = await api.ok(SUBMIT, { i: reportInput({ place: { ...NEARBY }, description: 'Street lights out near Phra Athit pier' }) }, resident.token);
    duplicate = filed.submitReport.report.id;
    expect(filed.submitReport.report.mine).toBe(true);
    expect(filed.submitReport.similarReports.map((r: any) => r.id)).toEqual([call]);
    // Farther than 50 m, or another category: not similar.
    const far = await api.ok(SUBMIT, { i: reportInput({ place: { ...FAR } }) }, organisation.token);
    expect(far.submitReport.similarReports).toEqual([]);
    const other = await api.ok(SUBMIT, { i: reportInput({ categoryCode: 'WASTE', place: { ...NEARBY } }) }, organisation.token);
    expect(other.submitReport.similarReports).toEqual([]);

    const supported = await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { supportCount viewerSupports } } }`, { id: call }, resident.token);
    expect(supported.supportReport.report).toEqual({ supportCount: 1, viewerSupports: true });
    const again = await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { supportCount } } }`, { id: call }, resident.token);
    expect(again.supportReport.report.supportCount).toBe(1);
    expect(code(await api.gql(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: duplicate }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: call }))).toBe('UNAUTHENTICATED');
    await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: duplicate }, neighbour.token);

    // The public never learns who reported or supported: the reporter is the reporter's and the staff's.
    expect((await api.gql(PRIVATE, { id: duplicate }, resident.token)).data!.report.reporter).toEqual({ id: resident.id });
    expect((await api.gql(PRIVATE, { id: duplicate }, host.token)).data!.report.reporter).toEqual({ id: resident.id });
    const stranger = await api.gql(`query($id: ID!) { report(id: $id) { id mine reporter { id } } }`, { id: duplicate }, neighbour.token);
    expect(stranger.data!.report).toEqual({ id: duplicate, mine: false, reporter: null });
    expect(code(stranger)).toBe('FORBIDDEN');
    const publicHistory = (await read(duplicate)).history;
    expect(publicHistory).toEqual([expect.objectContaining({ from: null, to: 'RECEIVED', actor: null })]);
  });

  it('looks for nearby reports through the GiST index on ll_to_earth(latitude, longitude)', async () => {
    // Few rows make a sequential scan cheaper; with it off, the plan shows whether the index can serve the search.
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL enable_seqscan = off');
      const plan = await db.query(
        `EXPLAIN SELECT id FROM reports r WHERE earth_box(ll_to_earth(${PHRA_ATHIT.latitude}, ${PHRA_ATHIT.longitude}), 50) @> ll_to_earth(r.latitude, r.longitude)`,
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('IDX_reports_place');
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('merges the duplicate into the call: its reporter and supporters follow the survivor', async () => {
    expect(code(await step('mergeReport', { reportId: duplicate, survivorId: call }, otherHost))).toBe('FORBIDDEN');
    expect(code(await step('mergeReport', { reportId: duplicate, survivorId: duplicate }, host))).toBe('BAD_USER_INPUT');
    const merged = await api.ok(
      `mutation($i: MergeReportInput!) { mergeReport(input: $i) { report { status mergedInto { id } } survivor { id supportCount } } }`,
      { i: { reportId: duplicate, survivorId: call, note: 'ซ้ำกับเรื่องจากสายด่วน 1555' } },
      host.token,
    );
    expect(merged.mergeReport).toEqual({ report: { status: 'MERGED', mergedInto: { id: call } }, survivor: { id: call, supportCount: 2 } });
    expect((await read(call, neighbour)).viewerSupports).toBe(true);
    const told = (await inbox(resident)).find((n: any) => n.report?.id === duplicate);
    expect(told).toMatchObject({ kind: 'REPORT_STATUS_CHANGED', title: 'A report you follow is now “Merged with another report”' });
    // A merged report is not open: no more support, no merging into it.
    expect(code(await step('supportReport', { reportId: duplicate }, organisation))).toBe('ILLEGAL_STATE');
  });

  it('the district accepts, works on and resolves it; supporters hear of each step in their language', async () => {
    expect(code(await step('acceptReport', { reportId: call }))).toBe('UNAUTHENTICATED');
    expect(code(await step('acceptReport', { reportId: call }, otherHost))).toBe('FORBIDDEN');
    expect(code(await step('acceptReport', { reportId: call }, resident))).toBe('FORBIDDEN');
    expect(code(await step('resolveReport', { reportId: call }, host))).toBe('ILLEGAL_STATE');
    await api.ok(`mutation($id: ID!) { acceptReport(input: { reportId: $id, note: "ส่งช่างไฟฟ้าตรวจสอบ" }) { report { id } } }`, { id: call }, host.token);
    await moveReport(api, host, call, 'startReportWork');
    await api.ok(`mutation($id: ID!) { resolveReport(input: { reportId: $id, note: "Replaced three lamps" }) { report { id } } }`, { id: call }, admin.token);
    const done = await read(call);
    expect(done.status).toBe('RESOLVED');
    expect(done.history.map((h: any) => [h.from, h.to])).toEqual([[null, 'RECEIVED'], ['RECEIVED', 'ACCEPTED'], ['ACCEPTED', 'IN_PROGRESS'], ['IN_PROGRESS', 'RESOLVED']]);
    // Staff act in public; the filing host too.
    expect(done.history.map((h: any) => h.actor?.id)).toEqual([host.id, host.id, host.id, admin.id]);

    const english = (await inbox(resident)).filter((n: any) => n.report?.id === call);
    expect(english.map((n: any) => n.title)).toEqual([
      'A report you follow is now “Resolved”',
      'A report you follow is now “In progress”',
      'A report you follow is now “Accepted”',
    ]);
    expect(english[0].body).toBe('Changed from “In progress” to “Resolved”: Replaced three lamps');
    const thai = (await inbox(neighbour)).filter((n: any) => n.report?.id === call);
    expect(thai[2]).toMatchObject({ title: 'เรื่องที่คุณติดตามเปลี่ยนสถานะเป็น “รับดำเนินการ”', body: 'เปลี่ยนจาก “รับเรื่องแล้ว” เป็น “รับดำเนินการ”: ส่งช่างไฟฟ้าตรวจสอบ' });
  });

  it('the reporter rates once, and may reopen within 7 days of the resolution, not after', async () => {
    const own = await submitReport(api, organisation, { categoryCode: 'FOOTPATHS', description: 'ทางเท้าชำรุดหน้าร้านหนังสือ เป็นหลุมลึก' });
    await moveReport(api, host, own, 'acceptReport', 'resolveReport');
    const RATE = `mutation($i: RateReportInput!) { rateReport(input: $i) { report { id } } }`;
    expect(code(await api.gql(RATE, { i: { reportId: own, rating: 5 } }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(RATE, { i: { reportId: own, rating: 6 } }, organisation.token))).toBe('BAD_USER_INPUT');
    await api.ok(RATE, { i: { reportId: own, rating: 4, comment: 'เร็วดี' } }, organisation.token);
    expect(code(await api.gql(RATE, { i: { reportId: own, rating: 5 } }, organisation.token))).toBe('ILLEGAL_STATE');
    expect((await api.gql(PRIVATE, { id: own }, organisation.token)).data!.report.rating).toEqual({ rating: 4, comment: 'เร็วดี' });
    expect((await api.gql(PRIVATE, { id: own }, host.token)).data!.report.rating).toEqual({ rating: 4, comment: 'เร็วดี' });
    expect(code(await api.gql(PRIVATE, { id: own }, neighbour.token))).toBe('FORBIDDEN');

    const REOPEN = `mutation($i: ReopenReportInput!) { reopenReport(input: $i) { report { status } } }`;
    try {
      clock.now = () => new Date(realNow().getTime() + 6 * 86_400_000);
      await Promise.all([refresh(organisation), refresh(host), refresh(resident)]);
      expect(code(await api.gql(REOPEN, { i: { reportId: own, reason: 'ยังเป็นหลุมอยู่' } }, host.token))).toBe('FORBIDDEN');
      expect(code(await api.gql(REOPEN, { i: { reportId: own, reason: ' ' } }, organisation.token))).toBe('BAD_USER_INPUT');
      expect((await api.ok(REOPEN, { i: { reportId: own, reason: 'ยังเป็นหลุมอยู่' } }, organisation.token)).reopenReport.report.status).toBe('IN_PROGRESS');
      await moveReport(api, host, own, 'resolveReport');
      clock.now = () => new Date(realNow().getTime() + (6 + 7) * 86_400_000 + 60_000);
      await Promise.all([refresh(organisation), refresh(host), refresh(resident)]);
      expect(code(await api.gql(REOPEN, { i: { reportId: own, reason: 'ยังเป็นหลุมอยู่' } }, organisation.token))).toBe('ILLEGAL_STATE');
    } finally {
      clock.now = realNow;
      await Promise.all([refresh(organisation), refresh(host), refresh(resident)]);
    }
    const history = (await read(own, organisation)).history;
    expect(history.map((h: any) => h.to)).toEqual(['RECEIVED', 'ACCEPTED', 'RESOLVED', 'IN_PROGRESS', 'RESOLVED']);
    // The reporter's own steps do not name them to the public.
    expect((await read(own)).history[3]).toMatchObject({ to: 'IN_PROGRESS', note: 'ยังเป็นหลุมอยู่', actor: null });
    expect((await read(own, host)).history[3].actor).toEqual({ id: organisation.id });
  });

  it('forwards to another district, which owns it from then on; or to an outside agency, with a note', async () => {
    const misplaced = await submitReport(api, resident, { categoryCode: 'TREES', description: 'A fallen tree blocks the soi behind the palace' });
    const FORWARD = `mutation($i: ForwardReportInput!) { forwardReport(input: $i) { report { status district { code } forwardedToAgency } } }`;
    expect(code(await api.gql(FORWARD, { i: { reportId: misplaced, toDistrictCode: '1002', agency: 'MEA' } }, host.token))).toBe('BAD_USER_INPUT');
    expect(code(await api.gql(FORWARD, { i: { reportId: misplaced, toDistrictCode: '1001' } }, host.token))).toBe('BAD_USER_INPUT');
    expect(code(await api.gql(FORWARD, { i: { reportId: misplaced, toDistrictCode: '9999' } }, host.token))).toBe('NOT_FOUND');
    expect(code(await api.gql(FORWARD, { i: { reportId: misplaced, toDistrictCode: '1002' } }, dusitHost.token))).toBe('FORBIDDEN');
    const moved = await api.ok(FORWARD, { i: { reportId: misplaced, toDistrictCode: '1002', note: 'อยู่ในเขตดุสิต' } }, host.token);
    expect(moved.forwardReport.report).toEqual({ status: 'RECEIVED', district: { code: '1002' }, forwardedToAgency: null });
    expect(code(await step('acceptReport', { reportId: misplaced }, host))).toBe('FORBIDDEN');
    expect((await step('acceptReport', { reportId: misplaced }, dusitHost)).data!.acceptReport.report.status).toBe('ACCEPTED');
    const forwardStep = (await read(misplaced)).history[1];
    expect(forwardStep).toMatchObject({ from: 'RECEIVED', to: 'RECEIVED', fromDistrict: { code: '1001' }, toDistrict: { code: '1002' }, note: 'อยู่ในเขตดุสิต', actor: { id: host.id } });

    expect(code(await api.gql(FORWARD, { i: { reportId: misplaced, agency: 'การไฟฟ้านครหลวง' } }, dusitHost.token))).toBe('BAD_USER_INPUT');
    const out = await api.ok(FORWARD, { i: { reportId: misplaced, agency: 'การไฟฟ้านครหลวง', note: 'สายไฟพาดต้นไม้' } }, dusitHost.token);
    expect(out.forwardReport.report).toEqual({ status: 'FORWARDED', district: { code: '1002' }, forwardedToAgency: 'การไฟฟ้านครหลวง' });
  });

  it('rejects only with a reason', async () => {
    const noise = await submitReport(api, neighbour, { categoryCode: 'NOISE', description: 'เสียงดังจากร้านอาหารหลังเที่ยงคืน' });
    expect(code(await step('rejectReport', { reportId: noise, reason: '   ' }, host))).toBe('BAD_USER_INPUT');
    // Left out altogether, GraphQL itself refuses it (the reason is a required field).
    expect(code(await api.gql(`mutation($id: ID!) { rejectReport(input: { reportId: $id }) { report { id } } }`, { id: noise }, host.token))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(code(await step('rejectReport', { reportId: noise, reason: 'Outside our hours' }, otherHost))).toBe('FORBIDDEN');
    expect((await step('rejectReport', { reportId: noise, reason: 'เป็นเรื่องของตำรวจท้องที่' }, host)).data!.rejectReport.report.status).toBe('REJECTED');
    expect((await inbox(neighbour))[0]).toMatchObject({ title: 'เรื่องที่คุณติดตามเปลี่ยนสถานะเป็น “ไม่รับเรื่อง”', body: 'เปลี่ยนจาก “รับเรื่องแล้ว” เป็น “ไม่รับเรื่อง”: เป็นเรื่องของตำรวจท้องที่' });
    expect(code(await step('acceptReport', { reportId: noise }, host))).toBe('ILLEGAL_STATE');
  });

  it('finds reports by district, category, status, kind, time and words', async () => {
    const LIST = `query($f: ReportFilter) { reports(filter: $f, first: 50) { totalCount edges { node { id status category { code } } } } }`;
    const ids = async (f: Record<string, unknown>) => (await api.ok(LIST, { f })).reports.edges.map((e: any) => e.node.id);
    expect(await ids({ districtCode: '1001', categories: ['STREET_LIGHTS'], statuses: ['RESOLVED'] })).toEqual([call]);
    expect(await ids({ districtCode: '1001', statuses: ['MERGED'] })).toEqual([duplicate]);
    expect(await ids({ text: 'PHRA ATHIT PIER' })).toEqual([duplicate]);
    expect(await ids({ kinds: ['SUGGESTION'] })).toEqual([]);
    expect(await ids({ submittedBefore: new Date(Date.now() - 86_400_000).toISOString() })).toEqual([]);
    expect((await ids({ submittedAfter: new Date(Date.now() - 3_600_000).toISOString(), districtCode: '1001' })).length).toBeGreaterThan(3);
    const node = await api.ok(`query($id: ID!) { node(id: $id) { ... on Report { id status history { to } } } }`, { id: call });
    expect(node.node).toMatchObject({ id: call, status: 'RESOLVED' });
  });

  it('administrators add and retire categories; a retired one stays on old reports but cannot be chosen', async () => {
    const ADD = `mutation($i: AddReportCategoryInput!) { addReportCategory(input: $i) { category { code name active } } }`;
    const RETIRE = `mutation($c: String!) { retireReportCategory(input: { code: $c }) { category { code active } } }`;
    expect(code(await api.gql(ADD, { i: { code: 'BOATS', nameTh: 'เรือโดยสาร', nameEn: 'Boats' } }, host.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(ADD, { i: { code: 'boats', nameTh: 'เรือโดยสาร', nameEn: 'Boats' } }, admin.token))).toBe('BAD_USER_INPUT');
    expect((await api.ok(ADD, { i: { code: 'BOATS', nameTh: 'เรือโดยสาร', nameEn: 'Boats' } }, admin.token)).addReportCategory.category).toEqual({ code: 'BOATS', name: 'เรือโดยสาร', active: true });
    expect(code(await api.gql(ADD, { i: { code: 'BOATS', nameTh: 'เรือ', nameEn: 'Boats' } }, admin.token))).toBe('CONFLICT');
    expect((await api.ok(`{ reportCategories { code } }`)).reportCategories.map((c: any) => c.code).slice(-1)).toEqual(['BOATS']);

    expect(code(await api.gql(RETIRE, { c: 'NOISE' }, host.token))).toBe('FORBIDDEN');
    expect((await api.ok(RETIRE, { c: 'NOISE' }, admin.token)).retireReportCategory.category).toEqual({ code: 'NOISE', active: false });
    expect((await api.ok(`{ reportCategories { code } }`)).reportCategories.map((c: any) => c.code)).not.toContain('NOISE');
    const refused = await api.gql(SUBMIT, { i: reportInput({ categoryCode: 'NOISE' }) }, neighbour.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'input.categoryCode' })] });
    const old = (await api.ok(`query($f: ReportFilter) { reports(filter: $f) { edges { node { category { code active } } } } }`, { f: { categories: ['NOISE'] } })).reports.edges;
    expect(old[0].node.category).toEqual({ code: 'NOISE', active: false });
  });

  it('refuses places outside Bangkok, HTML, unknown districts and anonymous reporters', async () => {
    const fields = async (input: Record<string, unknown>, who: Account | null = resident) => {
      const res = await api.gql(SUBMIT, { i: reportInput(input) }, who?.token);
      return [code(res), (res.errors?.[0].extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field)];
    };
    expect(await fields({ place: { latitude: 18.79, longitude: 98.98 } })).toEqual(['BAD_USER_INPUT', ['input.place.latitude', 'input.place.longitude']]);
    expect(await fields({ description: 'ไฟดับ <script>alert(1)</script>' })).toEqual(['BAD_USER_INPUT', ['input.description']]);
    expect(await fields({ districtCode: '1099' })).toEqual(['NOT_FOUND', undefined]);
    expect(await fields({}, null)).toEqual(['UNAUTHENTICATED', undefined]);
  });

  it('comes with up to 3 photos of the reporter’s own, public once attached; a photo of someone else’s, a used one or a fourth refuses the whole report', async () => {
    const reportsNow = async () => (await db.query(`SELECT count(*)::int AS n FROM reports`)).rows[0].n as number;
    const [first, second] = [await uploadPhoto(api, neighbour.token), await uploadPhoto(api, neighbour.token)];
    // Before it is attached, only its uploader sees it.
    const path = (id: string) => `/photos/${id}`;
    expect((await request(api.http).get(path(first))).status).toBe(404);

    const before = await reportsNow();
    const theirs = await uploadPhoto(api, resident.token);
    const refusals = [
      [first, theirs],
      [first, first],
      [first, second, await uploadPhoto(api, neighbour.token), await uploadPhoto(api, neighbour.token)],
      ['not-an-id'],
    ];
    for (const photoIds of refusals) {
      const res = await api.gql(SUBMIT, { i: reportInput({ photoIds }) }, neighbour.token);
      expect({ photoIds, code: code(res) }).toEqual({ photoIds, code: 'BAD_USER_INPUT' });
    }
    expect(await reportsNow()).toBe(before);

    const submitted = await api.ok(`mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id photos { id url thumbnailUrl width height } } } }`, { i: reportInput({ photoIds: [second, first] }) }, neighbour.token);
    const photos = submitted.submitReport.report.photos;
    expect(photos.map((p: { id: string }) => p.id)).toEqual([second, first]);
    expect(photos[0]).toMatchObject({ url: path(second), thumbnailUrl: `${path(second)}/thumbnail`, width: 640, height: 480 });
    // Attached to a public report: anyone may see it, through the report, node(id:) or its address.
    const anonymous = await api.ok(`query($id: ID!, $first: ID!) { report(id: $id) { photos { id } } node(id: $first) { id } }`, { id: submitted.submitReport.report.id, first });
    expect(anonymous).toEqual({ report: { photos: [{ id: second }, { id: first }] }, node: { id: first } });
    const served = await request(api.http).get(path(first)).buffer(true);
    expect([served.status, served.headers['content-type']]).toEqual([200, 'image/jpeg']);
    // Attached once: it cannot go on a second report.
    expect(code(await api.gql(SUBMIT, { i: reportInput({ photoIds: [first] }) }, neighbour.token))).toBe('BAD_USER_INPUT');
  });
});

describe('residents’ reports: the hourly limit', () => {
  let api: TestServer;
  afterAll(() => api?.stop());

  it('counts each reporter’s reports an hour (REPORTS_PER_HOUR) through the shared rate limiter', async () => {
    api = await TestServer.start({ env: { REPORTS_PER_HOUR: '2' } });
    const [eager, other] = [await register(api), await register(api)];
    await submitReport(api, eager);
    await submitReport(api, eager);
    const refused = await api.gql(SUBMIT, { i: reportInput() }, eager.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    await submitReport(api, other);
  });
});
