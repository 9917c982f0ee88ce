import { Account, createPublishedProposal, hideComment, loginAdmin, makeHost, postComment, register } from '../support/factories';
import { TestServer } from '../support/test-server';

const RECENT = `query($id: ID!, $n: Int) { proposal(id: $id) { recentComments(first: $n) { id body status moderationReason author { displayName } } } }`;
const FIRST_PAGE = `query($id: ID!, $n: Int) { comments(subjectId: $id, first: $n, orderBy: NEWEST) { edges { node { id body status } } } }`;

/** A proposal's newest comments, for list pages: the first page of its discussion, batched for a whole page of proposals. */
describe('Proposal.recentComments', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let author: Account;
  let commenter: Account;
  let stranger: Account;
  let proposalId: string;
  const posted: string[] = [];
  let hiddenId: string;
  let deletedId: string;

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    author = await register(api, { displayName: 'Author' });
    commenter = await register(api, { displayName: 'Commenter' });
    stranger = await register(api, { displayName: 'Stranger' });
    proposalId = await createPublishedProposal(api, author, { districtCode: '1007' });
    for (let i = 1; i <= 5; i++) posted.push(await postComment(api, commenter, proposalId, { body: `Comment ${i}`, stance: i % 2 ? 'FOR' : 'AGAINST' }));
    // A reply is not a top-level comment: it never shows among the newest.
    await postComment(api, author, proposalId, { body: 'A reply', parentId: posted[0] });
    hiddenId = posted[4];
    await hideComment(api, host, hiddenId, 'Personal attack');
    deletedId = posted[3];
    await api.ok(`mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { id } } }`, { id: deletedId }, commenter.token);
  });
  afterAll(() => api.stop());

  it('lists the newest top-level comments first, three by default, exactly as the first page of comments(NEWEST)', async () => {
    const three = (await api.ok(RECENT, { id: proposalId })).proposal.recentComments;
    expect(three.map((c: any) => c.id)).toEqual([posted[4], posted[3], posted[2]]);
    const page = (await api.ok(FIRST_PAGE, { id: proposalId, n: 3 })).comments.edges.map((e: any) => e.node);
    expect(three.map((c: any) => ({ id: c.id, body: c.body, status: c.status }))).toEqual(page);
    const all = (await api.ok(RECENT, { id: proposalId, n: 10 })).proposal.recentComments;
    expect(all.map((c: any) => c.id)).toEqual([...posted].reverse());
  });

  it.each([
    ['anonymous', () => undefined, false],
    ['another member', () => stranger.token, false],
    ['the proposal author (not the comment author)', () => author.token, false],
    ['the comment author', () => commenter.token, true],
    ['a host of the district', () => host.token, true],
    ['an administrator', () => admin.token, true],
  ])('shows %s a hidden comment with its text only if they may read it, and deleted ones as tombstones', async (_who, token, mayRead) => {
    const recent = (await api.ok(RECENT, { id: proposalId }, token())).proposal.recentComments;
    const hidden = recent.find((c: any) => c.id === hiddenId);
    expect(hidden.status).toBe('HIDDEN');
    expect(hidden.body).toBe(mayRead ? 'Comment 5' : null);
    expect(hidden.moderationReason).toBe(mayRead ? 'Personal attack' : null);
    const deleted = recent.find((c: any) => c.id === deletedId);
    expect(deleted).toMatchObject({ status: 'DELETED', body: null, author: null });
    expect(recent.find((c: any) => c.id === posted[2])).toMatchObject({ status: 'VISIBLE', body: 'Comment 3', author: { displayName: 'Commenter' } });
  });

  it.each([
    ['anonymous', () => undefined],
    ['the comment author', () => commenter.token],
    ['a host of the district', () => host.token],
  ])('shows %s the same stances and newest comments in a page of proposals as on the proposal itself', async (_who, token) => {
    const fields = `stanceCounts { for against neutral } recentComments { id body status moderationReason author { displayName } }
      few: recentComments(first: 2) { id body } many: recentComments(first: 10) { id status }`;
    const one = (await api.ok(`query($id: ID!) { proposal(id: $id) { ${fields} } }`, { id: proposalId }, token())).proposal;
    const page = await api.ok(`query { proposals(filter: { districtCode: "1007" }, first: 100) { nodes { id ${fields} } edges { node { id ...Discussion } } } }
      fragment Discussion on Proposal { stanceCounts { for } recentComments { id body } }`, {}, token());
    const { id: _id, ...inList } = page.proposals.nodes.find((p: any) => p.id === proposalId);
    expect(inList).toEqual(one);
    expect(one.stanceCounts).toEqual({ for: 3, against: 1, neutral: 0 });
    const edge = page.proposals.edges.find((e: any) => e.node.id === proposalId).node;
    expect(edge).toEqual({ id: proposalId, stanceCounts: { for: 3 }, recentComments: one.recentComments.map((c: any) => ({ id: c.id, body: c.body })) });
  });

  it('reads an anonymous page of proposals with their authors, counts, stances and newest comments in one statement', async () => {
    const page = `{ proposals(filter: { districtCode: "1007" }, first: 20) { edges { node {
      id title author { displayName } commentCount stanceCounts { for against neutral } recentComments { body author { displayName } } } } } }`;
    expect(await api.countQueries(() => api.ok(page))).toBe(1);
  });

  it.each([0, -1, 11])('refuses first: %d with BAD_USER_INPUT', async (n) => {
    const res = await api.gql(RECENT, { id: proposalId, n }, undefined, { 'accept-language': 'en' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.fields).toEqual([{ field: 'first', message: 'must be a whole number from 1 to 10' }]);
  });

  it('loads a page of proposals with their newest comments in a bounded number of SQL queries, whatever its size', async () => {
    const others: string[] = [];
    for (let i = 0; i < 24; i++) others.push(await createPublishedProposal(api, author, { districtCode: '1007', title: `Plan ${i}` }));
    for (const id of others.slice(-6)) await postComment(api, stranger, id, { body: 'Yes please' });
    const page = `query($n: Int) { proposals(filter: { districtCode: "1007" }, first: $n) { edges { node {
      title author { displayName } endorsementCount commentCount stanceCounts { for against neutral }
      recentComments { body stance createdAt author { displayName } } } } } }`;
    const small = await api.countQueries(() => api.ok(page, { n: 2 }, stranger.token));
    const large = await api.countQueries(() => api.ok(page, { n: 20 }, stranger.token));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
    const data = await api.ok(page, { n: 25 });
    expect(data.proposals.edges).toHaveLength(25);
    const withComments = data.proposals.edges.filter((e: any) => e.node.recentComments.length > 0);
    expect(withComments).toHaveLength(7);
  });
});
