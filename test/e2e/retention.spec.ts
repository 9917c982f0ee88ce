import { Client } from 'pg';
import { Clock } from '../../src/common/clock/clock';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { PURGE_RULES, RetentionService } from '../../src/privacy/retention.service';
import { Account, createProposal, inviteCoSponsor, loginAdmin, makeHost, moveReport, notificationIds, register, submitReport } from '../support/factories';
import { TestServer } from '../support/test-server';

const DAY = 86_400_000;

describe('retention: the clock job purges what is no longer needed', () => {
  let api: TestServer;
  let db: Client;
  let clock: Clock;
  let retention: RetentionService;

  beforeAll(async () => {
    api = await TestServer.start({ env: { RETENTION_READ_NOTIFICATIONS_DAYS: '10', RETENTION_ENDED_SESSIONS_DAYS: '7', RETENTION_CALLER_CONTACT_DAYS: '30', REFRESH_TOKEN_TTL: String(20 * 86_400) } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    clock = api.server.app.get(Clock);
    retention = api.server.app.get(RetentionService);
  });
  afterEach(() => {
    delete (clock as { now?: unknown }).now;
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  const at = (ms: number) => {
    clock.now = () => new Date(ms);
  };
  const uuid = (account: Account) => fromGlobalId(account.id, 'User');

  it('removes read notifications older than RETENTION_READ_NOTIFICATIONS_DAYS, keeping unread ones and recent ones', async () => {
    const author = await register(api);
    const reader = await register(api);
    for (let i = 0; i < 3; i += 1) await inviteCoSponsor(api, author, await createProposal(api, author), reader);
    const [newest, , oldest] = await notificationIds(api, reader);
    await api.ok(`mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`, { ids: [newest, oldest] }, reader.token);
    const count = async () => (await db.query(`SELECT read_at IS NOT NULL AS read, count(*)::int AS n FROM notifications WHERE user_id = $1 GROUP BY 1 ORDER BY 1`, [uuid(reader)])).rows;

    at(Date.now() + 9 * DAY);
    await retention.purge();
    expect(await count()).toEqual([{ read: false, n: 1 }, { read: true, n: 2 }]);
    at(Date.now() + 11 * DAY);
    await retention.purge();
    // Read and old: gone. Unread: kept however old (the person has not seen it yet).
    expect(await count()).toEqual([{ read: false, n: 1 }]);
    expect(retention.lastPass['read notifications']).toBe(2);
  });

  it('removes sessions RETENTION_ENDED_SESSIONS_DAYS after they ended (expired or signed out), never a live one', async () => {
    const live = await register(api);
    const signedOut = await register(api);
    await api.ok(`mutation { logout(input: {}) { ended } }`, {}, signedOut.token);
    // Rotating leaves used tokens in the live session's family: they stay while it lives (a reused one must be recognised).
    await api.ok(`mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { refreshToken } }`, { t: live.refreshToken });
    const sessions = async (account: Account) => (await db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`, [uuid(account)])).rows[0].n;
    expect([await sessions(live), await sessions(signedOut)]).toEqual([2, 1]);

    at(Date.now() + 6 * DAY);
    await retention.purge();
    expect([await sessions(live), await sessions(signedOut)]).toEqual([2, 1]);
    at(Date.now() + 8 * DAY);
    await retention.purge();
    expect([await sessions(live), await sessions(signedOut)]).toEqual([2, 0]);
    // The live session expires after 20 days, and goes 7 days later.
    at(Date.now() + 26 * DAY);
    await retention.purge();
    expect(await sessions(live)).toBe(2);
    at(Date.now() + 28 * DAY);
    await retention.purge();
    expect(await sessions(live)).toBe(0);
  });

  it('empties a caller’s name and phone RETENTION_CALLER_CONTACT_DAYS after their report was closed, never while it is open', async () => {
    const host = await makeHost(api, await loginAdmin(api), '1001');
    const caller = (name: string) => ({ channel: 'HOTLINE_1555', caller: { name, phone: '+66 81 234 5678' } });
    const closed = await submitReport(api, host, caller('สมศรี ทองดี'));
    const open = await submitReport(api, host, caller('Somchai Call'));
    await moveReport(api, host, closed, 'acceptReport', 'resolveReport');
    await moveReport(api, host, open, 'acceptReport');
    const contact = async () =>
      (await db.query(`SELECT caller_name AS name, caller_phone AS phone, status FROM reports WHERE id = ANY($1) ORDER BY caller_name IS NULL, status`, [[closed, open].map((id) => fromGlobalId(id, 'Report'))])).rows;

    at(Date.now() + 29 * DAY);
    await retention.purge();
    expect(await contact()).toEqual([
      { name: 'Somchai Call', phone: '+66 81 234 5678', status: 'ACCEPTED' },
      { name: 'สมศรี ทองดี', phone: '+66 81 234 5678', status: 'RESOLVED' },
    ]);
    at(Date.now() + 31 * DAY);
    await retention.purge();
    // The report stays, without whom to call back; the open one keeps its caller however old.
    expect(await contact()).toEqual([
      { name: 'Somchai Call', phone: '+66 81 234 5678', status: 'ACCEPTED' },
      { name: null, phone: null, status: 'RESOLVED' },
    ]);
    expect(retention.lastPass['callers’ contact on closed reports']).toBe(1);
  });

  it('is a list of rules, each with a name and a keep time, that a new table joins with one line', () => {
    expect(PURGE_RULES.map((rule) => rule.name)).toEqual(['ended sessions', 'used or expired password reset tokens', 'read notifications', 'expired export links', 'finished data exports', 'callers’ contact on closed reports']);
    for (const rule of PURGE_RULES) expect(rule.sql).toMatch(/\$1/);
  });
});
