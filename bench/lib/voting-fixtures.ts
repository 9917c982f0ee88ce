import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import type * as CopyStreams from 'pg-copy-streams';
import { benchRequire } from './bench-require';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, BENCH_AUTH_SECRET } from './server';

/**
 * Fixtures for the voting scenarios: residents written straight to the database (as a fixture loader
 * would: a thousand argon2 registrations take minutes), rounds opened through the API, and ballots
 * made exactly as the server makes them (slot and receipt from the ballot secret), loaded with COPY.
 */

export { benchRequire };

/** The district every voting scenario uses (Phra Nakhon). */
export const DISTRICT = '1001';

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (res.status !== 200 || body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

export async function loginAdmin(url: string): Promise<string> {
  const data = await gql<{ login: { accessToken: string } }>(url, `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
    i: { email: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD },
  });
  return data.login.accessToken;
}

export interface OpenedRound {
  id: string;
  /** The round's uuid in the database. */
  uuid: string;
  options: { id: string; position: number; label: string }[];
}

/** Creates, schedules and opens a round of plain-label options (no proposals), through the API. */
export async function openRound(url: string, adminToken: string, input: { method: string; labels: string[]; resultsVisibility?: 'LIVE' | 'AFTER_CLOSE'; secret?: boolean; title?: string }): Promise<OpenedRound> {
  const created = await gql<{ createVotingRound: { votingRound: { id: string; options: OpenedRound['options'] } } }>(
    url,
    `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id options { id position label } } } }`,
    {
      i: {
        districtCode: DISTRICT,
        title: input.title ?? `Bench vote ${randomUUID().slice(0, 8)}`,
        method: input.method,
        options: input.labels.map((label) => ({ label })),
        opensAt: new Date(Date.now() - 1000).toISOString(),
        closesAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
        resultsVisibility: input.resultsVisibility ?? 'AFTER_CLOSE',
        secret: input.secret ?? true,
      },
    },
    adminToken,
  );
  const id = created.createVotingRound.votingRound.id;
  await gql(url, `mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: id } }, adminToken);
  // The server's clock may open it first (it ticks every second).
  await gql(url, `mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: id } }, adminToken).catch((error: Error) => {
    if (!/ILLEGAL_STATE|Cannot open/.test(error.message)) throw error;
  });
  return { id, uuid: globalIdUuid(id), options: created.createVotingRound.votingRound.options };
}

/** `VotingRound:<uuid>` in base64url → the uuid. */
export function globalIdUuid(id: string): string {
  return Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
}

// ---- residents ---------------------------------------------------------------------------------

// ---- ballots as the server makes them -------------------------------------------------------------

/** The server's ballot secret when BALLOT_SECRET is unset (src/config/config.ts). */
export const BENCH_BALLOT_SECRET = createHmac('sha256', BENCH_AUTH_SECRET).update('ballots').digest('hex');

function hmac(purpose: string, ...parts: string[]): string {
  return createHmac('sha256', BENCH_BALLOT_SECRET).update([purpose, ...parts].join(':')).digest('hex');
}

/** BallotBox.slot. */
export function slotOf(roundUuid: string, voterId: string): string {
  return hmac('slot', roundUuid, voterId);
}

/** BallotBox.receipt then BallotBox.receiptHash. */
export function receiptHashOf(roundUuid: string, voterId: string, idempotencyKey: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const digest = Buffer.from(hmac('receipt', roundUuid, voterId, idempotencyKey), 'hex');
  const code = Array.from(digest.subarray(0, 20), (b) => alphabet[b % alphabet.length]).join('');
  const receipt = `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10, 15)}-${code.slice(15, 20)}`;
  return createHash('sha256').update(receipt).digest('hex');
}

/** COPY `table (columns)` FROM STDIN (text format) with the lines `rows` yields, in chunks. */
export async function copyRows(client: Client, table: string, columns: string[], rows: Iterable<string>): Promise<void> {
  const { from } = benchRequire('pg-copy-streams') as typeof CopyStreams;
  const target = client.query(from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += row + '\n';
      if (buffer.length > 1 << 20) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), target);
}

/** Voters of a loaded round: the users (residents, with approved residency) and their ids. */
export async function copyResidents(client: Client, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await copyRows(
    client,
    'users',
    ['id', 'email', 'password_hash', 'display_name', 'kind'],
    (function* () {
      for (let i = 0; i < ids.length; i++) yield `${ids[i]}\tbulk.${ids[i]}@example.org\t$argon2id$v=19$m=19456,t=2,p=1$unused$unused\tVoter ${i}\tPERSON`;
    })(),
  );
  await copyRows(
    client,
    'residencies',
    ['user_id', 'district_code', 'status', 'reviewed_at'],
    (function* () {
      const now = new Date().toISOString();
      for (const id of ids) yield `${id}\t${DISTRICT}\tAPPROVED\t${now}`;
    })(),
  );
  return ids;
}

/**
 * Loads `voters.length` ballots into an open round as castBallot writes them: a participation per
 * voter, a ballot per slot (secret round: no voter id) with its receipt hash and choices, and the
 * tally shards (turnout at position -1, ballot events at -2, counted choices spread over the 16 shards) summed to match.
 * `choose(i)` gives voter i's choices as positions. Returns the tallies it wrote.
 */
export async function copyBallots(
  client: Client,
  round: { uuid: string; ranked: boolean },
  voters: readonly string[],
  choose: (i: number) => number[],
): Promise<{ tallies: Map<number, number> }> {
  const SHARDS = 16;
  const TURNOUT = -1;
  const EVENTS = -2;
  const tallies = new Map<number, number[]>();
  const add = (position: number, shard: number) => {
    let row = tallies.get(position);
    if (!row) tallies.set(position, (row = new Array(SHARDS).fill(0)));
    row[shard]++;
  };
  await copyRows(
    client,
    'voting_participations',
    ['round_id', 'voter_id'],
    (function* () {
      for (const id of voters) yield `${round.uuid}\t${id}`;
    })(),
  );
  await copyRows(
    client,
    'ballots',
    ['round_id', 'slot', 'receipt_hash', 'choices'],
    (function* () {
      for (let i = 0; i < voters.length; i++) {
        const choices = choose(i);
        const shard = i % SHARDS;
        add(TURNOUT, shard);
        add(EVENTS, shard);
        for (const p of round.ranked ? choices.slice(0, 1) : choices) add(p, shard);
        yield `${round.uuid}\t${slotOf(round.uuid, voters[i])}\t${receiptHashOf(round.uuid, voters[i], `bench-${i}`)}\t{${choices.join(',')}}`;
      }
    })(),
  );
  await copyRows(
    client,
    'tally_shards',
    ['round_id', 'position', 'shard', 'count'],
    (function* () {
      for (const [position, shards] of tallies) for (let s = 0; s < SHARDS; s++) if (shards[s]) yield `${round.uuid}\t${position}\t${s}\t${shards[s]}`;
    })(),
  );
  return { tallies: new Map([...tallies].map(([p, shards]) => [p, shards.reduce((a, b) => a + b, 0)])) };
}
