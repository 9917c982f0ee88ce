import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/database';
import { describeWith } from '../support/services';
import { TEST_AUTH_SECRET } from '../support/test-server';
import { bulkResidents } from '../support/voting';

const ROOT = join(__dirname, '..', '..');

/** The compiled server on a real PostgreSQL, as production runs it, so it can be killed outright. */
function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['TEST_DATABASE_URL', 'REDIS_URL', 'DATA_DIR', 'PORT', 'LOG_LEVEL', 'NODE_ENV', 'REQUIRE_SERVICES']) delete env[name];
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...env, NODE_ENV: 'test', PORT: '0', DATABASE_URL: databaseUrl, AUTH_SECRET: TEST_AUTH_SECRET, LOG_LEVEL: 'info', RATE_LIMIT_PER_IP: '10000000', RATE_LIMIT_PER_ACCOUNT: '10000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').slice(0, -1).find((l) => l.includes('"msg":"listening"'));
      if (line) {
        resolve({ child, url: `http://127.0.0.1:${JSON.parse(line).port}` });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

describeWith({ postgres: true }, 'faults', () => {
  let database: TestDatabase;
  let db: Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await db?.end();
    await database?.drop();
  });

  it('loses no acknowledged ballot and leaves no half-written one when the server is killed (-9) mid-burst', async () => {
    const first = await startServer(database.url);
    children.push(first.child);
    db = new Client({ connectionString: database.url });
    await db.connect();
    const voters = await bulkResidents({ databaseUrl: database.url }, '1007', 400);
    const host = voters[0];
    await db.query(`INSERT INTO host_appointments (user_id, district_code) VALUES ($1, '1007')`, [Buffer.from(host.id, 'base64url').toString().split(':')[1]]);

    const created = await gql(
      first.url,
      `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id options { id } } } }`,
      { i: { districtCode: '1007', title: 'Burst', method: 'SINGLE_CHOICE', options: [{ label: 'Yes' }, { label: 'No' }], opensAt: new Date(Date.now() - 1000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString() } },
      host.token,
    );
    const round = created.data.createVotingRound.votingRound;
    await gql(first.url, `mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: round.id } }, host.token);
    await gql(first.url, `mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: round.id } }, host.token);

    const acknowledged: string[] = [];
    let killed = false;
    const burst = voters.slice(1).map(async (voter, i) => {
      try {
        const res = await gql(first.url, `mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { receipt } } }`, { i: { roundId: round.id, choices: [round.options[i % 2].id], idempotencyKey: randomUUID() } }, voter.token);
        if (res.data?.castBallot?.receipt?.receipt) {
          acknowledged.push(res.data.castBallot.receipt.receipt);
          if (acknowledged.length === 60 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      } catch {
        // The connection died with the server: not acknowledged.
      }
    });
    await Promise.all(burst);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const second = await startServer(database.url);
    children.push(second.child);
    for (const receipt of acknowledged) {
      const check = await gql(second.url, `query($r: ID!, $c: String!) { verifyReceipt(roundId: $r, receipt: $c) { counted } }`, { r: round.id, c: receipt });
      expect(check.data.verifyReceipt.counted).toBe(true);
    }
    const raw = Buffer.from(round.id, 'base64url').toString().split(':')[1];
    const counts = await db.query(
      `SELECT (SELECT count(*)::int FROM ballots WHERE round_id = $1) AS ballots,
              (SELECT count(*)::int FROM voting_participations WHERE round_id = $1) AS voters,
              (SELECT coalesce(sum(count), 0)::int FROM tally_shards WHERE round_id = $1 AND position = -1) AS turnout`,
      [raw],
    );
    const { ballots, voters: participated, turnout } = counts.rows[0];
    expect(ballots).toBe(participated);
    expect(turnout).toBe(ballots);
    expect(ballots).toBeGreaterThanOrEqual(acknowledged.length);
    const byOption = await db.query(
      `SELECT b.position, b.n, coalesce(t.n, 0)::int AS tallied FROM (SELECT choices[1] AS position, count(*)::int AS n FROM ballots WHERE round_id = $1 GROUP BY 1) b
       LEFT JOIN (SELECT position, sum(count)::int AS n FROM tally_shards WHERE round_id = $1 AND position >= 0 GROUP BY 1) t ON t.position = b.position`,
      [raw],
    );
    for (const row of byOption.rows) expect(row.tallied).toBe(row.n);
    second.child.kill('SIGTERM');
  });
});
