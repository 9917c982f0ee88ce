import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { DistrictNews } from '../../src/following';
import { DistrictNewsDelivery } from '../../src/following/district-news-delivery.service';
import { createTestDatabase, TestDatabase } from '../support/database';
import { Account, createProposal, hideProposal, loginAdmin, makeHost, makeResident, publishProposal, register } from '../support/factories';
import { hearingInput, scheduleHearing } from '../support/hearings';
import { describeWith, redisUrl } from '../support/services';
import { createQuestionnaire } from '../support/questionnaires';
import { Subscription, TestServer } from '../support/test-server';
import { bulkResidents, openRound, roundInput } from '../support/voting';

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';

const FOLLOW = `mutation($i: FollowDistrictInput!) { followDistrict(input: $i) { followedDistrict { district { code } resident following preferences { news notices events proposals hearings votes questionnaires } } } }`;
const UNFOLLOW = `mutation($i: UnfollowDistrictInput!) { unfollowDistrict(input: $i) { followedDistrict { district { code } resident following } } }`;
const PREFER = `mutation($i: SetFollowPreferencesInput!) { setFollowPreferences(input: $i) { followedDistrict { district { code } following preferences { news notices proposals } } } }`;
const MINE = `{ myFollowedDistricts { totalCount edges { node { district { code } resident following preferences { proposals } } } } }`;
const NEWS = `{ notifications(first: 100) { edges { node { kind title body proposal { id } hearing { id } } } } }`;

type Told = { kind: string; title: string; body: string | null; proposal: { id: string } | null; hearing: { id: string } | null };

