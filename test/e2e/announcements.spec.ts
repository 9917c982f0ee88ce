import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AnnouncementClock } from '../../src/announcements/announcement-clock.service';
import { announcementChannel } from '../../src/announcements/announcement-live';
import { Clock } from '../../src/common/clock/clock';
import { toGlobalId } from '../../src/common/relay/global-id';
import { EventBus } from '../../src/realtime/event-bus';
import { Account, loginAdmin, makeHost, register, submitReport } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/database';
import { describeWith } from '../support/services';
import { createQuestionnaire } from '../support/questionnaires';
import { Subscription, TestServer } from '../support/test-server';

const HOUR = 3_600_000;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';
const fields = (res: { errors?: { extensions?: { fields?: { field: string }[] } }[] }) => res.errors?.[0]?.extensions?.fields?.map((f) => f.field);

const PUBLISH = `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id status pinned version publishAt title district { code } } } }`;
const EDIT = `mutation($i: EditAnnouncementInput!) { editAnnouncement(input: $i) { announcement { id version title body } } }`;
const PIN = `mutation($i: PinAnnouncementInput!) { pinAnnouncement(input: $i) { announcement { id pinned } } }`;
const UNPIN = `mutation($i: UnpinAnnouncementInput!) { unpinAnnouncement(input: $i) { announcement { id pinned } } }`;
const WITHDRAW = `mutation($i: WithdrawAnnouncementInput!) { withdrawAnnouncement(input: $i) { announcement { id status withdrawalReason } } }`;
const LIST = `query($d: String, $x: Boolean, $u: Boolean, $first: Int, $after: String) {
  announcements(districtCode: $d, includeExpired: $x, includeUnpublished: $u, first: $first, after: $after) { totalCount edges { cursor node { id title pinned status } } pageInfo { hasNextPage endCursor } } }`;
const READ = `query($id: ID!) { announcement(id: $id) { id status title body titleEn version expired withdrawalReason questionnaire { id } report { id }
  history(first: 10) { totalCount nodes { version title body kind replacedAt } } } }`;

const content = (overrides: Record<string, unknown> = {}) => ({
  kind: 'NOTICE',
  titleTh: 'ปิดถนนพระอาทิตย์ชั่วคราว',
  bodyTh: 'ปิดถนน **พระอาทิตย์** เพื่อซ่อมท่อระบายน้ำ',
  ...overrides,
});

