import { createHash, randomUUID } from 'node:crypto';
import { Account, loginAdmin, makeHost } from '../support/factories';
import { describeWith } from '../support/services';
import { TestServer } from '../support/test-server';
import { bulkResidents, closeRound, fetchRecord, openRound, roundInput } from '../support/voting';

/**
 * A retry with an idempotency key is a pure replay: whenever it arrives, it changes nothing and
 * answers as the first time, marked superseded when a later ballot of the voter has replaced it.
 */

const CAST = `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt replaced superseded } } }`;
const CHECK = `query($r: ID!, $c: String!) { verifyReceipt(roundId: $r, receipt: $c) { counted superseded choices } }`;

/** The three requests of the issue: kA (option 0), kB (option 1), and kA sent again (a client's retry, late). */
type Request = 'kA' | 'kB' | 'kA again';
const REQUESTS: Request[] = ['kA', 'kB', 'kA again'];
const keyOf = (request: Request) => (request === 'kB' ? 'kB' : 'kA');

interface Answer {
  key: 'kA' | 'kB';
  replaced: boolean;
  superseded: boolean;
  /** A first ballot or a revote: the only requests that move the count. */
  moves: boolean;
}

/**
 * What the README promises, run by hand over requests taken one at a time: the first ballot counts;
 * a new key replaces the counted ballot; a key seen before is answered as the first time, superseded
 * if its ballot was replaced since.
 */
