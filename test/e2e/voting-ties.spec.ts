import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { lotTicket } from '../support/recount';
import { TestServer } from '../support/test-server';
import { bulkResidents, cast, closeRound, createRound, moveRound, openRound, qualifiedProposal, recount, roundInput } from '../support/voting';

const RESULTS = `query($r: ID!) { votingRound(id: $r) { seats recordHead results { winners tieBreak options { optionId position votes winner } rounds { eliminated tieBreak } } } }`;

/** A round elects as many options as it has seats; a tie at the cut-off is drawn by a lot anyone can draw again from the published record. */
describe('voting: ties', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let voters: Account[];
  let author: Account;
  let endorser: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    voters = await bulkResidents(api, '1007', 24);
    author = await register(api);
    endorser = await register(api);
  });
  afterAll(async () => {
    await api.stop();
  });

  /** Qualified plans, one after another (each sets and restores the district's endorsement threshold). */
  async function plans(...titles: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const title of titles) ids.push(await qualifiedProposal(api, admin, '1007', title, author, endorser));
    return ids;
  }
  const statuses = async (ids: string[]) => Promise.all(ids.map(async (id) => (await api.ok(`query($id: ID!) { proposal(id: $id) { status } }`, { id })).proposal.status));
  let next = 0;
  /** Casts each ranking (option indexes) with a voter of its own. */
  async function vote(round: { id: string; options: { id: string }[] }, ...rankings: number[][]) {
    for (const ranking of rankings) expect((await cast(api, voters[next++], round.id, ranking.map((i) => round.options[i].id))).errors).toBeUndefined();
  }

  it('adopts exactly one plan when a single-choice round ends 2–2: the lot drawn from the record head decides, and says how', async () => {
    const proposals = await plans('ศาลาริมคลอง', 'ลานจอดรถจักรยาน');
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', proposals.map((proposalId) => ({ proposalId }))));
    await vote(round, [0], [1], [0], [1]);
    await closeRound(api, host, round.id);

    const { votingRound } = await api.ok(RESULTS, { r: round.id });
    expect(votingRound.seats).toBe(1);
    expect(votingRound.results.options.map((o: any) => o.votes)).toEqual([2, 2]);
    // The README's lot: the lower sha256(recordHead:position) is drawn first.
    const drawn = lotTicket(votingRound.recordHead, 0) < lotTicket(votingRound.recordHead, 1) ? 0 : 1;
    const id = (i: number) => round.options[i].id;
    expect(votingRound.results.winners).toEqual([id(drawn)]);
    expect(votingRound.results.options.filter((o: any) => o.winner).map((o: any) => [o.optionId, o.position])).toEqual([[id(drawn), drawn]]);
    expect(votingRound.results.tieBreak).toContain('sha256(recordHead + ":" + position)');

    // An independent recount from the published record alone finds the same winner.
    const { count, head } = await recount(api, round.id);
    expect(head).toBe(votingRound.recordHead);
    expect(count).toMatchObject({ winners: [id(drawn)], drewLots: true });

    await moveRound(api, host, round.id, 'certifyVotingRound');
    const after = await statuses(proposals);
    expect(after[drawn]).toBe('ADOPTED');
    expect(after[1 - drawn]).toBe('REJECTED');
    const csv = await fetch(`${api.url}/voting-rounds/${round.id}/results.csv`).then((r) => r.text());
    expect(csv.trim().split('\n').filter((line) => line.endsWith(',true'))).toHaveLength(1);
  });

  it('adopts exactly one plan when the last round of a ranked-choice count ties', async () => {
    const proposals = await plans('ห้องสมุดชุมชน', 'สนามเด็กเล่น', 'ตลาดนัดชุมชน');
    const round = await openRound(api, host, roundInput('1007', 'RANKED_CHOICE', proposals.map((proposalId) => ({ proposalId }))));
    // Round 1: 2, 2, 1, so the third goes; its ballot ranks no other, and the first two tie 2–2 in both rounds.
    await vote(round, [0], [0], [1], [1], [2]);
    await closeRound(api, host, round.id);

    const { votingRound } = await api.ok(RESULTS, { r: round.id });
    const drawn = lotTicket(votingRound.recordHead, 0) < lotTicket(votingRound.recordHead, 1) ? 0 : 1;
    const id = (i: number) => round.options[i].id;
    expect(votingRound.results.winners).toEqual([id(drawn)]);
    expect(votingRound.results.rounds.map((r: any) => r.eliminated)).toEqual([[id(2)], [id(1 - drawn)], []]);
    expect(votingRound.results.rounds[1].tieBreak).toContain('lot');
    expect(votingRound.results.tieBreak).toContain('round 2:');
    const { count } = await recount(api, round.id);
    expect(count).toMatchObject({ winners: [id(drawn)], rounds: [{ eliminated: [id(2)] }, { eliminated: [id(1 - drawn)] }, { eliminated: [] }], drewLots: true });

    await moveRound(api, host, round.id, 'certifyVotingRound');
    const after = await statuses(proposals);
    expect(after.filter((s) => s === 'ADOPTED')).toHaveLength(1);
    expect(after[drawn]).toBe('ADOPTED');
  });

  it('elects as many plans as seats in an approval round, drawing the last seat by lot when it is tied', async () => {
    const proposals = await plans('ไฟส่องทางซอย', 'ท่าเรือชุมชน', 'ศูนย์ผู้สูงอายุ');
    const round = await openRound(api, host, roundInput('1007', 'APPROVAL', proposals.map((proposalId) => ({ proposalId })), { seats: 2 }));
    // 3, 2, 2: the first is elected, the other two tie for the second seat.
    await vote(round, [0, 1], [0, 1], [0, 2], [2]);
    await closeRound(api, host, round.id);

    const { votingRound } = await api.ok(RESULTS, { r: round.id });
    expect(votingRound.seats).toBe(2);
    const second = lotTicket(votingRound.recordHead, 1) < lotTicket(votingRound.recordHead, 2) ? 1 : 2;
    const id = (i: number) => round.options[i].id;
    expect(votingRound.results.winners).toEqual([id(0), id(second)]);
    expect(votingRound.results.tieBreak).toContain('options 1, 2 tied with 2 votes for 1 seat');
    expect((await recount(api, round.id)).count).toMatchObject({ winners: [id(0), id(second)], drewLots: true });

    await moveRound(api, host, round.id, 'certifyVotingRound');
    const after = await statuses(proposals);
    expect(after.map((s, i) => [i, s])).toEqual([0, 1, 2].map((i) => [i, i === 0 || i === second ? 'ADOPTED' : 'REJECTED']));
  });

  it('refuses seats a method cannot fill', async () => {
    const create = (method: string, overrides: Record<string, unknown>, options: Record<string, unknown>[] = [{ label: 'A' }, { label: 'B' }, { label: 'C' }]) =>
      api.gql(`mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id seats } } }`, { i: roundInput('1007', method, options, overrides) }, host.token);
    const refusal = async (method: string, overrides: Record<string, unknown>, options?: Record<string, unknown>[]) => (await create(method, overrides, options)).errors?.[0].extensions;
    expect(await refusal('RANKED_CHOICE', { seats: 2 })).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.seats', message: expect.stringContaining('instant runoff') }] });
    expect(await refusal('BUDGET', { seats: 1, budget: 1000 }, [{ label: 'A', cost: 10 }, { label: 'B', cost: 20 }])).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.seats' }] });
    expect(await refusal('SINGLE_CHOICE', { seats: 3 })).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.seats' }] });
    expect(await refusal('APPROVAL', { seats: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.seats' }] });
    expect((await create('SINGLE_CHOICE', {})).data?.createVotingRound.votingRound.seats).toBe(1);
    expect((await create('BUDGET', { budget: 1000 }, [{ label: 'A', cost: 10 }, { label: 'B', cost: 20 }])).data?.createVotingRound.votingRound.seats).toBeNull();
    expect((await createRound(api, host, roundInput('1007', 'APPROVAL', [{ label: 'A' }, { label: 'B' }, { label: 'C' }], { seats: 2 }))).id).toEqual(expect.any(String));
  });
});
