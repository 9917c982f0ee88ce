import { Client } from 'pg';
import { Clock } from '../../src/common/clock/clock';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { ReportDeadlineClock } from '../../src/reports/report-deadline-clock.service';
import { Account, appointHost, loginAdmin, makeHost, moveReport, register, submitReport } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/database';
import { describeWith } from '../support/services';
import { Subscription, TestServer } from '../support/test-server';

const HOUR = 3_600_000;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';
const fields = (res: { errors?: { extensions?: { fields?: { field: string }[] } }[] }) => res.errors?.[0]?.extensions?.fields?.map((f) => f.field);

const DEADLINES = `query($id: ID!) { report(id: $id) { id status deadlines { receivedAt acceptedAt acceptBy resolveBy dueAt overdue overdueSince } breaches { kind dueAt } } }`;
const QUEUE = `query($d: String!, $first: Int, $after: String, $s: [ReportStatus!], $o: Boolean) {
  reportQueue(districtCode: $d, first: $first, after: $after, statuses: $s, overdueOnly: $o) { totalCount edges { cursor node { id status deadlines { dueAt overdue } } } pageInfo { hasNextPage endCursor } } }`;
const SET_CITY = `mutation($i: SetReportCategoryTargetsInput!) { setReportCategoryTargets(input: $i) { category { code targets { acceptWithinHours resolveWithinHours } } } }`;
const SET_DISTRICT = `mutation($i: SetDistrictReportTargetsInput!) { setDistrictReportTargets(input: $i) { district { code reportTargets { category { code } acceptWithinHours resolveWithinHours } } target { acceptWithinHours resolveWithinHours } } }`;
const CLEAR_DISTRICT = `mutation($i: ClearDistrictReportTargetsInput!) { clearDistrictReportTargets(input: $i) { district { code reportTargets { category { code } } } } }`;

