import { createHash } from 'node:crypto';

/**
 * A second count of a round, written from the README's rules alone and apart from the server's
 * (src/voting/counting.ts is not imported), so that a recount checks the counting and not only the
 * record. It reads only what anyone can download: the record's entries and head, and the round's
 * method, seats, costs and budget.
 */
export interface RoundRules {
  method: 'SINGLE_CHOICE' | 'APPROVAL' | 'RANKED_CHOICE' | 'BUDGET';
  seats: number | null;
  costs: number[];
  budget: number | null;
}

export interface Recount {
  ballots: number;
  /** Votes per option position (ranked choice: in the final round). */
  options: { position: number; votes: number }[];
  /** Winning positions, ascending (budget: the funded ones). */
  winners: number[];
  /** Ranked choice: who was eliminated after each round. */
  rounds: { eliminated: number[] }[] | null;
  /** Whether the lot decided anything. */
  drewLots: boolean;
}

/** The README's lot: sha256 of `<record head>:<position>` in hex; the lowest ticket is drawn first. */
export function lotTicket(head: string, position: number): string {
  return createHash('sha256').update(`${head}:${position}`).digest('hex');
}

export function independentCount(rules: RoundRules, optionCount: number, ballots: number[][], head: string): Recount {
  const ticket = Array.from({ length: optionCount }, (_, p) => lotTicket(head, p));
  const byLot = (a: number, b: number) => (ticket[a] < ticket[b] ? -1 : 1);
  const positions = Array.from({ length: optionCount }, (_, p) => p);
  const marks = positions.map((p) => ballots.filter((b) => b.includes(p)).length);

  if (rules.method === 'RANKED_CHOICE') {
    const continuing = new Set(positions);
    const history: number[][] = [];
    const rounds: { eliminated: number[] }[] = [];
    let drewLots = false;
    for (;;) {
      const counts = positions.map(() => 0);
      for (const ballot of ballots) {
        const first = ballot.find((p) => continuing.has(p));
        if (first !== undefined) counts[first] += 1;
      }
      history.push(counts);
      const live = [...continuing].reduce((sum, p) => sum + counts[p], 0);
      const best = [...continuing].find((p) => counts[p] * 2 > live);
      if (live === 0 || best !== undefined || continuing.size === 1) {
        rounds.push({ eliminated: [] });
        const winner = best ?? (continuing.size === 1 && live > 0 ? [...continuing][0] : undefined);
        return { ballots: ballots.length, options: counts.map((votes, position) => ({ position, votes })), winners: winner === undefined ? [] : [winner], rounds, drewLots };
      }
      // The fewest now; among them the fewest in the round before, and so on back; then the one drawn last.
      const loser = [...continuing].sort((a, b) => {
        for (let r = history.length - 1; r >= 0; r--) if (history[r][a] !== history[r][b]) return history[r][a] - history[r][b];
        return byLot(b, a);
      })[0];
      const tiedThroughout = [...continuing].filter((p) => p !== loser && history.every((h) => h[p] === h[loser]));
      if (tiedThroughout.length) drewLots = true;
      continuing.delete(loser);
      rounds.push({ eliminated: [loser] });
    }
  }

  if (rules.method === 'BUDGET') {
    const order = positions.filter((p) => marks[p] > 0).sort((a, b) => marks[b] - marks[a] || rules.costs[a] - rules.costs[b] || byLot(a, b));
    let left = rules.budget ?? 0;
    const funded: number[] = [];
    for (const p of order) {
      if (rules.costs[p] <= left) {
        funded.push(p);
        left -= rules.costs[p];
      }
    }
    const drewLots = order.some((p, i) => i > 0 && marks[p] === marks[order[i - 1]] && rules.costs[p] === rules.costs[order[i - 1]]);
    return { ballots: ballots.length, options: marks.map((votes, position) => ({ position, votes })), winners: funded.sort((a, b) => a - b), rounds: null, drewLots };
  }

  // Single choice and approval: the `seats` most voted, equal votes in the order of the lot.
  const seats = rules.seats ?? 1;
  const ranking = positions.filter((p) => marks[p] > 0).sort((a, b) => marks[b] - marks[a] || byLot(a, b));
  const drewLots = ranking.length > seats && marks[ranking[seats - 1]] === marks[ranking[seats]];
  return { ballots: ballots.length, options: marks.map((votes, position) => ({ position, votes })), winners: ranking.slice(0, seats).sort((a, b) => a - b), rounds: null, drewLots };
}
