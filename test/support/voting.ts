import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AccessTokens, newRefreshToken } from '../../src/accounts/tokens';
import type { RecordEntry } from '../../src/voting/ballot-record.service';
import { Account } from './factories';
import { publishedProposal } from './hearings';
import { independentCount } from './recount';
import { TEST_AUTH_SECRET, TestServer } from './test-server';

export const ROUND_FIELDS = `id status method options { id position label proposal { id status } }`;

export function roundInput(districtCode: string, method: string, options: Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return {
    districtCode,
    title: `Vote: ${method.toLowerCase()}`,
    method,
    options,
    opensAt: new Date(Date.now() - 1000).toISOString(),
    closesAt: new Date(Date.now() + 3600_000).toISOString(),
    ...overrides,
  };
}

/** Creates, schedules and opens a round, returning it with its options. */
export async function openRound(api: TestServer, host: Account, input: Record<string, unknown>): Promise<{ id: string; options: { id: string; position: number; label: string }[] }> {
  const round = await createRound(api, host, input);
  await moveRound(api, host, round.id, 'scheduleVotingRound');
  const opened = await api.gql(`mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: round.id } }, host.token);
  // The clock may have opened it already.
  if (opened.errors && opened.errors[0].extensions?.code !== 'ILLEGAL_STATE') throw new Error(JSON.stringify(opened.errors));
  return round;
}

/** Every field of a round's results: the shape results.json gives too. */
export const RESULT_FIELDS = `method ballots eligibleVoters quorum quorumMet final winners tieBreak
  options { optionId position label votes share winner } rounds { round counts { optionId position votes } exhausted eliminated tieBreak } budget { total allocated }`;

/** A round with its full results, as a results page reads it. */
export const RESULTS = `query($r: ID!) { votingRound(id: $r) { status turnout eligibleVoters results { ${RESULT_FIELDS} } } }`;

export const CAST = `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt replaced } } }`;

export function cast(api: TestServer, voter: Account, roundId: string, choices: string[], key: string = randomUUID()) {
  return api.gql<{ castBallot: { receipt: { receipt: string; replaced: boolean } } }>(CAST, { i: { roundId, choices, idempotencyKey: key } }, voter.token);
}

export async function closeRound(api: TestServer, host: Account, roundId: string): Promise<void> {
  await moveRound(api, host, roundId, 'closeVotingRound');
}


/** The whole published record, page by page. */
export async function fetchRecord(api: TestServer, roundId: string): Promise<RecordEntry[]> {
  const entries: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = await api.ok(
      `query($r: ID!, $a: String) { ballotRecord(roundId: $r, first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { position receiptHash choices choicePositions previousHash entryHash } } } }`,
      { r: roundId, a: after },
    );
    entries.push(...page.ballotRecord.edges.map((e: any) => e.node));
    if (!page.ballotRecord.pageInfo.hasNextPage) return entries;
    after = page.ballotRecord.pageInfo.endCursor;
  }
}

/**
 * Recounts a closed round from what anyone can download: its published record (checking the hash
 * chain on the way and that its head is the round's recordHead) and its rules, with the tests' own
 * counting (independentCount), not the server's.
 */
export async function recount(api: TestServer, roundId: string) {
  const { votingRound: round } = await api.ok(`query($r: ID!) { votingRound(id: $r) { method seats budget recordHead options { id position cost } } }`, { r: roundId });
  const options: { id: string; position: number; cost: number | null }[] = round.options;
  const record = await fetchRecord(api, roundId);
  let previous = '0'.repeat(64);
  for (const entry of record) {
    if (entry.previousHash !== previous) throw new Error(`record entry ${entry.position}: previousHash does not chain`);
    const hash = createHash('sha256').update(`${previous}|${entry.receiptHash}|${entry.choicePositions.join(',')}`).digest('hex');
    if (entry.entryHash !== hash) throw new Error(`record entry ${entry.position}: entryHash is not sha256(previousHash|receiptHash|choicePositions)`);
    // The ids and the positions an entry gives must name the same options, in the same order.
    const named = entry.choicePositions.map((p) => options.find((o) => o.position === p)?.id);
    if (JSON.stringify(named) !== JSON.stringify(entry.choices)) throw new Error(`record entry ${entry.position}: choices ${entry.choices} are not the options at positions ${entry.choicePositions}`);
    previous = entry.entryHash;
  }
  if (previous !== round.recordHead) throw new Error(`the record's last entry hash ${previous} is not the round's recordHead ${round.recordHead}`);
  const rules = { method: round.method, seats: round.seats, options: options.map((o) => ({ id: o.id, position: o.position, cost: o.cost ?? 0 })), budget: round.budget };
  return { record, head: previous, count: independentCount(rules, record.map((e) => e.choices), previous) };
}

/**
 * Many verified residents at once, written straight to the database (as a fixture loader would):
 * registering a thousand voters through argon2 would take minutes. Their tokens are signed with the
 * test server's secret, on sessions stored like any other.
 */
export async function bulkResidents(api: Pick<TestServer, "databaseUrl">, districtCode: string, count: number): Promise<Account[]> {
  const db = new Client({ connectionString: api.databaseUrl });
  await db.connect();
  try {
    const signer = new AccessTokens(TEST_AUTH_SECRET, 3600);
    const accounts: Account[] = [];
    const users: string[][] = [];
    const sessions: string[][] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const family = randomUUID();
      const refresh = newRefreshToken();
      const email = `bulk.${id}@example.org`;
      users.push([id, email, `Voter ${i}`]);
      sessions.push([id, family, refresh.hash]);
      accounts.push({ id: Buffer.from(`User:${id}`).toString('base64url'), email, token: signer.sign(id, family, new Date()).token, refreshToken: refresh.token });
    }
    await db.query(
      `INSERT INTO users (id, email, password_hash, display_name, kind) SELECT id, email, '$argon2id$v=19$m=19456,t=2,p=1$unused$unused', name, 'PERSON' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, email, name)`,
      [users.map((u) => u[0]), users.map((u) => u[1]), users.map((u) => u[2])],
    );
    await db.query(`INSERT INTO residencies (user_id, district_code, status, reviewed_at) SELECT id, $2, 'APPROVED', now() FROM unnest($1::uuid[]) AS id`, [users.map((u) => u[0]), districtCode]);
    await db.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) SELECT u, f, h, now() + interval '1 day' FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS v(u, f, h)`,
      [sessions.map((s) => s[0]), sessions.map((s) => s[1]), sessions.map((s) => s[2])],
    );
    return accounts;
  } finally {
    await db.end();
  }
}

