import request from 'supertest';
import { Client } from 'pg';
import { hashPassword } from '../../src/accounts/passwords';
import { createTestDatabase, TestDatabase } from '../support/database';
import { Account, loginAdmin, makeHost } from '../support/factories';
import { describeWith, redisUrl } from '../support/services';
import { Subscription, TestServer } from '../support/test-server';
import { bulkResidents, closeRound, openRound, roundInput } from '../support/voting';

/**
 * A secret round with LIVE results, attacked as the issue did it: by an administrator setting sign-ins
 * from the audit trail beside the tallies of an anonymous subscription and of results polled after
 * every ballot, and by a host joining the server's request log to the audit trail. Tallies move only in
 * batches of at least K ballot events, and nothing joins a ballot to a request, so neither attributes
 * a single ballot to anybody.
 */

const PASSWORD = 'lotus pond at dawn 77';
const LABELS = ['Canal lights', 'Market roof'];
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
const CAST = `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt } } }`;
const RESULTS = `query($r: ID!) { votingRound(id: $r) { turnout results { ballots options { votes } } } }`;
const LIVE = `subscription($r: ID!) { votingRoundUpdated(roundId: $r) { turnout results { ballots options { votes } } } }`;
const AUDIT = `query($f: AuditFilter, $n: Int) { auditLog(filter: $f, first: $n) { edges { node { action subject requestId at actor { id } } } } }`;

/** One ballot event of a plan: a voter's first ballot, or their revote. */
interface Step {
  voter: number;
  option: number;
}

/** First ballots (every third for the second option), then revotes from the first option to the second: each step leaves different tallies. */
function plan(voters: number, revotes: number): Step[] {
  const first = Array.from({ length: voters }, (_, voter) => ({ voter, option: voter % 3 === 0 ? 1 : 0 }));
  return [...first, ...first.filter((s) => s.option === 0).slice(0, revotes).map((s) => ({ voter: s.voter, option: 1 }))];
}

/** The exact tallies after each step (index 0: before any), as the test cast them. */
function exactTallies(steps: Step[]): number[][] {
  const chosen = new Map<number, number>();
  const states = [[0, 0]];
  for (const step of steps) {
    chosen.set(step.voter, step.option);
    states.push([0, 1].map((option) => [...chosen.values()].filter((o) => o === option).length));
  }
  return states;
}

/**
 * Which step each tally state someone saw was taken at (the plan makes every step's tallies
 * different), checking that the states form batches: each published state at least `batch` ballot
 * events after the one before it.
 */
function batchesSeen(seen: number[][], exact: number[][], batch: number): number[] {
  const steps = seen.map((state) => {
    const step = exact.findIndex((e) => e.join() === state.join());
    if (step < 0) throw new Error(`tallies ${state} were never the count after any ballot`);
    return step;
  });
  const published = [...new Set(steps)].sort((a, b) => a - b);
  for (let i = 1; i < published.length; i++) {
    if (published[i] - published[i - 1] < batch) throw new Error(`tallies moved by ${published[i] - published[i - 1]} ballot events (after ${published[i - 1]} and ${published[i]}), fewer than a batch of ${batch}`);
  }
  if (published[0] !== 0 && published[0] < batch) throw new Error(`the first tallies shown count ${published[0]} ballot events, fewer than a batch of ${batch}`);
  return published;
}

/** The attacker's rule: tallies that moved by one ballot (one vote up, at most one down) since the last look show that ballot's choice. */
function oneBallotMoved(before: number[], after: number[]): number | null {
  const delta = after.map((v, i) => v - before[i]);
  const up = delta.filter((d) => d > 0);
  const down = delta.filter((d) => d < 0);
  if (up.length === 1 && up[0] === 1 && (down.length === 0 || (down.length === 1 && down[0] === -1))) return delta.indexOf(1);
  return null;
}

const tallies = (results: { options: { votes: number }[] } | null) => (results ? results.options.map((o) => o.votes) : [0, 0]);

