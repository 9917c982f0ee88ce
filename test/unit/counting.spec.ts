import { BallotGroup, countBudget, countInstantRunoff, countMarks } from '../../src/voting/counting';

const ballots = (...rows: [number, number[]][]): BallotGroup[] => rows.map(([count, choices]) => ({ count, choices }));

describe('counting', () => {
  it('counts single-choice and approval marks, with ties sharing the win', () => {
    const single = countMarks(ballots([5, [0]], [3, [1]], [5, [2]]), 3);
    expect(single.options.map((o) => o.votes)).toEqual([5, 3, 5]);
    expect(single.winners).toEqual([0, 2]);
    expect(single.options[0].share).toBeCloseTo(5 / 13);
    const approval = countMarks(ballots([4, [0, 1]], [2, [1, 2]], [1, [2]]), 3);
    expect(approval.options.map((o) => o.votes)).toEqual([4, 6, 3]);
    expect(approval.winners).toEqual([1]);
    expect(countMarks([], 2).winners).toEqual([]);
  });

  it('runs an instant runoff over several elimination rounds, reporting each', () => {
    // First preferences A=8, B=7, C=4, D=2 of 21: no majority. D goes (its 2 to C), then C (its 6 to B).
    const result = countInstantRunoff(ballots([8, [0, 1]], [7, [1, 0]], [4, [2, 1]], [2, [3, 2, 1]]), 4);
    expect(result.rounds!.map((r) => r.eliminated)).toEqual([[3], [2], []]);
    expect(result.rounds![0].counts).toEqual([{ position: 0, votes: 8 }, { position: 1, votes: 7 }, { position: 2, votes: 4 }, { position: 3, votes: 2 }]);
    expect(result.rounds![2].counts).toEqual([{ position: 0, votes: 8 }, { position: 1, votes: 13 }]);
    expect(result.winners).toEqual([1]);
  });

  it('elects on the first round with a majority', () => {
    const result = countInstantRunoff(ballots([6, [0]], [3, [1]], [2, [2]]), 3);
    expect(result.winners).toEqual([0]);
    expect(result.rounds).toHaveLength(1);
  });

  it('breaks an elimination tie by the earlier round, then by ballot order, and says so', () => {
    const backwards = countInstantRunoff(ballots([5, [0]], [3, [1, 0]], [2, [2, 1]], [1, [3, 2]]), 4);
    // Round 1: A5 B3 C2 D1 -> D out; round 2: A5 B3 C3 -> B and C tied; in round 1 C had fewer (2 < 3): C out.
    expect(backwards.rounds![1].eliminated).toEqual([2]);
    expect(backwards.rounds![1].tieBreak).toContain('earlier round');
    const byOrder = countInstantRunoff(ballots([4, [0]], [2, [1, 0]], [2, [2, 0]]), 3);
    // B and C tie at 2 in the only round: the one listed last (C) is eliminated.
    expect(byOrder.rounds![0].eliminated).toEqual([2]);
    expect(byOrder.rounds![0].tieBreak).toContain('ballot order');
    expect(byOrder.winners).toEqual([0]);
  });

  it('sets exhausted ballots aside and reports a final tie as shared', () => {
    const result = countInstantRunoff(ballots([3, [0]], [3, [1]], [1, [2]]), 3);
    expect(result.rounds![1].exhausted).toBe(1);
    expect(result.winners).toEqual([0, 1]);
  });

  it('funds budget options by votes while they fit, skipping the most voted when it does not', () => {
    // Costs 600, 300, 250, 100 of a 700 budget. Votes: A=10, B=8, C=7, D=1.
    const result = countBudget(ballots([7, [0, 2]], [3, [0, 1]], [5, [1, 2]], [1, [3]]), [600, 300, 250, 100], 700);
    expect(result.options.map((o) => o.votes)).toEqual([10, 8, 12, 1]);
    // C (12) 250 fits; A (10) 600 does not fit in 450; B (8) 300 fits; D (1) 100 fits.
    expect(result.winners).toEqual([2, 1, 3]);
    expect(result.budget).toEqual({ total: 700, allocated: 650 });
  });
});
