import request from 'supertest';
import { createPublishedProposal, register } from '../support/factories';
import { Hop } from '../support/hop';
import { describeWith, redisUrl } from '../support/services';
import { Subscription, SubscriptionEvent, TestServer } from '../support/test-server';

type Update = { proposalsInDistrictUpdated: { kind: string; proposal: { title: string } } };
const WATCH = `subscription { proposalsInDistrictUpdated(districtCode: "1007") { kind proposal { title } } }`;

const paused = (e: SubscriptionEvent<Update>) => e.extensions?.live === 'PAUSED';
const resumed = (e: SubscriptionEvent<Update>) => e.extensions?.live === 'RESUMED';
const about = (title: string) => (e: SubscriptionEvent<Update>) => e.data?.proposalsInDistrictUpdated.proposal.title === title;

/** Redis cut and restored through a TCP hop in front of it, while writes keep coming. */
describeWith({ redis: true }, 'a Redis outage', () => {
  let hop: Hop;
  let api: TestServer;

  beforeAll(async () => {
    const proxied = await Hop.before(redisUrl()!, 6379);
    hop = proxied.hop;
    api = await TestServer.start({ env: { REDIS_URL: proxied.url } });
  });
  afterAll(async () => {
    await api?.stop();
    await hop?.down();
  });

  it('keeps queries and mutations working, tells each subscription it is paused, and resumes it when Redis is back', async () => {
    const author = await register(api);
    const client = api.wsClient(author.token);
    const watching = await api.listen(() => new Subscription<Update>(client, WATCH));
    await createPublishedProposal(api, author, { title: 'Before the outage' });
    await watching.waitForEvent(about('Before the outage'));

    // Writes under way the whole time: none may fail because of Redis.
    let writing = true;
    const outcomes: string[] = [];
    let wrote = () => {};
    const nextWrite = () => new Promise<void>((resolve) => (wrote = resolve));
    const writer = async (n: number) => {
      for (let i = 0; writing; i++) {
        const res = await api.gql(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: `Load ${n}.${i}`, summary: 's', body: 'b', category: 'OTHER' } }, author.token);
        outcomes.push(res.data?.createProposal?.proposal ? 'ok' : String(res.errors?.[0].extensions?.code));
        wrote();
      }
    };
    const writers = [1, 2, 3].map(writer);
    const lateClient = api.wsClient();
    let late: Subscription<Update> | undefined;
    let lateListening: Promise<unknown> | undefined;
    try {
      await hop.down();
      const notice = await watching.waitForEvent(paused);
      expect(notice.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      // In the subscriber's language: Thai here ("Live updates are paused..." in English).
      expect(notice.errors?.[0].message).toMatch(/^การอัปเดตสดหยุดชั่วคราว/);

      const ready = await request(api.http).get('/health/ready');
      expect(ready.status).toBe(200); // the load balancer keeps the instance: it still serves
      expect(ready.body).toMatchObject({ status: 'degraded', details: { database: { status: 'up' }, redis: { status: 'degraded', message: expect.any(String) } } });
      const writesBefore = outcomes.length;
      await createPublishedProposal(api, author, { title: 'During the outage' });
      expect((await api.ok(`{ district(code: "1007") { code } }`)).district.code).toBe('1007');

      // A subscription opened during the outage is told at once, and starts when Redis returns.
      // (The server listens for its events once Redis has acknowledged its SUBSCRIBE, after the outage.)
      lateListening = api.listen(() => (late = new Subscription<Update>(lateClient, WATCH)));
      await late!.waitForEvent(paused);
      while (outcomes.length <= writesBefore) await nextWrite();
      expect(outcomes.length).toBeGreaterThan(writesBefore); // the writers kept going

      await hop.up();
      await watching.waitForEvent(resumed);
      await late!.waitForEvent(resumed);
      await lateListening;
      expect((await request(api.http).get('/health/ready')).body.status).toBe('ok');

      const seen = { watching: watching.events.length, late: late!.events.length };
      await createPublishedProposal(api, author, { title: 'After the outage' });
      await watching.waitForEvent(about("After the outage"), seen.watching);
      await late!.waitForEvent(about("After the outage"), seen.late);
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(outcomes.length).toBeGreaterThan(10);
    expect(new Set(outcomes)).toEqual(new Set(['ok']));
    // Events published while Redis was down are not replayed; the notices told the clients to refetch.
    expect(watching.events.filter(about('During the outage'))).toEqual([]);
    expect(watching.events.filter(paused)).toHaveLength(1);
    expect(watching.events.filter(resumed)).toHaveLength(1);
    watching.close();
    late?.close();
    await Promise.all([client.dispose(), lateClient.dispose()]);
  });
});
