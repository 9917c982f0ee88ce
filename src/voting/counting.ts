import { createHash } from 'node:crypto';

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
  /** How ties that decided the result were broken (the rule and the draw), when there were any. */
  tieBreak: string | null;
}

/**
 * The lot that breaks a tie: the tied options in the order of SHA-256(`<seed>:<position>`) as hex,
 * lowest first, where the seed is the head of the round's published ballot record. Nobody can know
 * it before the round closes (it depends on every ballot's receipt), and anyone can draw it again
 * from the published record.
 */
export function drawByLot(seed: string, positions: number[]): number[] {
  const ticket = (position: number) => createHash('sha256').update(`${seed}:${position}`).digest('hex');
  return positions
    .map((position) => ({ position, ticket: ticket(position) }))
    .sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : 0))
    .map((d) => d.position);
}

export const LOT_RULE = 'lot: sha256(recordHead + ":" + position), lowest first';

function describeLot(order: number[]): string {
  return `drawn by ${LOT_RULE}: ${order.join(', ')}`;
}

function zeroCounts(optionCount: number): number[] {
  return Array.from({ length: optionCount }, () => 0);
}

function total(groups: BallotGroup[]): number {
  return groups.reduce((sum, g) => sum + g.count, 0);
}

/**
 * Every mark counts once: single choice (one mark) and approval (several). The `seats` options with
 * the most votes win (an option with no vote never does). Options tied at the cut-off for the last
 * seats are drawn by lot from `lotSeed`; without a seed (a live count, before the record exists)
 * the tied options are left out of the winners and the tie is reported as undecided.
 */
export function countMarks(groups: BallotGroup[], optionCount: number, seats = 1, lotSeed: string | null = null): CountResult {
  const votes = zeroCounts(optionCount);
  for (const g of groups) for (const position of new Set(g.choices)) votes[position] += g.count;
  const ballots = total(groups);
  const voted = votes.flatMap((v, position) => (v > 0 ? [position] : [])).sort((a, b) => votes[b] - votes[a] || a - b);
  let winners = voted;
  let tieBreak: string | null = null;
  if (voted.length > seats) {
    const cutoff = votes[voted[seats - 1]];
    const above = voted.filter((p) => votes[p] > cutoff);
    const tied = voted.filter((p) => votes[p] === cutoff);
    const left = seats - above.length;
    winners = above;
    if (tied.length > left) {
      const seatsText = `${left} seat${left === 1 ? '' : 's'}`;
      if (lotSeed === null) tieBreak = `options ${tied.join(', ')} tied with ${cutoff} votes for ${seatsText}: the lot is drawn when the round closes`;
      else {
        const order = drawByLot(lotSeed, tied);
        winners = [...above, ...order.slice(0, left)];
        tieBreak = `options ${tied.join(', ')} tied with ${cutoff} votes for ${seatsText}; ${describeLot(order)}`;
      }
    } else winners = [...above, ...tied];
  }
  return {
    ballots,
    options: votes.map((v, position) => ({ position, votes: v, share: ballots ? v / ballots : 0 })),
    winners: winners.sort((a, b) => a - b),
    rounds: null,
    budget: null,
    tieBreak,
  };
}

/**
 * Instant runoff, electing one option. Each round counts every ballot for its highest-ranked
 * continuing option; an option with more than half of the continuing ballots wins. Otherwise the
 * option with the fewest votes is eliminated, one per round. Tie-break for elimination (documented in
 * the README): among the options tied for fewest, eliminate the one with fewer votes in the previous
 * round, going back round by round; if they were tied in every round, the lot decides (drawByLot on
 * `lotSeed`): the one drawn last is eliminated. Two options left with equal votes are such a tie,
 * so the count always ends with one winner (none when no ballot ranks anyone).
 */