/** Following districts, as attackers and as the people told: who is told what, once, and only what they may see. */
describe('following districts', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let delivery: DistrictNewsDelivery;

  /** District news each account was told, newest first. */
  async function told(account: Account): Promise<Told[]> {
    return (await api.ok(NEWS, {}, account.token)).notifications.edges.map((e: { node: Told }) => e.node).filter((n: Told) => n.kind.startsWith('DISTRICT_'));
  }
  /** An administrator announces (null: city-wide), which tells the district's people through DistrictNews. */
  async function announce(districtCode: string | null, kind: string, title: { th: string; en: string }): Promise<void> {
    const i = { ...(districtCode ? { districtCode } : {}), kind, titleTh: title.th, titleEn: title.en, bodyTh: 'รายละเอียด', bodyEn: 'Details' };
    await api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i }, admin.token);
  }
  const follow = (account: Account, districtCode: string, preferences?: Record<string, boolean>) => api.ok(FOLLOW, { i: { districtCode, preferences } }, account.token);

  beforeAll(async () => {
    // Batches of 5, so that news of a few dozen people takes several; delivery runs when the test says (test servers have no timer for it).
    api = await TestServer.start({ env: { DISTRICT_NEWS_BATCH_SIZE: '5' } });
    delivery = api.server.app.get(DistrictNewsDelivery);
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1004');
  });
  afterAll(async () => {
    await api.stop();
  });

  it('refuses the anonymous, districts that are not there, and preferences for a district one does not follow', async () => {
    expect(code(await api.gql(FOLLOW, { i: { districtCode: '1004' } }))).toBe('UNAUTHENTICATED');
    expect(code(await api.gql(UNFOLLOW, { i: { districtCode: '1004' } }))).toBe('UNAUTHENTICATED');
    expect(code(await api.gql(PREFER, { i: { districtCode: '1004', preferences: { news: false } } }))).toBe('UNAUTHENTICATED');
    expect(code(await api.gql(MINE))).toBe('UNAUTHENTICATED');
    const someone = await register(api);
    expect(code(await api.gql(FOLLOW, { i: { districtCode: '9999' } }, someone.token))).toBe('NOT_FOUND');
    expect(code(await api.gql(FOLLOW, { i: { districtCode: "1004' OR 1=1" } }, someone.token))).toBe('BAD_USER_INPUT');
    expect(code(await api.gql(PREFER, { i: { districtCode: '1004', preferences: { news: false } } }, someone.token))).toBe('ILLEGAL_STATE');
    // The follower count is for the district's staff.
    const COUNT = `{ district(code: "1004") { code followerCount } }`;
    const refused = await api.gql(COUNT, {}, someone.token);
    expect(code(refused)).toBe('FORBIDDEN');
    expect(refused.data?.district).toEqual({ code: '1004', followerCount: null });
    expect(code(await api.gql(COUNT))).toBe('FORBIDDEN');
    expect((await api.ok(COUNT, {}, host.token)).district.followerCount).toEqual(expect.any(Number));
  });

  it('tells a published proposal to followers and residents, once each, as their preferences say, and never a draft', async () => {
    const resident = await makeResident(api, admin, '1004');
    const residentWhoFollows = await makeResident(api, admin, '1004');
    const follower = await register(api, { locale: 'en' });
    const notForProposals = await register(api);
    const elsewhere = await register(api);
    const author = await register(api);
    const before = (await api.ok(`{ district(code: "1004") { followerCount } }`, {}, host.token)).district.followerCount;

    // A resident follows their own district without asking; following it anyway changes nothing.
    expect((await api.ok(MINE, {}, resident.token)).myFollowedDistricts.edges.map((e: any) => e.node)).toEqual([{ district: { code: '1004' }, resident: true, following: true, preferences: { proposals: true } }]);
    expect((await follow(residentWhoFollows, '1004')).followDistrict.followedDistrict).toMatchObject({ resident: true, following: true });
    expect((await follow(follower, '1004')).followDistrict.followedDistrict).toEqual({
      district: { code: '1004' },
      resident: false,
      following: true,
      preferences: { news: true, notices: true, events: true, proposals: true, hearings: true, votes: true, questionnaires: true },
    });
    await follow(notForProposals, '1004', { proposals: false });
    await follow(elsewhere, '1005');
    // The residents were counted already (following their own district counts them once); the followers of 1004 add two.
    expect((await api.ok(`{ district(code: "1004") { followerCount } }`, {}, host.token)).district.followerCount).toBe(before + 2);

    const draft = await createProposal(api, author, { districtCode: '1004', title: 'Lights on Soi Charoen Krung 36' });
    await delivery.deliverWaiting();
    expect(await told(follower)).toEqual([]);
    await publishProposal(api, author, draft);
    // Nothing is told inside the request: the news waits for delivery.
    expect(await told(follower)).toEqual([]);
    await delivery.deliverWaiting();

    for (const account of [resident, residentWhoFollows, follower]) {
      const news = await told(account);
      expect(news.map((n) => [n.kind, n.body, n.proposal?.id])).toEqual([['DISTRICT_PROPOSAL', 'Lights on Soi Charoen Krung 36', draft]]);
    }
    expect((await told(follower))[0].title).toBe('A new proposal in Bang Rak');
    expect((await told(resident))[0].title).toBe('มีข้อเสนอใหม่ในบางรัก');
    expect(await told(notForProposals)).toEqual([]);
    expect(await told(elsewhere)).toEqual([]);

    // A proposal hidden before its news went out is told no further.
    const hidden = await createProposal(api, author, { districtCode: '1004', title: 'A phone number in the title' });
    await publishProposal(api, author, hidden);
    await hideProposal(api, admin, hidden);
    await delivery.deliverWaiting();
    expect((await told(follower)).map((n) => n.proposal?.id)).toEqual([draft]);
  });

  it('tells a hearing scheduled and a vote opened; not to who unfollowed before delivery, nor what rolled back', async () => {
    const follower = await register(api);
    const leaves = await register(api);
    await follow(follower, '1004');
    await follow(leaves, '1004');
    const hearing = await scheduleHearing(api, host, hearingInput('1004', [{ title: 'Budget' }]));
    await openRound(api, host, roundInput('1004', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]));
    expect((await api.ok(UNFOLLOW, { i: { districtCode: '1004' } }, leaves.token)).unfollowDistrict.followedDistrict).toEqual({ district: { code: '1004' }, resident: false, following: false });
    await delivery.deliverWaiting();
    expect((await told(follower)).map((n) => [n.kind, n.hearing?.id ?? null])).toEqual([
      ['DISTRICT_VOTE', null],
      ['DISTRICT_HEARING', hearing.id],
    ]);
    expect(await told(leaves)).toEqual([]);

    await expect(
      api.server.app.get(UnitOfWork).run(async (tx) => {
        await api.server.app.get(DistrictNews).tell(tx, { districtCode: '1004', topic: 'ANNOUNCEMENT', announcementKind: 'NEWS', subjectType: 'Announcement', subjectId: randomUUID(), title: { th: 'ไม่เคยเกิดขึ้น' } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await delivery.deliverWaiting();
    expect(await told(follower)).toHaveLength(2);
  });

  it('lets an emergency through every preference and a resident\'s unfollow; a city-wide one reaches every account', async () => {
    const resident = await makeResident(api, admin, '1004');
    const follower = await register(api);
    const stranger = await register(api);
    await api.ok(UNFOLLOW, { i: { districtCode: '1004' } }, resident.token);
    expect((await api.ok(MINE, {}, resident.token)).myFollowedDistricts.edges.map((e: any) => e.node.following)).toEqual([false]);
    await follow(follower, '1004', { news: false, notices: false, events: false });
    // A resident may choose what they hear of their own district without a row until then.
    expect((await api.ok(PREFER, { i: { districtCode: '1004', preferences: { notices: false } } }, resident.token)).setFollowPreferences.followedDistrict).toEqual({
      district: { code: '1004' },
      following: false,
      preferences: { news: true, notices: false, proposals: true },
    });

    await announce('1004', 'NOTICE', { th: 'ปิดถนน', en: 'Road closed' });
    await announce('1004', 'EMERGENCY', { th: 'น้ำท่วม', en: 'Flooding' });
    await delivery.deliverWaiting();
    expect((await told(resident)).map((n) => n.title)).toEqual(['เหตุฉุกเฉินในบางรัก']);
    expect((await told(follower)).map((n) => n.body)).toEqual(['น้ำท่วม']);
    expect(await told(stranger)).toEqual([]);

    await announce(null, 'EMERGENCY', { th: 'พายุ', en: 'Storm' });
    await delivery.deliverWaiting();
    expect((await told(stranger)).map((n) => [n.title, n.body])).toEqual([['เหตุฉุกเฉินในกรุงเทพมหานคร', 'พายุ']]);

    const db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      const [{ users, told: storm }] = (
        await db.query(`SELECT (SELECT count(*) FROM users WHERE deleted_at IS NULL)::int AS users, (SELECT count(*) FROM notifications WHERE values->'newsTitle'->>'th' = 'พายุ')::int AS told`)
      ).rows;
      expect(storm).toBe(users);
    } finally {
      await db.end();
    }

    // City-wide news that is not an emergency: whoever follows a district (or lives in one) with that switch on, once.
    const followsTwo = await register(api);
    await follow(followsTwo, '1005');
    await follow(followsTwo, '1003');
    await announce(null, 'NEWS', { th: 'งานวัด', en: 'Temple fair' });
    await delivery.deliverWaiting();
    expect((await told(followsTwo)).map((n) => [n.title, n.body])).toEqual([['ข่าวจากกรุงเทพมหานคร', 'งานวัด']]);
    expect((await told(follower)).map((n) => n.body)).toEqual(['พายุ', 'น้ำท่วม']);
    expect((await told(resident)).map((n) => n.body)).toEqual(['พายุ', 'น้ำท่วม']);
    expect((await told(stranger)).map((n) => n.body)).toEqual(['พายุ']);
  });

  it('delivers news of many people in batches, complete, and live to a subscriber over a real socket', async () => {
    const residents = await bulkResidents(api, '1006', 23);
    const listener = residents[17];
    const ws = api.wsClient(listener.token);
    const live = await api.listen(() => new Subscription(ws, `subscription { notifications { kind title body } }`));
    try {
      await announce('1006', 'EVENT', { th: 'ตลาดนัด', en: 'Market day' });
      const batches: (number | null)[] = [];
      for (let batch = await delivery.deliverBatch(); batch !== null; batch = await delivery.deliverBatch()) batches.push(batch);
      // 23 residents: four full batches and one of three (the last, shorter than a batch, ends the news).
      expect(batches).toEqual([5, 5, 5, 5, 3]);
      const [event] = await live.waitFor(1);
      expect(event.data?.notifications).toEqual({ kind: 'DISTRICT_ANNOUNCEMENT', title: 'กิจกรรมจากบางกะปิ', body: 'ตลาดนัด' });
      for (const account of [residents[0], residents[22]]) expect((await told(account)).map((n) => n.body)).toEqual(['ตลาดนัด']);
    } finally {
      live.close();
      await ws.dispose();
    }
  });
});

describeWith({ postgres: true, redis: true }, 'district news with two instances on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl()!, DISTRICT_NEWS_BATCH_SIZE: '3' };
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url, env }), TestServer.start({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('tells each piece of news to each person exactly once, both instances delivering at once, and live across instances', async () => {
    const residents = await bulkResidents(a, '1008', 40);
    const ws = b.wsClient(residents[31].token);
    const live = await b.listen(() => new Subscription(ws, `subscription { notifications { kind body } }`));
    const [onA, onB] = [a, b].map((server) => server.server.app.get(DistrictNewsDelivery));
    // Three questionnaires opened: each opening tells the district's residents.
    const admin = await loginAdmin(a);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(fromGlobalId((await createQuestionnaire(a, admin, '1008', { open: true, titleTh: `แบบสอบถาม ${i}` })).id, 'Questionnaire'));
    const [toldByA, toldByB] = await Promise.all([onA.deliverWaiting(), onB.deliverWaiting()]);
    expect(toldByA + toldByB).toBe(3 * 40);

    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT n.values->>'subjectId' AS subject, count(*)::int AS told, count(DISTINCT n.user_id)::int AS people FROM notifications n WHERE n.kind = 'DISTRICT_QUESTIONNAIRE' GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([...ids].sort().map((subject) => ({ subject, told: 40, people: 40 })));
    } finally {
      await db.end();
    }
    await live.waitFor(3);
    expect(live.events.map((e) => e.data?.notifications.body).sort()).toEqual(['แบบสอบถาม 0', 'แบบสอบถาม 1', 'แบบสอบถาม 2']);
    live.close();
    await ws.dispose();
  });
});
