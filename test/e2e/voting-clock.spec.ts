import { Clock } from '../../src/common/clock/clock';
import { VotingClock } from '../../src/voting/voting-clock.service';
import { Account, loginAdmin, makeHost } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';
import { bulkResidents, cast, createRound, moveRound, roundInput } from '../support/voting';

/** Short enough for the access tokens (15 minutes) to stay valid on the moved clock. */
const MINUTES = 60_000;

/** The clock job: rounds open and close when their time comes, on the injected clock (no waiting for real time). */
describe('voting: the clock', () => {
  let api: TestServer;
  let host: Account;
  let voters: Account[];
  let clock: Clock;
  let realNow: () => Date;

  beforeAll(async () => {
    api = await TestServer.start();
    const admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    voters = await bulkResidents(api, '1007', 5);
    clock = api.server.app.get(Clock);
    realNow = clock.now.bind(clock);
  });
  afterEach(() => {
    clock.now = realNow;
  });
  afterAll(async () => {
    await api.stop();
  });

  /** Moves the server's clock `ms` ahead of real time and runs a whole pass of the clock job. */
  async function timePasses(ms: number): Promise<void> {
    clock.now = () => new Date(realNow().getTime() + ms);
    await api.server.app.get(VotingClock).tick();
  }

  const status = (id: string) => api.ok(`query($r: ID!) { votingRound(id: $r) { status } }`, { r: id }).then((d) => d.votingRound.status);

  it('opens and closes rounds by the clock', async () => {
    const round = await createRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { opensAt: new Date(Date.now() + 5 * MINUTES).toISOString(), closesAt: new Date(Date.now() + 10 * MINUTES).toISOString() }));
    await moveRound(api, host, round.id, 'scheduleVotingRound');
    expect(await status(round.id)).toBe('SCHEDULED');
    expect((await cast(api, voters[0], round.id, [round.options[0].id])).errors?.[0].extensions?.code).toBe('VOTING_NOT_OPEN');

    await timePasses(5 * MINUTES + 1000);
    expect(await status(round.id)).toBe('OPEN');
    expect((await cast(api, voters[0], round.id, [round.options[0].id])).errors).toBeUndefined();

    await timePasses(10 * MINUTES + 1000);
    expect(await status(round.id)).toBe('CLOSED');
    expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { results { ballots } } }`, { r: round.id })).votingRound.results.ballots).toBe(1);
    expect((await cast(api, voters[1], round.id, [round.options[0].id])).errors?.[0].extensions?.code).toBe('VOTING_CLOSED');
  });

  it('lets people vote at once in a round a host opens before its time, and still closes it on time', async () => {
    const round = await createRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { opensAt: new Date(Date.now() + 5 * MINUTES).toISOString(), closesAt: new Date(Date.now() + 10 * MINUTES).toISOString() }));
    await moveRound(api, host, round.id, 'scheduleVotingRound');
    const ws = api.wsClient();
    const watcher = await api.listen(() => new Subscription(ws, `subscription($r: ID!) { votingRoundUpdated(roundId: $r) { status } }`, { r: round.id }));
    await moveRound(api, host, round.id, 'openVotingRound');
    await watcher.waitForEvent((e) => e.data?.votingRoundUpdated.status === 'OPEN');
    // Told it is open, a resident votes: the ballot counts.
    const ballot = await cast(api, voters[2], round.id, [round.options[1].id]);
    expect(ballot.errors).toBeUndefined();
    expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { status turnout } }`, { r: round.id })).votingRound).toEqual({ status: 'OPEN', turnout: 1 });
    await ws.dispose();

    // The scheduled opening time passing changes nothing; the closing time still closes it.
    await timePasses(5 * MINUTES + 1000);
    expect(await status(round.id)).toBe('OPEN');
    await timePasses(10 * MINUTES + 1000);
    expect(await status(round.id)).toBe('CLOSED');
    expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { results { ballots options { votes } } } }`, { r: round.id })).votingRound.results).toEqual({ ballots: 1, options: [{ votes: 0 }, { votes: 1 }] });
  });
});
