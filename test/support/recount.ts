import { createHash } from 'node:crypto';

/**
 * A second count of a round, written from the README's rules alone and apart from the server's
 * (src/voting/counting.ts is not imported), so that a recount checks the counting and not only the
 * record. It reads only what anyone can download: the record's entries (options by id) and head, and
 * the round's method, seats, options (id, position on the ballot, cost) and budget. Positions serve
 * only the lot, which the README defines on them.
 */
export interface RoundRules {
  method: 'SINGLE_CHOICE' | 'APPROVAL' | 'RANKED_CHOICE' | 'BUDGET';
  seats: number | null;
  options: { id: string; position: number; cost: number }[];
  budget: number | null;
}

export interface Recount {
  ballots: number;
  /** Votes per option (ranked choice: in the final round), in ballot order. */
  options: { optionId: string; votes: number }[];
  /** Winning option ids, in ballot order (budget: the funded ones). */
  winners: string[];
  /** Ranked choice: who was eliminated after each round. */
  rounds: { eliminated: string[] }[] | null;
  /** Whether the lot decided anything. */
  drewLots: boolean;
}

/** The README's lot: sha256 of `<record head>:<position>` in hex; the lowest ticket is drawn first. */
export function lotTicket(head: string, position: number): string {
  return createHash('sha256').update(`${head}:${position}`).digest('hex');
}

export function independentCount(rules: RoundRules, ballots: string[][], head: string): Recount {
  const options = [...rules.options].sort((a, b) => a.position - b.position);
  const ids = options.map((o) => o.id);
  const ticket = new Map(options.map((o) => [o.id, lotTicket(head, o.position)]));
  const cost = new Map(options.map((o) => [o.id, o.cost]));
  const byLot = (a: string, b: string) => (ticket.get(a)! < ticket.get(b)! ? -1 : 1);
  const inBallotOrder = (chosen: string[]) => ids.filter((id) => chosen.includes(id));
  for (const ballot of ballots) for (const id of ballot) if (!ticket.has(id)) throw new Error(`a ballot names ${id}, which is not an option of the round`);
  const marks = new Map(ids.map((id) => [id, ballots.filter((b) => b.includes(id)).length]));
  const votesOf = (counts: Map<string, number>) => ids.map((optionId) => ({ optionId, votes: counts.get(optionId) ?? 0 }));

  if (rules.method === 'RANKED_CHOICE') {
    const continuing = new Set(ids);
    const history: Map<string, number>[] = [];
    const rounds: { eliminated: string[] }[] = [];
    let drewLots = false;
    for (;;) {
      const counts = new Map(ids.map((id) => [id, 0]));
      for (const ballot of ballots) {
        const first = ballot.find((id) => continuing.has(id));
        if (first !== undefined) counts.set(first, counts.get(first)! + 1);
      }
      history.push(counts);
      const live = [...continuing].reduce((sum, id) => sum + counts.get(id)!, 0);
      const best = [...continuing].find((id) => counts.get(id)! * 2 > live);
      if (live === 0 || best !== undefined || continuing.size === 1) {
        rounds.push({ eliminated: [] });
        const winner = best ?? (continuing.size === 1 && live > 0 ? [...continuing][0] : undefined);
        return { ballots: ballots.length, options: votesOf(counts), winners: winner === undefined ? [] : [winner], rounds, drewLots };
      }
      // The fewest now; among them the fewest in the round before, and so on back; then the one drawn last.
      const loser = [...continuing].sort((a, b) => {
        for (let r = history.length - 1; r >= 0; r--) if (history[r].get(a) !== history[r].get(b)) return history[r].get(a)! - history[r].get(b)!;
        return byLot(b, a);
      })[0];
      const tiedThroughout = [...continuing].filter((id) => id !== loser && history.every((h) => h.get(id) === h.get(loser)));
      if (tiedThroughout.length) drewLots = true;
      continuing.delete(loser);
      rounds.push({ eliminated: [loser] });
    }
  }

  if (rules.method === 'BUDGET') {
    const order = ids.filter((id) => marks.get(id)! > 0).sort((a, b) => marks.get(b)! - marks.get(a)! || cost.get(a)! - cost.get(b)! || byLot(a, b));
    let left = rules.budget ?? 0;
    const funded: string[] = [];
    for (const id of order) {
      if (cost.get(id)! <= left) {
        funded.push(id);
        left -= cost.get(id)!;
      }
    }
    const drewLots = order.some((id, i) => i > 0 && marks.get(id) === marks.get(order[i - 1]) && cost.get(id) === cost.get(order[i - 1]));
    return { ballots: ballots.length, options: votesOf(marks), winners: inBallotOrder(funded), rounds: null, drewLots };
  }

  // Single choice and approval: the `seats` most voted, equal votes in the order of the lot.
  const seats = rules.seats ?? 1;
  const ranking = ids.filter((id) => marks.get(id)! > 0).sort((a, b) => marks.get(b)! - marks.get(a)! || byLot(a, b));
  const drewLots = ranking.length > seats && marks.get(ranking[seats - 1]) === marks.get(ranking[seats]);
  return { ballots: ballots.length, options: votesOf(marks), winners: inBallotOrder(ranking.slice(0, seats)), rounds: null, drewLots };
}
