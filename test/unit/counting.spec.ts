import { createHash } from 'node:crypto';
import { BallotGroup, countBudget, countInstantRunoff, countMarks, drawByLot } from '../../src/voting/counting';

const ballots = (...rows: [number, number[]][]): BallotGroup[] => rows.map(([count, choices]) => ({ count, choices }));
/** A record head, as the lot's seed. */
const HEAD = createHash('sha256').update('a published record').digest('hex');
/** The lot as the README states it, computed here by hand. */
const ticket = (seed: string, position: number) => createHash('sha256').update(`${seed}:${position}`).digest('hex');
const byHand = (seed: string, positions: number[]) => [...positions].sort((a, b) => (ticket(seed, a) < ticket(seed, b) ? -1 : 1));

describe('counting', () => {
  it('draws lots in the order of sha256(seed:position), so anyone can draw them again, and not in ballot order', () => {
    expect(drawByLot(HEAD, [0, 1, 2, 3])).toEqual(byHand(HEAD, [0, 1, 2, 3]));
    expect(drawByLot(HEAD, [3, 1])).toEqual(byHand(HEAD, [1, 3]));
    // Over many seeds, each of two tied options is drawn first about half the time.
    const firsts = Array.from({ length: 200 }, (_, i) => drawByLot(`${HEAD}${i}`, [0, 1])[0]);
    expect(firsts.filter((p) => p === 0).length).toBeGreaterThan(60);
    expect(firsts.filter((p) => p === 1).length).toBeGreaterThan(60);
  });

  it('counts single-choice and approval marks, electing as many options as there are seats', () => {
    const single = countMarks(ballots([5, [0]], [3, [1]], [4, [2]]), 3, 1, HEAD);
    expect(single.options.map((o) => o.votes)).toEqual([5, 3, 4]);
    expect(single.winners).toEqual([0]);
    expect(single.tieBreak).toBeNull();
    expect(single.options[0].share).toBeCloseTo(5 / 12);
    const approval = countMarks(ballots([4, [0, 1]], [2, [1, 2]], [1, [2]]), 3, 2, HEAD);
    expect(approval.options.map((o) => o.votes)).toEqual([4, 6, 3]);
    expect(approval.winners).toEqual([0, 1]);
    expect(countMarks([], 2, 1, HEAD).winners).toEqual([]);
    // An option nobody voted for is not elected, even with a seat left.
    expect(countMarks(ballots([2, [0]]), 3, 2, HEAD).winners).toEqual([0]);
  });

  it('breaks a tie at the cut-off by lot, electing exactly the seats, and says how', () => {
    const tie = countMarks(ballots([5, [0]], [3, [1]], [5, [2]]), 3, 1, HEAD);
    expect(tie.winners).toEqual([byHand(HEAD, [0, 2])[0]]);
    expect(tie.tieBreak).toContain('options 0, 2 tied with 5 votes for 1 seat');
    expect(tie.tieBreak).toContain('sha256(recordHead + ":" + position)');
    // Two seats: 0 is elected outright; 1, 2 and 3 tie for the second.
    const second = countMarks(ballots([6, [0]], [2, [1]], [2, [2]], [2, [3]]), 4, 2, HEAD);
    expect(second.winners).toEqual([0, byHand(HEAD, [1, 2, 3])[0]].sort());
    // A live count has no record yet: the tied options are not elected, and the tie waits for the close.
    const live = countMarks(ballots([5, [0]], [5, [2]]), 3, 1, null);
    expect(live.winners).toEqual([]);
    expect(live.tieBreak).toContain('when the round closes');
  });

  it('runs an instant runoff over several elimination rounds, reporting each', () => {
    // First preferences A=8, B=7, C=4, D=2 of 21: no majority. D goes (its 2 to C), then C (its 6 to B).
    const result = countInstantRunoff(ballots([8, [0, 1]], [7, [1, 0]], [4, [2, 1]], [2, [3, 2, 1]]), 4, HEAD);
    expect(result.rounds!.map((r) => r.eliminated)).toEqual([[3], [2], []]);
    expect(result.rounds![0].counts).toEqual([{ position: 0, votes: 8 }, { position: 1, votes: 7 }, { position: 2, votes: 4 }, { position: 3, votes: 2 }]);
    expect(result.rounds![2].counts).toEqual([{ position: 0, votes: 8 }, { position: 1, votes: 13 }]);
    expect(result.winners).toEqual([1]);
    expect(result.tieBreak).toBeNull();
  });

  it('elects on the first round with a majority', () => {
    const result = countInstantRunoff(ballots([6, [0]], [3, [1]], [2, [2]]), 3, HEAD);
    expect(result.winners).toEqual([0]);
    expect(result.rounds).toHaveLength(1);
  });

  it('breaks an elimination tie by the earlier round, then by lot, and says so', () => {
    const backwards = countInstantRunoff(ballots([5, [0]], [3, [1, 0]], [2, [2, 1]], [1, [3, 2]]), 4, HEAD);
    // Round 1: A5 B3 C2 D1 -> D out; round 2: A5 B3 C3 -> B and C tied; in round 1 C had fewer (2 < 3): C out.
    expect(backwards.rounds![1].eliminated).toEqual([2]);
    expect(backwards.rounds![1].tieBreak).toContain('earlier round');
    const byLot = countInstantRunoff(ballots([4, [0]], [2, [1, 0]], [2, [2, 0]]), 3, HEAD);
    // B and C tie at 2 in the only round: the one drawn last is eliminated.
    expect(byLot.rounds![0].eliminated).toEqual([byHand(HEAD, [1, 2])[1]]);
    expect(byLot.rounds![0].tieBreak).toContain('lot');
    expect(byLot.winners).toEqual([0]);
    expect(byLot.tieBreak).toContain('round 1:');
  });

  it('sets exhausted ballots aside and decides a final tie by lot: one winner', () => {
    // A3 B3 C1: C goes, its ballot ranks nobody else; A and B tie 3-3 now and in round 1.
    const result = countInstantRunoff(ballots([3, [0]], [3, [1]], [1, [2]]), 3, HEAD);
    expect(result.rounds![1].exhausted).toBe(1);
    expect(result.winners).toEqual([byHand(HEAD, [0, 1])[0]]);
    expect(result.rounds!.at(-1)!.counts).toHaveLength(1);
    expect(result.tieBreak).toContain('round 2:');
  });

  it('funds budget options by votes while they fit, skipping the most voted when it does not', () => {
    // Costs 600, 300, 250, 100 of a 700 budget. Votes: A=10, B=8, C=7, D=1.
    const result = countBudget(ballots([7, [0, 2]], [3, [0, 1]], [5, [1, 2]], [1, [3]]), [600, 300, 250, 100], 700, HEAD);
    expect(result.options.map((o) => o.votes)).toEqual([10, 8, 12, 1]);
    // C (12) 250 fits; A (10) 600 does not fit in 450; B (8) 300 fits; D (1) 100 fits.
    expect(result.winners).toEqual([2, 1, 3]);
    expect(result.budget).toEqual({ total: 700, allocated: 650 });
    expect(result.tieBreak).toBeNull();
  });

  it('orders budget options with equal votes by cost, then by lot', () => {
    // B and C: 3 votes and 400 each; only one fits in what A leaves. D is cheaper, so it goes first among the 3-vote options.
    const result = countBudget(ballots([5, [0]], [3, [1, 2, 3]]), [500, 400, 400, 100], 1000, HEAD);
    expect(result.winners).toEqual([0, 3, byHand(HEAD, [1, 2])[0]]);
    expect(result.tieBreak).toContain('options 1, 2 tied in votes and cost');
  });
});