// ---- rounds in a given state, for suites that need one ------------------------------------------------

/**
 * A QUALIFIED proposal of the district, ready for a ballot: the district's endorsement threshold is set to 1
 * for one endorsement (by `endorser`), then put back as it was. `admin` is a host of the district or an administrator.
 */
export async function qualifiedProposal(api: TestServer, admin: Account, districtCode: string, title: string, author: Account, endorser: Account): Promise<string> {
  const THRESHOLD = `mutation($d: String!, $t: Int!) { setEndorsementThreshold(input: { districtCode: $d, threshold: $t }) { district { code } } }`;
  const { district } = await api.ok(`query($d: String!) { district(code: $d) { endorsementThreshold } }`, { d: districtCode });
  await api.ok(THRESHOLD, { d: districtCode, t: 1 }, admin.token);
  const id = await publishedProposal(api, districtCode, title, author);
  await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, endorser.token);
  await api.ok(THRESHOLD, { d: districtCode, t: district.endorsementThreshold }, admin.token);
  return id;
}

/** A DRAFT round, with its options. */
export async function createRound(api: TestServer, host: Account, input: Record<string, unknown>): Promise<{ id: string; options: { id: string; position: number; label: string }[] }> {
  return (await api.ok(`mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { ${ROUND_FIELDS} } } }`, { i: input }, host.token)).createVotingRound.votingRound;
}

export type VotingMove = 'scheduleVotingRound' | 'openVotingRound' | 'closeVotingRound' | 'certifyVotingRound';

/** A host (or an administrator) moves a round on, one move after another. */
export async function moveRound(api: TestServer, host: Account, roundId: string, ...moves: VotingMove[]): Promise<void> {
  for (const move of moves) {
    const input = `${move[0].toUpperCase()}${move.slice(1)}Input`;
    await api.ok(`mutation($i: ${input}!) { ${move}(input: $i) { votingRound { id } } }`, { i: { roundId } }, host.token);
  }
}
