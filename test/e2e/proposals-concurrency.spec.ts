import { Client } from 'pg';
import { Account, register } from '../support/factories';
import { TestServer } from '../support/test-server';

const CREATE = `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`;
const ENDORSE = `mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { endorsementCount } } }`;
const POST = `mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id } } }`;

/** Endorsements and comments under simultaneous requests: one per account, limits that hold. */
describe('proposals under concurrency', () => {
  let api: TestServer;
  let db: Client;
  let author: Account;

  beforeAll(async () => {
    // A small comment limit, so the test reaches it quickly.
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '10', COMMENT_RATE_WINDOW: '600' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    author = await register(api, { displayName: 'Author' });
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  async function publishedProposal(): Promise<string> {
    const created = await api.ok(CREATE, { i: { districtCode: '1020', title: 'ลานกีฬาชุมชน', summary: 'ลานกีฬาใต้ทางด่วน', body: 'รายละเอียด', category: 'HEALTH' } }, author.token);
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: created.createProposal.proposal.id }, author.token);
    return created.createProposal.proposal.id;
  }

  function rawId(globalId: string): string {
    return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
  }

  it('counts 50 simultaneous endorsements by one account once', async () => {
    const id = await publishedProposal();
    const endorser = await register(api);
    const results = await Promise.all(Array.from({ length: 50 }, () => api.gql(ENDORSE, { id }, endorser.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const stored = await db.query('SELECT count(*)::int AS n FROM proposal_endorsements WHERE proposal_id = $1', [rawId(id)]);
    expect(stored.rows[0].n).toBe(1);
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { endorsementCount } }`, { id })).proposal.endorsementCount).toBe(1);
  });

  it('counts 50 simultaneous endorsements by 50 accounts as 50, qualifying the proposal exactly once', async () => {
    const id = await publishedProposal();
    const endorsers: Account[] = [];
    for (let i = 0; i < 50; i++) endorsers.push(await register(api));
    const results = await Promise.all(endorsers.map((e) => api.gql(ENDORSE, { id }, e.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const proposal = await api.ok(`query($id: ID!) { proposal(id: $id) { endorsementCount status statusHistory { to } } }`, { id });
    expect(proposal.proposal.endorsementCount).toBe(50);
    expect(proposal.proposal.status).toBe('QUALIFIED');
    expect(proposal.proposal.statusHistory.filter((t: any) => t.to === 'QUALIFIED')).toHaveLength(1);
    const stored = await db.query('SELECT count(*)::int AS n FROM proposal_endorsements WHERE proposal_id = $1', [rawId(id)]);
    expect(stored.rows[0].n).toBe(50);
  });

  it('keeps the endorsement count equal to the endorsements under simultaneous endorse and withdraw', async () => {
    const id = await publishedProposal();
    const endorsers: Account[] = [];
    for (let i = 0; i < 10; i++) endorsers.push(await register(api));
    await Promise.all(endorsers.map((e) => api.ok(ENDORSE, { id }, e.token)));
    await Promise.all(
      endorsers.flatMap((e, i) =>
        i % 2 === 0 ? [api.gql(`mutation($id: ID!) { withdrawEndorsement(input: { proposalId: $id }) { proposal { id } } }`, { id }, e.token), api.gql(ENDORSE, { id }, e.token)] : [api.gql(ENDORSE, { id }, e.token)],
      ),
    );
    const stored = await db.query('SELECT count(*)::int AS n FROM proposal_endorsements WHERE proposal_id = $1', [rawId(id)]);
    const counted = await db.query('SELECT endorsement_count AS n FROM proposals WHERE id = $1', [rawId(id)]);
    expect(counted.rows[0].n).toBe(stored.rows[0].n);
  });

  it('holds the per-account comment limit under 20 simultaneous posts, saying when to retry', async () => {
    const id = await publishedProposal();
    const talker = await register(api);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api.gql(POST, { i: { subjectId: id, body: `ความเห็นที่ ${i + 1}`, stance: 'NEUTRAL' } }, talker.token)));
    const accepted = results.filter((r) => !r.errors);
    const limited = results.filter((r) => r.errors?.[0].extensions?.code === 'RATE_LIMITED');
    expect(accepted).toHaveLength(10);
    expect(limited).toHaveLength(10);
    expect(limited[0].errors![0].extensions!.retryAfter).toEqual(expect.any(Number));
    expect(limited[0].errors![0].extensions!.retryAfter as number).toBeGreaterThan(0);
    expect(limited[0].errors![0].extensions!.retryAfter as number).toBeLessThanOrEqual(600);
    const stored = await db.query('SELECT count(*)::int AS n FROM comments WHERE subject_id = $1', [rawId(id)]);
    expect(stored.rows[0].n).toBe(10);
    // Someone else is not held back by the talker's limit.
    expect((await api.gql(POST, { i: { subjectId: id, body: 'ผมเพิ่งมา', stance: 'FOR' } }, (await register(api)).token)).errors).toBeUndefined();
  });
});