describe('announcements, attacked', () => {
  let api: TestServer;
  let clock: Clock;
  const realNow = () => new Date();
  let admin: Account;
  /** Staff of Phra Nakhon (1001) and of Dusit (1002); a resident with no role. */
  let host: Account;
  let dusitHost: Account;
  let resident: Account;

  const publish = async (input: Record<string, unknown>, who: Account = host) => (await api.ok(PUBLISH, { i: { districtCode: '1001', ...content(), ...input } }, who.token)).publishAnnouncement.announcement;
  const list = async (variables: Record<string, unknown>, who?: Account) => (await api.ok(LIST, variables, who?.token)).announcements;
  const titles = async (variables: Record<string, unknown>, who?: Account) => (await list({ first: 100, ...variables }, who)).edges.map((e: any) => e.node.title);

  beforeAll(async () => {
    api = await TestServer.start();
    clock = api.server.app.get(Clock);
    // The test chooses when the clock's passes run.
    api.server.app.get(AnnouncementClock).onModuleDestroy();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1001');
    dusitHost = await makeHost(api, admin, '1002');
    resident = await register(api, { displayName: 'Jane Resident', locale: 'en' });
  });
  afterAll(async () => {
    clock.now = realNow;
    await api.stop();
  });

  it('lets only the district’s staff and administrators publish to it, and only administrators to the whole city', async () => {
    const attempt = (who: Account | undefined, districtCode: string | null) => api.gql(PUBLISH, { i: { ...content(), districtCode } }, who?.token);
    expect(code(await attempt(undefined, '1001'))).toBe('UNAUTHENTICATED');
    expect(code(await attempt(resident, '1001'))).toBe('FORBIDDEN');
    expect(code(await attempt(dusitHost, '1001'))).toBe('FORBIDDEN');
    expect(code(await attempt(host, null))).toBe('FORBIDDEN');
    expect(code(await attempt(host, '9999'))).toBe('NOT_FOUND');
    const mine = await publish({ titleTh: 'ประกาศของเขตพระนคร' });
    expect(mine).toMatchObject({ status: 'PUBLISHED', pinned: false, version: 1, title: 'ประกาศของเขตพระนคร', district: { code: '1001' } });
    const city = (await api.ok(PUBLISH, { i: content({ titleTh: 'ประกาศของกรุงเทพมหานคร', kind: 'EMERGENCY' }) }, admin.token)).publishAnnouncement.announcement;
    expect(city).toMatchObject({ status: 'PUBLISHED', district: null });
    // City-wide ones are in every district's list, and alone in the city's.
    expect(await titles({ d: '1001' })).toEqual(expect.arrayContaining(['ประกาศของเขตพระนคร', 'ประกาศของกรุงเทพมหานคร']));
    expect(await titles({ d: '1002' })).toContain('ประกาศของกรุงเทพมหานคร');
    expect(await titles({ d: '1002' })).not.toContain('ประกาศของเขตพระนคร');
    expect(await titles({})).toContain('ประกาศของกรุงเทพมหานคร');
    expect(await titles({})).not.toContain('ประกาศของเขตพระนคร');
  });

  it('refuses bad input field by field, and stores nothing', async () => {
    const before = (await list({ d: '1001', u: true }, host)).totalCount;
    const bad = await api.gql(
      PUBLISH,
      {
        i: {
          districtCode: '1001',
          kind: 'NOTICE',
          titleTh: '',
          bodyTh: 'x<script>alert(1)</script>',
          titleEn: 'English title without a body',
          validFrom: '2030-01-02T00:00:00Z',
          validUntil: '2030-01-01T00:00:00Z',
          proposalId: toGlobalId('Report', randomUUID()),
          questionnaireId: toGlobalId('Proposal', randomUUID()),
        },
      },
      host.token,
    );
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(fields(bad)).toEqual(['input.titleTh', 'input.bodyTh', 'input.validUntil', 'input.bodyEn', 'input.proposalId', 'input.questionnaireId']);
    const pastEnd = await api.gql(PUBLISH, { i: { districtCode: '1001', ...content({ validUntil: new Date(Date.now() - HOUR).toISOString() }) } }, host.token);
    expect(fields(pastEnd)).toEqual(['input.validUntil']);
    const missingReport = await api.gql(PUBLISH, { i: { districtCode: '1001', ...content({ reportId: toGlobalId('Report', randomUUID()) }) } }, host.token);
    expect(fields(missingReport)).toEqual(['input.reportId']);
    expect((await list({ d: '1001', u: true }, host)).totalCount).toBe(before);
  });

  it('links a report and an open questionnaire; a questionnaire of nothing, or a draft the announcer may see but residents not, is what it is', async () => {
    const report = await submitReport(api, resident, { districtCode: '1001' });
    const questionnaire = (await createQuestionnaire(api, host, '1001', { open: true })).id;
    const { id } = await publish({ reportId: report, questionnaireId: questionnaire });
    const read = (await api.ok(READ, { id })).announcement;
    expect(read).toMatchObject({ report: { id: report }, questionnaire: { id: questionnaire } });
    const missing = await api.gql(PUBLISH, { i: { districtCode: '1001', ...content({ questionnaireId: toGlobalId('Questionnaire', randomUUID()) }) } }, host.token);
    expect(fields(missing)).toEqual(['input.questionnaireId']);
    // A draft is the staff's: linked by them, it reads as null to a resident until it opens.
    const draft = (await createQuestionnaire(api, host, '1001')).id;
    const linked = await publish({ questionnaireId: draft });
    expect((await api.ok(READ, { id: linked.id }, resident.token)).announcement.questionnaire).toBeNull();
    expect((await api.ok(READ, { id: linked.id }, host.token)).announcement.questionnaire).toEqual({ id: draft });
  });

  it('lets only its staff edit it, and keeps each version it replaced, for everyone to read', async () => {
    const { id } = await publish({ titleTh: 'เปิดรับฟังความเห็น', titleEn: 'Consultation opens', bodyEn: 'First version' });
    for (const who of [resident, dusitHost]) expect(code(await api.gql(EDIT, { i: { announcementId: id, ...content() } }, who.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(EDIT, { i: { announcementId: id, ...content() } }))).toBe('UNAUTHENTICATED');
    await api.ok(EDIT, { i: { announcementId: id, ...content({ titleTh: 'เปิดรับฟังความเห็น (แก้ไข)', titleEn: 'Consultation opens (corrected)', bodyEn: 'Second version' }) } }, host.token);
    const edited = (await api.ok(EDIT, { i: { announcementId: id, ...content({ titleTh: 'ฉบับที่สาม', kind: 'EVENT' }) } }, admin.token)).editAnnouncement.announcement;
    expect(edited).toMatchObject({ version: 3, title: 'ฉบับที่สาม' });
    const read = (await api.gql(READ, { id }, undefined, { 'accept-language': 'en' })).data!.announcement;
    // The third version has no English: English readers read the Thai.
    expect(read).toMatchObject({ version: 3, title: 'ฉบับที่สาม', titleEn: null });
    expect(read.history.totalCount).toBe(2);
    expect(read.history.nodes.map((v: any) => [v.version, v.title, v.body, v.kind])).toEqual([
      [2, 'Consultation opens (corrected)', 'Second version', 'NOTICE'],
      [1, 'Consultation opens', 'First version', 'NOTICE'],
    ]);
  });

  it('pins up to 3 per district (a 4th is PIN_LIMIT_REACHED), pinned first then newest, and only its staff pin', async () => {
    const district = '1003';
    const staff = await makeHost(api, admin, district);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push((await publish({ districtCode: district, titleTh: `ประกาศที่ ${n}` }, staff)).id);
    for (const who of [resident, dusitHost]) expect(code(await api.gql(PIN, { i: { announcementId: ids[0] } }, who.token))).toBe('FORBIDDEN');
    for (const id of ids.slice(0, 3)) expect((await api.ok(PIN, { i: { announcementId: id } }, staff.token)).pinAnnouncement.announcement.pinned).toBe(true);
    const fourth = await api.gql(PIN, { i: { announcementId: ids[3] } }, staff.token);
    expect(code(fourth)).toBe('PIN_LIMIT_REACHED');
    // Pinning one already pinned changes nothing, and is not a fourth.
    expect(code(await api.gql(PIN, { i: { announcementId: ids[0] } }, staff.token))).toBe('OK');
    const own = (await titles({ d: district })).filter((t: string) => t.startsWith('ประกาศที่'));
    expect(own).toEqual(['ประกาศที่ 3', 'ประกาศที่ 2', 'ประกาศที่ 1', 'ประกาศที่ 5', 'ประกาศที่ 4']);
    // Pages follow the same order.
    const first = await list({ d: district, first: 2 });
    const rest = await list({ d: district, first: 100, after: first.pageInfo.endCursor });
    expect([...first.edges, ...rest.edges].map((e: any) => e.node.title).filter((t: string) => t.startsWith('ประกาศที่'))).toEqual(own);
    expect(code(await api.gql(UNPIN, { i: { announcementId: ids[0] } }, resident.token))).toBe('FORBIDDEN');
    await api.ok(UNPIN, { i: { announcementId: ids[0] } }, staff.token);
    expect((await api.ok(PIN, { i: { announcementId: ids[3] } }, staff.token)).pinAnnouncement.announcement.pinned).toBe(true);
    // Two pins at once for the last place: one wins.
    await api.ok(UNPIN, { i: { announcementId: ids[3] } }, staff.token);
    const race = await Promise.all([ids[0], ids[4]].map((id) => api.gql(PIN, { i: { announcementId: id } }, staff.token)));
    expect(race.map(code).sort()).toEqual(['OK', 'PIN_LIMIT_REACHED']);
  });

  it('withdraws with a reason: hidden from the public and from an earlier subscriber, shown to the staff with the reason', async () => {
    const district = '1004';
    const staff = await makeHost(api, admin, district);
    const ws = api.wsClient();
    const watcher = await api.listen(() => new Subscription(ws, `subscription($d: String) { announcementPublished(districtCode: $d) { id title status } }`, { d: district }));
    const { id } = await publish({ districtCode: district, titleTh: 'จะถูกถอน' }, staff);
    await watcher.waitForEvent((e) => e.data?.announcementPublished.id === id);
    for (const who of [resident, dusitHost]) expect(code(await api.gql(WITHDRAW, { i: { announcementId: id, reason: 'ผิดพลาด' } }, who.token))).toBe('FORBIDDEN');
    expect(fields(await api.gql(WITHDRAW, { i: { announcementId: id, reason: ' ' } }, staff.token))).toEqual(['input.reason']);
    const withdrawn = (await api.ok(WITHDRAW, { i: { announcementId: id, reason: 'ประกาศผิดวัน' } }, staff.token)).withdrawAnnouncement.announcement;
    expect(withdrawn).toEqual({ id, status: 'WITHDRAWN', withdrawalReason: 'ประกาศผิดวัน' });
    expect(code(await api.gql(WITHDRAW, { i: { announcementId: id, reason: 'อีกครั้ง' } }, staff.token))).toBe('ILLEGAL_STATE');
    expect(code(await api.gql(EDIT, { i: { announcementId: id, ...content() } }, staff.token))).toBe('ILLEGAL_STATE');
    // Gone for the public, a resident and another district's staff: by id, in the list.
    for (const who of [undefined, resident, dusitHost]) {
      expect((await api.gql(READ, { id }, who?.token)).data!.announcement).toBeNull();
      expect(await titles({ d: district }, who)).not.toContain('จะถูกถอน');
    }
    expect(code(await api.gql(LIST, { d: district, u: true }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(LIST, { d: district, u: true }, dusitHost.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(LIST, { d: district, u: true }))).toBe('UNAUTHENTICATED');
    // Its staff see it, with the reason.
    expect((await api.ok(READ, { id }, staff.token)).announcement).toMatchObject({ status: 'WITHDRAWN', withdrawalReason: 'ประกาศผิดวัน' });
    expect(await titles({ d: district, u: true }, staff)).toContain('จะถูกถอน');
    expect(await titles({ d: district }, staff)).not.toContain('จะถูกถอน');
    // An event about it that arrives late (another instance, a slow Redis) is not delivered: each event is read again.
    api.server.app.get(EventBus).publish(announcementChannel(district), { announcementId: fromId(id) });
    const barrier = await publish({ districtCode: district, titleTh: 'ประกาศถัดไป' }, staff);
    await watcher.waitForEvent((e) => e.data?.announcementPublished.id === barrier.id);
    expect(watcher.events.map((e) => e.data?.announcementPublished.title)).toEqual(['จะถูกถอน', 'ประกาศถัดไป']);
    await ws.dispose();
  });

  it('keeps a scheduled one for the staff until its time, then the clock publishes it once and tells subscribers', async () => {
    const district = '1005';
    const staff = await makeHost(api, admin, district);
    const ws = api.wsClient(resident.token);
    const watcher = await api.listen(() => new Subscription(ws, `subscription($d: String) { announcementPublished(districtCode: $d) { id title status } }`, { d: district }));
    const at = new Date(Date.now() + 2 * HOUR);
    const scheduled = await publish({ districtCode: district, titleTh: 'ตั้งเวลาไว้', publishAt: at.toISOString() }, staff);
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', publishAt: at.toISOString() });
    const cancelled = await publish({ districtCode: district, titleTh: 'ยกเลิกก่อนถึงเวลา', publishAt: at.toISOString() }, staff);
    await api.ok(WITHDRAW, { i: { announcementId: cancelled.id, reason: 'ยกเลิกกิจกรรม' } }, staff.token);
    expect((await api.gql(READ, { id: scheduled.id }, resident.token)).data!.announcement).toBeNull();
    expect(await titles({ d: district })).not.toContain('ตั้งเวลาไว้');
    expect(await titles({ d: district, u: true }, staff)).toContain('ตั้งเวลาไว้');
    const job = api.server.app.get(AnnouncementClock);
    expect(await job.publishDue()).toEqual([]);
    clock.now = () => new Date(realNow().getTime() + 3 * HOUR);
    try {
      const passes = await Promise.all([job.publishDue(), job.publishDue(), job.publishDue()]);
      expect(passes.flat().map((a) => a.id)).toEqual([fromId(scheduled.id)]);
    } finally {
      clock.now = realNow;
    }
    const heard = await watcher.waitForEvent((e) => e.data?.announcementPublished.id === scheduled.id);
    expect(heard.data!.announcementPublished).toEqual({ id: scheduled.id, title: 'ตั้งเวลาไว้', status: 'PUBLISHED' });
    expect(await titles({ d: district })).toEqual(expect.arrayContaining(['ตั้งเวลาไว้']));
    expect(await titles({ d: district })).not.toContain('ยกเลิกก่อนถึงเวลา');
    await ws.dispose();
  });

  it('tells a district’s subscribers, and the city’s, of a city-wide announcement; not another district’s of a district’s', async () => {
    const ws = api.wsClient();
    const query = `subscription($d: String) { announcementPublished(districtCode: $d) { id title district { code } } }`;
    const [bangRak, city] = await api.listen(() => [new Subscription(ws, query, { d: '1004' }), new Subscription(ws, query, {})]);
    const ours = await publish({ districtCode: '1002', titleTh: 'ของเขตดุสิตเท่านั้น' }, dusitHost);
    const everyone = (await api.ok(PUBLISH, { i: content({ titleTh: 'ถึงทุกเขต', kind: 'EMERGENCY' }) }, admin.token)).publishAnnouncement.announcement;
    for (const watcher of [bangRak, city]) {
      const heard = await watcher.waitForEvent((e) => e.data?.announcementPublished.id === everyone.id);
      expect(heard.data!.announcementPublished).toEqual({ id: everyone.id, title: 'ถึงทุกเขต', district: null });
      expect(JSON.stringify(watcher.events)).not.toContain(ours.id);
    }
    const unknown = new Subscription(ws, query, { d: '9999' });
    await unknown.ended;
    expect(unknown.events[0].errors![0].extensions.code).toBe('NOT_FOUND');
    await ws.dispose();
  });

  it('hides expired ones unless asked for them', async () => {
    const district = '1006';
    const staff = await makeHost(api, admin, district);
    const { id } = await publish({ districtCode: district, titleTh: 'หมดอายุพรุ่งนี้', validUntil: new Date(Date.now() + 24 * HOUR).toISOString() }, staff);
    expect(await titles({ d: district })).toContain('หมดอายุพรุ่งนี้');
    clock.now = () => new Date(realNow().getTime() + 25 * HOUR);
    try {
      expect(await titles({ d: district })).not.toContain('หมดอายุพรุ่งนี้');
      expect(await titles({ d: district, x: true })).toContain('หมดอายุพรุ่งนี้');
      expect((await api.ok(READ, { id })).announcement).toMatchObject({ expired: true });
    } finally {
      clock.now = realNow;
    }
  });
});

/** The database id inside an Announcement's global id. */
function fromId(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}

/** Two instances on one PostgreSQL, each running the announcements' clock: each scheduled one is published, and told, once. */
describeWith({ postgres: true }, 'announcements: the clock on several instances', () => {
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

  it('publishes each scheduled announcement exactly once', async () => {
    const admin = await loginAdmin(a);
    const staff = await makeHost(a, admin, '1009');
    const at = new Date(Date.now() + HOUR).toISOString();
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const res = await a.ok(PUBLISH, { i: { districtCode: '1009', ...content({ titleTh: `ตั้งเวลา ${n}` }), publishAt: at } }, staff.token);
      ids.push(res.publishAnnouncement.announcement.id);
    }
    const later = () => new Date(Date.now() + 2 * HOUR);
    for (const server of [a, b]) {
      server.server.app.get(AnnouncementClock).onModuleDestroy();
      server.server.app.get(Clock).now = later;
    }
    const passes = await Promise.all([a, b, a, b].map((server) => server.server.app.get(AnnouncementClock).publishDue()));
    expect(passes.flat().map((row) => row.id).sort()).toEqual(ids.map(fromId).sort());
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      expect((await db.query(`SELECT count(*)::int AS count FROM announcements WHERE status = 'PUBLISHED'`)).rows[0].count).toBe(4);
    } finally {
      await db.end();
    }
  });
});
