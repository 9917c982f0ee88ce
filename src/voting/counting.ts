/**
 * Counting ballots: pure functions over ballots grouped by their choices (identical ballots counted
 * once with a weight), so that a million ballots cost as much as their distinct shapes.
 *
 * Options are identified by their position on the ballot (0, 1, 2, ...).
 */
export interface BallotGroup {
  choices: number[];
  count: number;
}

export interface OptionCount {
  position: number;
  votes: number;
  /** votes / ballots counted (0..1); for ranked choice, of the final round's continuing ballots. */
  share: number;
}

export interface RunoffRound {
  round: number;
  counts: { position: number; votes: number }[];
  /** Ballots with no continuing option left. */
  exhausted: number;
  eliminated: number[];
  /** How an elimination tie was broken, when there was one. */
  tieBreak: string | null;
}

export interface CountResult {
  ballots: number;
  options: OptionCount[];
  winners: number[];
  rounds: RunoffRound[] | null;
  budget: { total: number; allocated: number } | null;
}

function zeroCounts(optionCount: number): number[] {
  return Array.from({ length: optionCount }, () => 0);
}

function total(groups: BallotGroup[]): number {
  return groups.reduce((sum, g) => sum + g.count, 0);
}

/** Every mark counts once: single choice (one mark) and approval (several). Ties share the win. */
export function countMarks(groups: BallotGroup[], optionCount: number): CountResult {
  const votes = zeroCounts(optionCount);
  for (const g of groups) for (const position of new Set(g.choices)) votes[position] += g.count;
  const ballots = total(groups);
  const top = Math.max(0, ...votes);
  return {
    ballots,
    options: votes.map((v, position) => ({ position, votes: v, share: ballots ? v / ballots : 0 })),
    winners: top > 0 ? votes.flatMap((v, position) => (v === top ? [position] : [])) : [],
    rounds: null,
    budget: null,
  };
}

/**
 * Instant runoff. Each round counts every ballot for its highest-ranked continuing option; an option
 * with more than half of the continuing ballots wins. Otherwise the option with the fewest votes is
 * eliminated. Tie-break for elimination (documented in the README): among the options tied for fewest,
 * eliminate the one with fewer votes in the previous round, going back round by round; if they were
 * tied in every round, eliminate the one listed last on the ballot. Only one option is eliminated per
 * round. When two options remain tied at the end, both are reported as winners (a tie).
 */
export function countInstantRunoff(groups: BallotGroup[], optionCount: number): CountResult {
  const continuing = new Set(Array.from({ length: optionCount }, (_, i) => i));
  const rounds: RunoffRound[] = [];
  const history: number[][] = [];
  let winners: number[] = [];
  let lastCounts = zeroCounts(optionCount);

  while (continuing.size > 0) {
    const counts = zeroCounts(optionCount);
    let exhausted = 0;
    for (const g of groups) {
      const choice = g.choices.find((c) => continuing.has(c));
      if (choice === undefined) exhausted += g.count;
      else counts[choice] += g.count;
    }
    history.push(counts);
    lastCounts = counts;
    const active = [...continuing];
    const live = active.reduce((sum, p) => sum + counts[p], 0);
    const round: RunoffRound = { round: rounds.length + 1, counts: active.map((position) => ({ position, votes: counts[position] })), exhausted, eliminated: [], tieBreak: null };
    rounds.push(round);

    const leader = active.reduce((best, p) => (counts[p] > counts[best] ? p : best), active[0]);
    if (live === 0) break;
    if (counts[leader] * 2 > live) {
      winners = [leader];
      break;
    }
    const fewest = Math.min(...active.map((p) => counts[p]));
    let tied = active.filter((p) => counts[p] === fewest);
    if (tied.length === active.length) {
      // Everyone left is tied: nobody can be eliminated fairly, so they share the result.
      winners = active;
      break;
    }
    if (tied.length > 1) {
      const names = tied.join(', ');
      for (let back = history.length - 2; back >= 0 && tied.length > 1; back--) {
        const min = Math.min(...tied.map((p) => history[back][p]));
        tied = tied.filter((p) => history[back][p] === min);
      }
      const out = tied.length > 1 ? Math.max(...tied) : tied[0];
      round.tieBreak = `options ${names} tied with ${fewest}; eliminated ${out} by ${tied.length > 1 ? 'ballot order (listed last)' : 'fewer votes in an earlier round'}`;
      tied = [out];
    }
    round.eliminated = tied;
    continuing.delete(tied[0]);
    if (continuing.size === 1) {
      winners = [...continuing];
      // Record the final round, where the last option holds every continuing ballot.
      const finalCounts = zeroCounts(optionCount);
      let finalExhausted = 0;
      for (const g of groups) {
        const choice = g.choices.find((c) => continuing.has(c));
        if (choice === undefined) finalExhausted += g.count;
        else finalCounts[choice] += g.count;
      }
      lastCounts = finalCounts;
      rounds.push({ round: rounds.length + 1, counts: winners.map((position) => ({ position, votes: finalCounts[position] })), exhausted: finalExhausted, eliminated: [], tieBreak: null });
      break;
    }
  }
  const finalLive = lastCounts.reduce((sum, votes) => sum + votes, 0);
  return {
    ballots: total(groups),
    options: lastCounts.map((votes, position) => ({ position, votes, share: finalLive ? votes / finalLive : 0 })),
    winners,
    rounds,
    budget: null,
  };
}

/**
 * Participatory budget: each ballot marks the options it supports; options are taken in order of
 * votes (ties: the cheaper first, then ballot order) and funded while they fit in what is left of
 * the budget; one that does not fit is skipped and the next is tried, as Decidim and Consul do.
 */
export function countBudget(groups: BallotGroup[], costs: number[], budget: number): CountResult {
  const marks = countMarks(groups, costs.length);
  const order = marks.options.slice().sort((a, b) => b.votes - a.votes || costs[a.position] - costs[b.position] || a.position - b.position);
  let left = budget;
  const winners: number[] = [];
  for (const option of order) {
    if (option.votes === 0) break;
    if (costs[option.position] <= left) {
      winners.push(option.position);
      left -= costs[option.position];
    }
  }
  return { ...marks, winners, budget: { total: budget, allocated: budget - left } };
}
