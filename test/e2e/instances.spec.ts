import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { Clock } from '../../src/common/clock/clock';
import { VotingClock } from '../../src/voting/voting-clock.service';
import { VotingLiveService } from '../../src/voting/voting-live.service';
import { createTestDatabase, TestDatabase } from '../support/database';
import { loginAdmin, makeHost, register, requestResidency, reviewResidency } from '../support/factories';
import { describeWith, redisUrl } from '../support/services';
import { Subscription, TestServer } from '../support/test-server';

describeWith({ postgres: true, redis: true }, 'several instances on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl()! };
    // Both boot at once: the migration lock lets one migrate while the other waits.
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url, env }), TestServer.start({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('delivers a change made through one instance to a subscriber on the other', async () => {
    const admin = await loginAdmin(b);
    const host = await makeHost(b, admin, '1010');
    const person = await register(a, { displayName: 'Subscriber on A' });
    const ws = a.wsClient(person.token);
    const updates = await a.listen(() => new Subscription(ws, `subscription { residencyUpdated { id status } }`));

    const residencyId = await requestResidency(a, person, '1010');
    const review = await reviewResidency(b, host, residencyId, 'APPROVE');
    expect(review.errors).toBeUndefined();

    const [event] = await updates.waitFor(1);
    expect(event.data?.residencyUpdated).toEqual({ id: residencyId, status: 'APPROVED' });
    updates.close();
    await ws.dispose();
  });

  it('closes a WebSocket on one instance when its session signs out through the other', async () => {
    const person = await register(a, { displayName: 'Signed in on a shared computer' });
    const ws = a.wsClient(person.token);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('closed', (event: any) => resolve({ code: event.code, reason: event.reason })));
    await a.listen(() => new Subscription(ws, `subscription { residencyUpdated { id status } }`));
    await b.ok(`mutation { logout(input: {}) { ended } }`, {}, person.token);
    expect(await closed).toEqual({ code: 4401, reason: 'Unauthorized: this session has ended' });
    await ws.dispose();
  });

  it('keeps deployments with different REDIS_PREFIXes on one Redis from hearing each other', async () => {
    const other = await TestServer.start({ databaseUrl: database.url, env: { REDIS_URL: redisUrl()!, REDIS_PREFIX: 'another-deployment' } });
    try {
      const admin = await loginAdmin(b);
      const host = await makeHost(b, admin, '1011');
      const person = await register(a, { displayName: 'Watched from two deployments' });
      const [wsSame, wsOther] = [a.wsClient(person.token), other.wsClient(person.token)];
      const same = await a.listen(() => new Subscription(wsSame, `subscription { residencyUpdated { id status } }`));
      const elsewhere = await other.listen(() => new Subscription(wsOther, `subscription { residencyUpdated { id status } }`));
      await reviewResidency(b, host, await requestResidency(a, person, '1011'), 'APPROVE');
      await same.waitFor(1);
      // Then the other deployment's own update for the same person: had the first crossed over, it would have come before.
      const moved = await requestResidency(other, person, '1016');
      await reviewResidency(other, await loginAdmin(other), moved, 'APPROVE');
      await elsewhere.waitFor(1);
      expect(elsewhere.events.map((e) => e.data?.residencyUpdated)).toEqual([{ id: moved, status: 'APPROVED' }]);
      await Promise.all([wsSame.dispose(), wsOther.dispose()]);
    } finally {
      await other.stop();
    }
  });

  it('names its Redis channels and keys REDIS_PREFIX:name, and with no prefix the bare names', async () => {
    const prefix = `deployment-${randomBytes(4).toString('hex')}`;
    const listener = new Redis(redisUrl()!);
    const keys = new Redis(redisUrl()!);
    const heard: string[] = [];
    const waiting = new Set<() => void>();
    listener.on('pmessage', (_pattern: string, channel: string) => {
      heard.push(channel);
      for (const wake of [...waiting]) wake();
    });
    /** The first channel heard whose name ends with this, however it is prefixed. */
    const channelEndingWith = (name: string) => new Promise<string>((resolve) => {
      const wake = () => {
        const channel = heard.find((c) => c.endsWith(name));
        if (channel === undefined) return;
        waiting.delete(wake);
        resolve(channel);
      };
      waiting.add(wake);
      wake();
    });
    // Everything under the prefix, with a separator or without; and the bare residency channels.
    await listener.psubscribe(`${prefix}*`, 'residencyUpdated:*');
    const [prefixed, bare] = await Promise.all([
      TestServer.start({ databaseUrl: database.url, env: { REDIS_URL: redisUrl()!, REDIS_PREFIX: prefix } }),
      TestServer.start({ databaseUrl: database.url, env: { REDIS_URL: redisUrl()!, REDIS_PREFIX: '' } }),
    ]);
    try {
      const uuid = (account: { id: string }) => Buffer.from(account.id, 'base64url').toString().split(':')[1];
      const cases = [
        { server: prefixed, district: '1013', named: (name: string) => `${prefix}:${name}` },
        { server: bare, district: '1014', named: (name: string) => name },
      ];
      for (const { server, district, named } of cases) {
        const admin = await loginAdmin(server);
        const person = await register(server, { displayName: 'Watched through Redis' });
        await reviewResidency(server, admin, await requestResidency(server, person, district), 'APPROVE');
        expect(await channelEndingWith(`residencyUpdated:${uuid(person)}`)).toBe(named(`residencyUpdated:${uuid(person)}`));
        // The rate-limit counters of the account and of the address its requests came from.
        expect(await keys.keys(named(`rate:account:${uuid(person)}:*`))).not.toEqual([]);
        expect(await keys.keys(named('rate:ip:*'))).not.toEqual([]);
      }
      expect(heard.filter((channel) => channel.startsWith(prefix) && !channel.startsWith(`${prefix}:`))).toEqual([]);
      expect((await keys.keys(`${prefix}*`)).filter((key) => !key.startsWith(`${prefix}:rate:`))).toEqual([]);
    } finally {
      listener.disconnect();
      keys.disconnect();
      await Promise.all([prefixed.stop(), bare.stop()]);
    }
  });

  it('reports Redis in readiness', async () => {
    const res = await request(a.http).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('created one administrator although both instances bootstrapped', async () => {
    const data = await a.ok(`{ users(first: 100, search: "admin@district.example") { totalCount edges { node { isAdmin } } } }`, {}, (await loginAdmin(a)).token);
    expect(data.users.totalCount).toBe(1);
  });

  it('opens and closes a voting round once, though both instances run the clock', async () => {
    const admin = await loginAdmin(a);
    const host = await makeHost(a, admin, '1012');
    const minutes = 60_000;
    const created = await a.ok(
      `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id } } }`,
      { i: { districtCode: '1012', title: 'Clock', method: 'SINGLE_CHOICE', options: [{ label: 'Yes' }, { label: 'No' }], opensAt: new Date(Date.now() + 5 * minutes).toISOString(), closesAt: new Date(Date.now() + 10 * minutes).toISOString() } },
      host.token,
    );
    const id = created.createVotingRound.votingRound.id;
    const rawId = Buffer.from(id, 'base64url').toString().split(':')[1];
    // Drafts are visible to hosts only: the public subscribes once it is scheduled.
    await b.ok(`mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: id } }, host.token);
    const ws = a.wsClient();
    const updates = await a.listen(() => new Subscription(ws, `subscription($r: ID!) { votingRoundUpdated(roundId: $r) { status } }`, { r: id }));

    // Time passes on both instances at once, and both run their clock job at once (besides their timers).
    const instances = [a, b].map((server) => {
      const clock = server.server.app.get(Clock);
      const publications = jest.spyOn(server.server.app.get(VotingLiveService), 'publishNow');
      return { clock, realNow: clock.now.bind(clock), job: server.server.app.get(VotingClock), publications };
    });
    const timePasses = async (ms: number) => {
      for (const { clock, realNow } of instances) clock.now = () => new Date(realNow().getTime() + ms);
      await Promise.all(instances.map(({ job }) => job.tick()));
    };
    // Every update of the round that either instance started: the open and the close, one each.
    const published = () => instances.flatMap(({ publications }) => publications.mock.calls.filter(([roundId]) => roundId === rawId)).length;
    const heard = (status: string) => updates.waitForEvent((e) => e.data?.votingRoundUpdated.status === status);
    try {
      await timePasses(5 * minutes + 1000);
      expect(published()).toBe(1);
      await heard('OPEN');
      await timePasses(10 * minutes + 1000);
      expect(published()).toBe(2);
      await heard('CLOSED');
    } finally {
      for (const { clock, realNow, publications } of instances) {
        clock.now = realNow;
        publications.mockRestore();
      }
    }
    expect(updates.events.map((e) => e.data?.votingRoundUpdated.status)).toEqual(['OPEN', 'CLOSED']);
    await ws.dispose();
  });
});


describeWith({ postgres: true, redis: true }, 'rate limits across instances', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl()!, RATE_LIMIT_PER_ACCOUNT: '6' };
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url, env }), TestServer.start({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('counts an account once, whichever instance its requests reach', async () => {
    const person = await register(a);
    // The windows are whole minutes: the instances' clocks stand still at the start of one, so the
    // requests do not straddle two however long they take.
    const clocks = [a, b].map((server) => server.server.app.get(Clock));
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    for (const clock of clocks) clock.now = () => new Date(minute);
    const codes: string[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const res = await (i % 2 ? b : a).gql(`{ me { id } }`, {}, person.token);
        codes.push(res.errors ? String(res.errors[0].extensions?.code) : 'ok');
      }
    } finally {
      for (const clock of clocks) delete (clock as Partial<Clock>).now;
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