describe('voting: a secret round with live results cannot be linked to voters', () => {
  const lines: Record<string, any>[] = [];
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;

  beforeAll(async () => {
    api = await TestServer.start({ log: (line) => lines.push(JSON.parse(line)) });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  /** Verified residents who sign in with a password, as every voting app makes them do. */
  async function residentsWithPasswords(count: number): Promise<Account[]> {
    const voters = await bulkResidents(api, '1007', count);
    await db.query(`UPDATE users SET password_hash = $1 WHERE email = ANY($2)`, [await hashPassword(PASSWORD), voters.map((v) => v.email)]);
    return voters;
  }
  const signIn = async (voter: Account) => (await api.ok(LOGIN, { i: { email: voter.email, password: PASSWORD } })).login.accessToken as string;

  it("defeats the administrator's attack: sign-ins from the audit trail beside an anonymous subscription and results polled after every ballot attribute no ballot", async () => {
    const K = 10;
    const voters = await residentsWithPasswords(30);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', LABELS.map((label) => ({ label })), { secret: true, resultsVisibility: 'LIVE', allowRevote: true, liveBatchSize: K }));
    const ws = api.wsClient();
    const live = await api.listen(() => new Subscription(ws, LIVE, { r: round.id }));

    const steps = plan(voters.length, 10);
    const exact = exactTallies(steps);
    const polled: number[][] = [];
    const attributed: { voter: string; option: number; seen: string }[] = [];
    let lastPoll = [0, 0];
    let lastEvent = [0, 0];
    let castSoFar = 0;
    for (const [i, step] of steps.entries()) {
      const token = await signIn(voters[step.voter]);
      const cast = await api.gql(CAST, { i: { roundId: round.id, choices: [round.options[step.option].id], idempotencyKey: `ballot-${step.voter}-${i}` } }, token);
      expect(cast.errors).toBeUndefined();
      if (i < voters.length) castSoFar += 1;

      // The administrator: who signed in last (a sign-in's entry is about the account), and what the tallies did since the last look.
      const lastSignIn = (await api.ok(AUDIT, { f: { action: 'login' }, n: 1 }, admin.token)).auditLog.edges[0].node.subject;
      expect(lastSignIn).toBe(voters[step.voter].id);
      const shown = (await api.ok(RESULTS, { r: round.id }, admin.token)).votingRound;
      expect(shown.turnout).toBe(castSoFar); // turnout stays live
      polled.push(tallies(shown.results));
      const byPoll = oneBallotMoved(lastPoll, polled.at(-1)!);
      if (byPoll !== null) attributed.push({ voter: lastSignIn, option: byPoll, seen: 'results query' });
      lastPoll = polled.at(-1)!;
      const event = live.events.at(-1)?.data?.votingRoundUpdated;
      if (event) {
        const byEvent = oneBallotMoved(lastEvent, tallies(event.results));
        if (byEvent !== null) attributed.push({ voter: lastSignIn, option: byEvent, seen: 'subscription' });
        lastEvent = tallies(event.results);
      }
    }
    // A batch was published while the round was open (else the test would prove nothing).
    await live.waitForEvent((e) => (e.data?.votingRoundUpdated.results?.ballots ?? 0) > 0);
    const streamed = live.events.map((e) => tallies(e.data!.votingRoundUpdated.results));

    expect(attributed).toEqual([]);
    const published = batchesSeen([...polled, ...streamed], exact, K);
    expect(published.some((step) => step > 0)).toBe(true);

    // Closing publishes the last batch: the exact count.
    await closeRound(api, host, round.id);
    expect(tallies((await api.ok(RESULTS, { r: round.id })).votingRound.results)).toEqual(exact.at(-1));
    await ws.dispose();
  });

  it("defeats the host's attack: the request log and the audit trail have nothing that joins a ballot to its voter, and /metrics nothing per option", async () => {
    const voters = await residentsWithPasswords(25);
    const hostUuid = Buffer.from(host.id, 'base64url').toString().split(':')[1];
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', LABELS.map((label) => ({ label })), { secret: true, resultsVisibility: 'LIVE' }));
    expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { liveBatchSize } }`, { r: round.id })).votingRound.liveBatchSize).toBe(20);
    const steps = plan(voters.length, 0);
    const exact = exactTallies(steps);
    const castRequests = new Set<string>();
    const polled: number[][] = [];
    const attributed: { voter: string; option: number }[] = [];
    let last = [0, 0];
    for (const [i, step] of steps.entries()) {
      const voter = voters[step.voter];
      // The voter's app reads who is signed in, then casts: two log lines a moment apart.
      await api.ok(`query { me { id } }`, {}, voter.token);
      const requestId = `cast-request-${round.id.slice(-8)}-${i}`;
      castRequests.add(requestId);
      const res = await request(api.http)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${voter.token}`)
        .set('x-request-id', requestId)
        .send({ query: CAST, variables: { i: { roundId: round.id, choices: [round.options[step.option].id], idempotencyKey: `ballot-${i}-0001` } } });
      expect(res.body.errors).toBeUndefined();

      // The host: the tallies now, set beside the request log.
      polled.push(tallies((await api.ok(RESULTS, { r: round.id }, host.token)).votingRound.results));
      const moved = oneBallotMoved(last, polled.at(-1)!);
      last = polled.at(-1)!;
      // Who cast it: the viewer of the ballot's own log line, joined by its request id to the audit entry; else whoever was seen last.
      const ballotEntry = (await api.ok(AUDIT, { f: { districtCode: '1007', action: 'castBallot' }, n: 1 }, host.token)).auditLog.edges[0].node;
      const joined = lines.find((l) => ballotEntry.requestId && l.requestId === ballotEntry.requestId && l.viewer);
      const seenLast = [...lines].reverse().find((l) => l.msg === 'graphql operation' && l.viewer && l.viewer !== hostUuid);
      if (moved !== null) attributed.push({ voter: (joined ?? seenLast)!.viewer, option: moved });
    }
    expect(attributed).toEqual([]);
    batchesSeen(polled, exact, 20);

    // The ballot's log line names nobody; its audit entry carries no request id and only the hour.
    const ballotLines = lines.filter((l) => castRequests.has(l.requestId));
    expect(ballotLines.length).toBe(steps.length);
    expect(ballotLines.filter((l) => l.viewer !== null)).toEqual([]);
    const entries = (await api.ok(AUDIT, { f: { districtCode: '1007', action: 'castBallot' }, n: 100 }, host.token)).auditLog.edges.map((e: any) => e.node);
    expect(entries.length).toBeGreaterThanOrEqual(steps.length);
    for (const entry of entries) {
      expect({ requestId: entry.requestId, actor: entry.actor }).toEqual({ requestId: null, actor: null });
      expect(new Date(entry.at).getTime() % 3_600_000).toBe(0);
    }
    // Nothing in any log line carries a ballot's request id beside a viewer.
    expect(lines.filter((l) => castRequests.has(l.requestId) && l.viewer)).toEqual([]);

    // /metrics counts ballots, never what they chose.
    const metrics = await fetch(`${api.url}/metrics`).then((r) => r.text());
    const optionIds = round.options.map((o) => o.id);
    const perOption = metrics.split('\n').filter((line) => !line.startsWith('#') && (LABELS.some((l) => line.includes(l)) || optionIds.some((id) => line.includes(id)) || /option|choice|tall(y|ies)|position/i.test(line)));
    expect(perOption).toEqual([]);
    expect(metrics.split('\n').filter((line) => line.startsWith('ballots_cast_total{')).every((line) => /^ballots_cast_total\{kind="(new|replaced)"\} \d+$/.test(line))).toBe(true);
  });

  it('refuses a batch size on rounds that show nothing live or nothing secret, and one too small to hide anyone', async () => {
    const create = (overrides: Record<string, unknown>) =>
      api.gql(`mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id } } }`, { i: roundInput('1007', 'SINGLE_CHOICE', LABELS.map((label) => ({ label })), overrides) }, host.token);
    for (const overrides of [{ secret: false, resultsVisibility: 'LIVE', liveBatchSize: 20 }, { secret: true, resultsVisibility: 'AFTER_CLOSE', liveBatchSize: 20 }, { secret: true, resultsVisibility: 'LIVE', liveBatchSize: 1 }]) {
      expect((await create(overrides)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.liveBatchSize' }] });
    }
  });
});

describeWith({ postgres: true, redis: true }, 'voting: the live batches of a secret round are one truth across instances', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl()! };
    [a, b] = await Promise.all([TestServer.start({ databaseUrl: database.url, env }), TestServer.start({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('shows the same batches from both instances, however ballots and readers are spread over them', async () => {
    const K = 10;
    const host = await makeHost(a, await loginAdmin(a), '1007');
    const voters = await bulkResidents(a, '1007', 30);
    const round = await openRound(b, host, roundInput('1007', 'SINGLE_CHOICE', LABELS.map((label) => ({ label })), { secret: true, resultsVisibility: 'LIVE', allowRevote: true, liveBatchSize: K }));
    const [wsA, wsB] = [a.wsClient(), b.wsClient()];
    const liveA = await a.listen(() => new Subscription(wsA, LIVE, { r: round.id }));
    const liveB = await b.listen(() => new Subscription(wsB, LIVE, { r: round.id }));
    const steps = plan(voters.length, 10);
    const exact = exactTallies(steps);
    const polled: number[][] = [];
    for (const [i, step] of steps.entries()) {
      const through = i % 2 ? a : b;
      const cast = await through.gql(CAST, { i: { roundId: round.id, choices: [round.options[step.option].id], idempotencyKey: `ballot-${step.voter}-${i}` } }, voters[step.voter].token);
      expect(cast.errors).toBeUndefined();
      for (const instance of [a, b]) polled.push(tallies((await instance.ok(RESULTS, { r: round.id })).votingRound.results));
    }
    await liveA.waitForEvent((e) => (e.data?.votingRoundUpdated.results?.ballots ?? 0) > 0);
    const streamed = [...liveA.events, ...liveB.events].map((e) => tallies(e.data!.votingRoundUpdated.results));
    const published = batchesSeen([...polled, ...streamed], exact, K);
    expect(published.some((step) => step > 0)).toBe(true);
    await wsA.dispose();
    await wsB.dispose();
  });
});