export function countInstantRunoff(groups: BallotGroup[], optionCount: number, lotSeed: string): CountResult {
  const continuing = new Set(Array.from({ length: optionCount }, (_, i) => i));
  const rounds: RunoffRound[] = [];
  const history: number[][] = [];
  let winners: number[] = [];
  let lastCounts = zeroCounts(optionCount);
  const tally = () => {
    const counts = zeroCounts(optionCount);
    let exhausted = 0;
    for (const g of groups) {
      const choice = g.choices.find((c) => continuing.has(c));
      if (choice === undefined) exhausted += g.count;
      else counts[choice] += g.count;
    }
    return { counts, exhausted };
  };

  while (continuing.size > 0) {
    const { counts, exhausted } = tally();
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
    if (tied.length > 1) {
      const names = tied.join(', ');
      for (let back = history.length - 2; back >= 0 && tied.length > 1; back--) {
        const min = Math.min(...tied.map((p) => history[back][p]));
        tied = tied.filter((p) => history[back][p] === min);
      }
      let how = 'fewer votes in an earlier round';
      if (tied.length > 1) {
        const order = drawByLot(lotSeed, tied);
        tied = [order[order.length - 1]];
        how = `the ${describeLot(order)} (the last drawn is eliminated)`;
      }
      round.tieBreak = `options ${names} tied with ${fewest}; eliminated ${tied[0]} by ${how}`;
    }
    round.eliminated = tied;
    continuing.delete(tied[0]);
    if (continuing.size === 1) {
      winners = [...continuing];
      // Record the final round, where the last option holds every continuing ballot.
      const last = tally();
      lastCounts = last.counts;
      rounds.push({ round: rounds.length + 1, counts: winners.map((position) => ({ position, votes: last.counts[position] })), exhausted: last.exhausted, eliminated: [], tieBreak: null });
      break;
    }
  }
  const finalLive = lastCounts.reduce((sum, votes) => sum + votes, 0);
  const lots = rounds.filter((r) => r.tieBreak?.includes(LOT_RULE));
  return {
    ballots: total(groups),
    options: lastCounts.map((votes, position) => ({ position, votes, share: finalLive ? votes / finalLive : 0 })),
    winners,
    rounds,
    budget: null,
    tieBreak: lots.length ? lots.map((r) => `round ${r.round}: ${r.tieBreak}`).join('; ') : null,
  };
}

/**
 * Participatory budget: each ballot marks the options it supports; options are taken in order of
 * votes (ties: the cheaper first, then by lot) and funded while they fit in what is left of the
 * budget; one that does not fit is skipped and the next is tried, as Decidim and Consul do.
 */
export function countBudget(groups: BallotGroup[], costs: number[], budget: number, lotSeed: string): CountResult {
  const marks = countMarks(groups, costs.length, costs.length);
  const draw = drawByLot(lotSeed, costs.map((_, position) => position));
  const rank = (position: number) => draw.indexOf(position);
  const order = marks.options.slice().sort((a, b) => b.votes - a.votes || costs[a.position] - costs[b.position] || rank(a.position) - rank(b.position));
  let left = budget;
  const winners: number[] = [];
  const lots: number[][] = [];
  for (const [i, option] of order.entries()) {
    if (option.votes === 0) break;
    const next = order[i + 1];
    // A tie of votes and cost that the lot ordered, reported once per group of tied options.
    if (next && next.votes === option.votes && costs[next.position] === costs[option.position] && !lots.some((l) => l.includes(option.position))) {
      lots.push(order.filter((o) => o.votes === option.votes && costs[o.position] === costs[option.position]).map((o) => o.position));
    }
    if (costs[option.position] <= left) {
      winners.push(option.position);
      left -= costs[option.position];
    }
  }
  const tieBreak = lots.length ? lots.map((group) => `options ${[...group].sort((a, b) => a - b).join(', ')} tied in votes and cost; funding order ${describeLot(group)}`).join('; ') : null;
  return { ...marks, winners, budget: { total: budget, allocated: budget - left }, tieBreak };
}