function promised(order: Request[]): { answers: Map<Request, Answer>; counted: 'kA' | 'kB' } {
  let counted: 'kA' | 'kB' | null = null;
  const replacedOnce = new Map<'kA' | 'kB', boolean>();
  const superseded = new Set<string>();
  const answers = new Map<Request, Answer>();
  for (const request of order) {
    const key = keyOf(request);
    const moves = !replacedOnce.has(key);
    if (counted === null) {
      counted = key;
      replacedOnce.set(key, false);
    } else if (moves) {
      superseded.add(counted);
      counted = key;
      replacedOnce.set(key, true);
    }
    answers.set(request, { key, replaced: replacedOnce.get(key)!, superseded: superseded.has(key), moves });
  }
  return { answers, counted: counted! };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const receiptHash = (receipt: string) => createHash('sha256').update(receipt).digest('hex');

let api: TestServer;
let host: Account;

beforeAll(async () => {
  api = await TestServer.start();
  host = await makeHost(api, await loginAdmin(api), '1007');
});
afterAll(async () => {
  await api.stop();
});

/** A voter's three requests, each with its own idempotency keys. */
function requestsOf(round: { id: string; options: { id: string }[] }, voter: Account) {
  const keys = { kA: `kA-${randomUUID()}`, kB: `kB-${randomUUID()}` };
  return (request: Request) =>
    api.gql<{ castBallot: { receipt: { receipt: string; replaced: boolean; superseded: boolean } } }>(
      CAST,
      { i: { roundId: round.id, choices: [round.options[request === 'kB' ? 1 : 0].id], idempotencyKey: keys[keyOf(request)] } },
      voter.token,
    );
}

describe('voting: a retry is a pure replay', () => {
  it('keeps the revote when the first request is retried late (the issue: kA, kB, then kA again)', async () => {
    const [voter] = await bulkResidents(api, '1007', 1);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Canal lights' }, { label: 'Market roof' }], { allowRevote: true, resultsVisibility: 'LIVE', secret: false }));
    const send = requestsOf(round, voter);
    const tallies = async () => (await api.ok(`query($r: ID!) { votingRound(id: $r) { turnout results { options { votes } } } }`, { r: round.id })).votingRound;

    const first = (await send('kA')).data!.castBallot.receipt;
    expect(first).toMatchObject({ replaced: false, superseded: false });
    const second = (await send('kB')).data!.castBallot.receipt;
    expect(second).toMatchObject({ replaced: true, superseded: false });
    expect(await tallies()).toEqual({ turnout: 1, results: { options: [{ votes: 0 }, { votes: 1 }] } });

    // The delayed retry of the first request: the same answer as then, marked superseded, and nothing moves.
    const late = await send('kA again');
    expect(late.errors).toBeUndefined();
    expect(late.data!.castBallot.receipt).toEqual({ receipt: first.receipt, replaced: false, superseded: true });
    expect(await tallies()).toEqual({ turnout: 1, results: { options: [{ votes: 0 }, { votes: 1 }] } });

    await closeRound(api, host, round.id);
    expect((await api.ok(CHECK, { r: round.id, c: first.receipt })).verifyReceipt).toEqual({ counted: false, superseded: true, choices: null });
    const roof = round.options[1].id;
    expect((await api.ok(CHECK, { r: round.id, c: second.receipt })).verifyReceipt).toEqual({ counted: true, superseded: false, choices: [roof] });
    const record = await fetchRecord(api, round.id);
    expect(record.map((e) => [e.receiptHash, e.choices, e.choicePositions])).toEqual([[receiptHash(second.receipt), [roof], [1]]]);
  });

  it('answers kA, kB and kA again in every order as the README promises, and a replay never moves the count', async () => {
    const orders = permutations(REQUESTS);
    const voters = await bulkResidents(api, '1007', orders.length);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Canal lights' }, { label: 'Market roof' }], { allowRevote: true, resultsVisibility: 'LIVE', secret: false }));
    const live = async () => (await api.ok(`query($r: ID!) { votingRound(id: $r) { turnout results { options { votes } } } }`, { r: round.id })).votingRound;
    const expectedCount = [0, 0];
    const receipts: { counted: string; other: string | null }[] = [];
    for (const [v, order] of orders.entries()) {
      const send = requestsOf(round, voters[v]);
      const expected = promised(order);
      const receiptOf: Partial<Record<'kA' | 'kB', string>> = {};
      for (const request of order) {
        const before = await live();
        const res = await send(request);
        expect(res.errors).toBeUndefined();
        const answer = res.data!.castBallot.receipt;
        receiptOf[keyOf(request)] ??= answer.receipt;
        const promise = expected.answers.get(request)!;
        expect({ order, request, receipt: answer.receipt, replaced: answer.replaced, superseded: answer.superseded }).toEqual({
          order,
          request,
          receipt: receiptOf[promise.key],
          replaced: promise.replaced,
          superseded: promise.superseded,
        });
        // A first ballot adds one to its option and to turnout, a revote moves one vote over; a replay, superseded or not, moves nothing.
        const votes = before.results.options.map((o: { votes: number }) => o.votes);
        if (promise.moves) {
          votes[keyOf(request) === 'kB' ? 1 : 0] += 1;
          if (promise.replaced) votes[keyOf(request) === 'kB' ? 0 : 1] -= 1;
        }
        const turnout = before.turnout + (promise.moves && !promise.replaced ? 1 : 0);
        expect({ order, request, after: await live() }).toEqual({ order, request, after: { turnout, results: { options: votes.map((v: number) => ({ votes: v })) } } });
      }
      expectedCount[expected.counted === 'kB' ? 1 : 0] += 1;
      const other = expected.counted === 'kA' ? 'kB' : 'kA';
      receipts.push({ counted: receiptOf[expected.counted]!, other: receiptOf[other] ?? null });
    }
    expect(await live()).toEqual({ turnout: orders.length, results: { options: expectedCount.map((votes) => ({ votes })) } });

    await closeRound(api, host, round.id);
    const record = await fetchRecord(api, round.id);
    expect(new Set(record.map((e) => e.receiptHash))).toEqual(new Set(receipts.map((r) => receiptHash(r.counted))));
    for (const { counted, other } of receipts) {
      expect((await api.ok(CHECK, { r: round.id, c: counted })).verifyReceipt).toMatchObject({ counted: true, superseded: false });
      if (other) expect((await api.ok(CHECK, { r: round.id, c: other })).verifyReceipt).toEqual({ counted: false, superseded: true, choices: null });
    }
  });
});

describeWith({ postgres: true }, 'voting: kA, kB and kA again fired at the same moment', () => {
  it('serialises each voter’s three requests: the answers are those of one order, and the count, record and receipts agree with it', async () => {
    const VOTERS = 40;
    const voters = await bulkResidents(api, '1007', VOTERS);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Canal lights' }, { label: 'Market roof' }], { allowRevote: true }));
    const orders = permutations(REQUESTS);
    const outcomes = await Promise.all(
      voters.map(async (voter, v) => {
        const send = requestsOf(round, voter);
        // Sent in a different order by each voter, all three without waiting for an answer.
        const sent = orders[v % orders.length];
        const answers = await Promise.all(sent.map((request) => send(request)));
        return new Map(sent.map((request, i) => [request, answers[i]]));
      }),
    );
    const expectedCount = [0, 0];
    const receipts: { counted: string; other: string }[] = [];
    for (const answers of outcomes) {
      for (const res of answers.values()) expect(res.errors).toBeUndefined();
      const receiptOf = { kA: answers.get('kA')!.data!.castBallot.receipt.receipt, kB: answers.get('kB')!.data!.castBallot.receipt.receipt };
      expect(answers.get('kA again')!.data!.castBallot.receipt.receipt).toBe(receiptOf.kA);
      const shown = REQUESTS.map((request) => {
        const { replaced, superseded } = answers.get(request)!.data!.castBallot.receipt;
        return { request, replaced, superseded };
      });
      // The two kA requests are the same request: either may have arrived first.
      const order = permutations(REQUESTS).find((candidate) => {
        const expected = promised(candidate);
        return shown.every((s) => expected.answers.get(s.request)!.replaced === s.replaced && expected.answers.get(s.request)!.superseded === s.superseded);
      });
      expect({ shown, order: order ? 'some order' : 'no order gives these answers' }).toEqual({ shown, order: 'some order' });
      const counted = promised(order!).counted;
      expectedCount[counted === 'kB' ? 1 : 0] += 1;
      receipts.push({ counted: receiptOf[counted], other: receiptOf[counted === 'kA' ? 'kB' : 'kA'] });
    }

    await closeRound(api, host, round.id);
    const results = (await api.ok(`query($r: ID!) { votingRound(id: $r) { results { ballots options { votes } } } }`, { r: round.id })).votingRound.results;
    expect(results).toEqual({ ballots: VOTERS, options: expectedCount.map((votes) => ({ votes })) });
    const record = await fetchRecord(api, round.id);
    expect(new Set(record.map((e) => e.receiptHash))).toEqual(new Set(receipts.map((r) => receiptHash(r.counted))));
    for (const { counted, other } of receipts) {
      expect((await api.ok(CHECK, { r: round.id, c: counted })).verifyReceipt).toMatchObject({ counted: true, superseded: false });
      expect((await api.ok(CHECK, { r: round.id, c: other })).verifyReceipt).toEqual({ counted: false, superseded: true, choices: null });
    }
  });
});