/** Deadlines and the queue: targets, the staff-only deadline fields, the deadline clock, the queue and its subscription. */
describe('reports: deadlines and the queue', () => {
  let api: TestServer;
  let clock: Clock;
  const realNow = () => new Date();
  let admin: Account;
  let host: Account;
  let otherHost: Account;
  let resident: Account;
  let stranger: Account;

  /** Moves the server's clock `ms` ahead of real time and runs a whole pass of the deadline clock. */
  async function timePasses(ms: number): Promise<void> {
    clock.now = () => new Date(realNow().getTime() + ms);
    await api.server.app.get(ReportDeadlineClock).tick();
  }

  beforeAll(async () => {
    api = await TestServer.start();
    clock = api.server.app.get(Clock);
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1003');
    otherHost = await makeHost(api, admin, '1004');
    resident = await register(api, { displayName: 'Deadline Resident' });
    stranger = await register(api, { displayName: 'Someone Else' });
  });
  afterEach(() => {
    clock.now = realNow;
  });
  afterAll(async () => {
    clock.now = realNow;
    await api.stop();
  });

  const inDistrict = { districtCode: '1003', place: { latitude: 13.7705, longitude: 100.5135 } };

  it('takes targets from the city, tightened by a district; a report keeps those it was received with', async () => {
    expect((await api.ok(`{ reportCategories { code targets { acceptWithinHours resolveWithinHours } } }`)).reportCategories.find((c: any) => c.code === 'WASTE').targets).toEqual({
      acceptWithinHours: 12,
      resolveWithinHours: 48,
    });
    // Only administrators set the city's; hours must be whole, within a year, and resolving no sooner than accepting.
    expect(code(await api.gql(SET_CITY, { i: { code: 'WASTE', acceptWithinHours: 10, resolveWithinHours: 40 } }, host.token))).toBe('FORBIDDEN');
    expect(fields(await api.gql(SET_CITY, { i: { code: 'WASTE', acceptWithinHours: 30, resolveWithinHours: 20 } }, admin.token))).toEqual(['input.resolveWithinHours']);
    expect(fields(await api.gql(SET_CITY, { i: { code: 'WASTE', acceptWithinHours: 0, resolveWithinHours: 9000 } }, admin.token))).toEqual(['input.acceptWithinHours', 'input.resolveWithinHours']);
    expect(code(await api.gql(SET_CITY, { i: { code: 'NO_SUCH', acceptWithinHours: 1, resolveWithinHours: 2 } }, admin.token))).toBe('NOT_FOUND');
    const before = await submitReport(api, resident, { ...inDistrict, categoryCode: 'WASTE' });
    expect((await api.ok(SET_CITY, { i: { code: 'WASTE', acceptWithinHours: 10, resolveWithinHours: 40 } }, admin.token)).setReportCategoryTargets.category.targets).toEqual({
      acceptWithinHours: 10,
      resolveWithinHours: 40,
    });

    // The district's staff tighten them for their district; never looser than the city's, and not another district's.
    const tighter = { districtCode: '1003', categoryCode: 'WASTE', acceptWithinHours: 4, resolveWithinHours: 24 };
    expect(code(await api.gql(SET_DISTRICT, { i: tighter }, otherHost.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(SET_DISTRICT, { i: tighter }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(SET_DISTRICT, { i: tighter }))).toBe('UNAUTHENTICATED');
    const looser = await api.gql(SET_DISTRICT, { i: { ...tighter, acceptWithinHours: 11, resolveWithinHours: 41 } }, host.token);
    expect(code(looser)).toBe('BAD_USER_INPUT');
    expect(fields(looser)).toEqual(['input.acceptWithinHours', 'input.resolveWithinHours']);
    expect(code(await api.gql(SET_DISTRICT, { i: { ...tighter, districtCode: '9999' } }, host.token))).toBe('NOT_FOUND');
    expect(fields(await api.gql(SET_DISTRICT, { i: { ...tighter, categoryCode: 'NO_SUCH' } }, host.token))).toEqual(['input.categoryCode']);
    const set = (await api.ok(SET_DISTRICT, { i: tighter }, host.token)).setDistrictReportTargets;
    expect(set.target).toEqual({ acceptWithinHours: 4, resolveWithinHours: 24 });
    expect(set.district.reportTargets).toEqual([{ category: { code: 'WASTE' }, acceptWithinHours: 4, resolveWithinHours: 24 }]);

    // A new report runs on the district's targets; the one already there keeps the city's of its time.
    const after = await submitReport(api, resident, { ...inDistrict, categoryCode: 'WASTE' });
    const [old, fresh] = [(await api.ok(DEADLINES, { id: before }, host.token)).report.deadlines, (await api.ok(DEADLINES, { id: after }, host.token)).report.deadlines];
    const hours = (d: any, at: string) => Math.round((Date.parse(d[at]) - Date.parse(d.receivedAt)) / HOUR);
    expect([hours(old, 'acceptBy'), hours(old, 'resolveBy')]).toEqual([12, 48]);
    expect([hours(fresh, 'acceptBy'), hours(fresh, 'resolveBy')]).toEqual([4, 24]);
    expect(fresh.dueAt).toBe(fresh.acceptBy);
    // The city tightening past the district's own binds the district too: each target is the tighter of the two.
    await api.ok(SET_CITY, { i: { code: 'WASTE', acceptWithinHours: 10, resolveWithinHours: 20 } }, admin.token);
    const tightest = (await api.ok(DEADLINES, { id: await submitReport(api, resident, { ...inDistrict, categoryCode: 'WASTE' }) }, host.token)).report.deadlines;
    expect([hours(tightest, 'acceptBy'), hours(tightest, 'resolveBy')]).toEqual([4, 20]);

    // Cleared, the district is back on the city's targets (clearing again changes nothing).
    expect((await api.ok(CLEAR_DISTRICT, { i: { districtCode: '1003', categoryCode: 'WASTE' } }, admin.token)).clearDistrictReportTargets.district.reportTargets).toEqual([]);
    expect(code(await api.gql(CLEAR_DISTRICT, { i: { districtCode: '1003', categoryCode: 'WASTE' } }, host.token))).toBe('OK');
    expect(code(await api.gql(CLEAR_DISTRICT, { i: { districtCode: '1003', categoryCode: 'WASTE' } }, otherHost.token))).toBe('FORBIDDEN');
    const cleared = (await api.ok(DEADLINES, { id: await submitReport(api, resident, { ...inDistrict, categoryCode: 'WASTE' }) }, host.token)).report.deadlines;
    expect(hours(cleared, 'acceptBy')).toBe(10);
  });

  it('shows deadlines and breaches to the district’s staff and administrators only', async () => {
    const id = await submitReport(api, resident, inDistrict);
    const asked = `query($id: ID!) { report(id: $id) { id deadlines { overdue } breaches { kind } } }`;
    for (const [who, expected] of [[resident, 'FORBIDDEN'], [otherHost, 'FORBIDDEN'], [stranger, 'FORBIDDEN'], [undefined, 'UNAUTHENTICATED']] as const) {
      const res = await api.gql(asked, { id }, who?.token);
      expect(res.data!.report).toEqual({ id, deadlines: null, breaches: null });
      expect(res.errors!.map((e) => e.extensions!.code)).toEqual([expected, expected]);
    }
    expect((await api.ok(asked, { id }, host.token)).report).toEqual({ id, deadlines: { overdue: false }, breaches: [] });
    expect((await api.ok(asked, { id }, admin.token)).report).toEqual({ id, deadlines: { overdue: false }, breaches: [] });
  });

  it('marks a missed deadline once, lists the queue by deadline, and clears the mark when a step gives a new deadline', async () => {
    const district = '1005';
    const staff = await makeHost(api, admin, district);
    const place = { latitude: 13.7305, longitude: 100.5135 };
    // STREET_LIGHTS: 24 h to accept, 72 h to resolve; FLOODING_AND_DRAINAGE: 6 h and 48 h.
    const lights = await submitReport(api, resident, { districtCode: district, place, categoryCode: 'STREET_LIGHTS' });
    const flood = await submitReport(api, resident, { districtCode: district, place, categoryCode: 'FLOODING_AND_DRAINAGE' });
    const queue = async (vars: Record<string, unknown> = {}) => (await api.ok(QUEUE, { d: district, ...vars }, staff.token)).reportQueue;
    expect((await queue()).edges.map((e: any) => e.node.id)).toEqual([flood, lights]);
    expect(code(await api.gql(QUEUE, { d: district }, otherHost.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(QUEUE, { d: district }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(QUEUE, { d: district }))).toBe('UNAUTHENTICATED');
    expect(code(await api.gql(QUEUE, { d: '9999' }, admin.token))).toBe('NOT_FOUND');
    // Pages follow the order.
    const first = await queue({ first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect((await queue({ first: 1, after: first.pageInfo.endCursor })).edges.map((e: any) => e.node.id)).toEqual([lights]);

    await timePasses(7 * HOUR);
    await refreshTokens(staff);
    const overdue = await queue({ o: true });
    expect(overdue.edges.map((e: any) => e.node.id)).toEqual([flood]);
    expect(overdue.edges[0].node.deadlines.overdue).toBe(true);
    // Passes that find nothing new record nothing twice.
    await api.server.app.get(ReportDeadlineClock).tick();
    const breached = (await api.ok(DEADLINES, { id: flood }, staff.token)).report;
    expect(breached.breaches.map((b: any) => b.kind)).toEqual(['ACCEPT']);
    expect(breached.deadlines.overdueSince).toBe(breached.deadlines.acceptBy);

    // Accepting late moves it on to its resolve deadline, not yet missed: no longer overdue.
    await moveReport(api, staff, flood, 'acceptReport');
    expect((await queue({ o: true })).edges).toEqual([]);
    expect((await queue({ s: ['ACCEPTED'] })).edges.map((e: any) => e.node.id)).toEqual([flood]);
    expect((await queue({ s: ['RESOLVED'] })).edges).toEqual([]);
    // Then that one passes too: a second breach, of the other kind.
    await timePasses(60 * HOUR);
    await refreshTokens(staff);
    expect((await api.ok(DEADLINES, { id: flood }, staff.token)).report.breaches.map((b: any) => b.kind)).toEqual(['ACCEPT', 'RESOLVE']);
    await moveReport(api, staff, flood, 'resolveReport');
    expect((await queue()).edges.map((e: any) => e.node.id)).toEqual([lights]);
  });

  it('records each breach once when passes run side by side', async () => {
    const district = '1006';
    const place = { latitude: 13.7535, longitude: 100.5235 };
    const ids = await Promise.all([0, 1, 2].map(() => submitReport(api, stranger, { districtCode: district, place, categoryCode: 'SAFETY' })));
    const job = api.server.app.get(ReportDeadlineClock);
    // The test chooses when passes run: the job's timer stops, and a pass under way ends first.
    job.onModuleDestroy();
    await job.tick();
    clock.now = () => new Date(realNow().getTime() + 7 * HOUR);
    const passes = await Promise.all([job.markBreaches(), job.markBreaches(), job.markBreaches()]);
    clock.now = realNow;
    // Every breach of these reports came from exactly one of the passes.
    const raw = ids.map((id) => fromGlobalId(id, 'Report'));
    const marked = passes.flat().map((b) => b.reportId).filter((id) => raw.includes(id));
    expect(marked.sort()).toEqual([...raw].sort());
    const mine = (await api.ok(QUEUE, { d: district, o: true }, admin.token)).reportQueue.edges.map((e: any) => e.node.id);
    expect(mine.sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await api.ok(DEADLINES, { id }, admin.token)).report.breaches).toHaveLength(1);
  });

  it('tells the queue’s staff of a breach, and stops telling a host removed from the district at the next event', async () => {
    const district = '1008';
    const staff = await makeHost(api, admin, district);
    const place = { latitude: 13.7535, longitude: 100.5035 };
    const ws = api.wsClient(staff.token);
    const watcher = await api.listen(() => new Subscription(ws, `subscription($d: String!) { reportQueueUpdated(districtCode: $d) { kind report { id deadlines { overdue } } } }`, { d: district }));
    // Refused at the start to anyone else.
    const refused = new Subscription(api.wsClient(otherHost.token), `subscription { reportQueueUpdated(districtCode: "${district}") { kind } }`);
    await refused.ended;
    expect(refused.events[0].errors![0].extensions.code).toBe('FORBIDDEN');

    const id = await submitReport(api, resident, { districtCode: district, place, categoryCode: 'SAFETY' });
    await watcher.waitForEvent((e) => e.data?.reportQueueUpdated.kind === 'NEW');
    await timePasses(7 * HOUR);
    const breach = await watcher.waitForEvent((e) => e.data?.reportQueueUpdated.kind === 'BREACHED');
    expect(breach.data!.reportQueueUpdated.report).toEqual({ id, deadlines: { overdue: true } });

    clock.now = realNow;
    await api.ok(`mutation($u: ID!) { removeHost(input: { userId: $u, districtCode: "${district}" }) { user { id } } }`, { u: staff.id }, admin.token);
    // No longer a host, they do not hear the next report arrive (a colleague still on duty does); appointed again, they
    // hear the one after. Events reach a subscriber in order, so once that one is heard, the one before was not sent.
    const colleague = await makeHost(api, admin, district);
    const colleagueWs = api.wsClient(colleague.token);
    const onDuty = await api.listen(() => new Subscription(colleagueWs, `subscription($d: String!) { reportQueueUpdated(districtCode: $d) { kind report { id } } }`, { d: district }));
    const unheard = await submitReport(api, resident, { districtCode: district, place, categoryCode: 'SAFETY' });
    await onDuty.waitForEvent((e) => e.data?.reportQueueUpdated.report.id === unheard);
    await appointHost(api, admin, staff, district);
    const heardAgain = await submitReport(api, resident, { districtCode: district, place, categoryCode: 'SAFETY' });
    await watcher.waitForEvent((e) => e.data?.reportQueueUpdated.report.id === heardAgain);
    expect(watcher.events.map((e) => [e.data!.reportQueueUpdated.kind, e.data!.reportQueueUpdated.report.id])).toEqual([
      ['NEW', id],
      ['BREACHED', id],
      ['NEW', heardAgain],
    ]);
    expect(JSON.stringify(watcher.events)).not.toContain(unheard);
    await Promise.all([ws.dispose(), colleagueWs.dispose()]);
  });

  async function refreshTokens(account: Account): Promise<void> {
    const { refreshToken } = await api.ok(`mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }`, { t: account.refreshToken });
    Object.assign(account, { token: refreshToken.accessToken, refreshToken: refreshToken.refreshToken });
  }
});

/** Two instances on one PostgreSQL, each running its deadline clock: each breach is recorded and announced once. */
describeWith({ postgres: true }, 'reports: the deadline clock on several instances', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url }), TestServer.start({ databaseUrl: database.url })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('records each missed deadline once', async () => {
    const resident = await register(a, { displayName: 'Two Instances' });
    const ids = await Promise.all([0, 1, 2, 3].map(() => submitReport(a, resident, { districtCode: '1009', place: { latitude: 13.80, longitude: 100.60 }, categoryCode: 'SAFETY' })));
    const later = () => new Date(Date.now() + 7 * HOUR);
    for (const server of [a, b]) {
      // The test chooses when passes run: the timers stop.
      server.server.app.get(ReportDeadlineClock).onModuleDestroy();
      server.server.app.get(Clock).now = later;
    }
    const passes = await Promise.all([a, b, a, b].map((server) => server.server.app.get(ReportDeadlineClock).markBreaches()));
    const marked = passes.flat().map((row) => row.reportId);
    expect(marked.sort()).toEqual(ids.map((id) => fromGlobalId(id, 'Report')).sort());
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      expect((await db.query(`SELECT count(*)::int AS count FROM report_breaches`)).rows[0].count).toBe(4);
    } finally {
      await db.end();
    }
  });
});
