import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { Subscription, SubscriptionEvent, TestServer } from '../support/test-server';

const CREATE = `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`;
const LIST = `query($q: String) { proposals(filter: { districtCode: "1030", search: $q }, first: 50) { totalCount edges { node { id status } } } }`;

/** Drafts and hidden proposals never reach those who may not see them: in lists, counts, search, node(id) or live. */
describe('who sees which proposals', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let otherHost: Account;
  let author: Account;
  let invited: Account;
  let stranger: Account;
  let draftId: string;
  let hiddenId: string;
  let publicId: string;

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1030');
    otherHost = await makeHost(api, admin, '1031');
    author = await register(api, { displayName: 'Author' });
    invited = await register(api, { displayName: 'Invited' });
    stranger = await register(api, { displayName: 'Stranger' });
    const make = async (title: string) =>
      (await api.ok(CREATE, { i: { districtCode: '1030', title, summary: 'สรุป', body: 'รายละเอียดโครงการคลองสะอาด', category: 'ENVIRONMENT' } }, author.token)).createProposal.proposal.id as string;
    draftId = await make('ร่าง คลองสะอาด');
    await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: draftId, u: invited.id }, author.token);
    hiddenId = await make('ซ่อน คลองสะอาด');
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: hiddenId }, author.token);
    await api.ok(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Personal data in the text" }) { proposal { id } } }`, { id: hiddenId }, host.token);
    publicId = await make('เผยแพร่ คลองสะอาด');
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: publicId }, author.token);
  });
  afterAll(() => api.stop());

  it.each([
    ['anonymous', () => undefined, ['public']],
    ['a stranger', () => stranger.token, ['public']],
    ['a host of another district', () => otherHost.token, ['public']],
    ['the invited co-sponsor', () => invited.token, ['draft', 'public']],
    ['the author', () => author.token, ['draft', 'hidden', 'public']],
    ['a host of the district', () => host.token, ['hidden', 'public']],
    ['an administrator', () => admin.token, ['hidden', 'public']],
  ])('%s sees exactly what they may, in lists, counts, search and node()', async (_who, token, expected) => {
    const ids: Record<string, string> = { draft: draftId, hidden: hiddenId, public: publicId };
    const want = (expected as string[]).map((name) => ids[name]).sort();
    for (const search of [null, 'คลองสะอาด', 'ร่าง', 'ซ่อน']) {
      const list = await api.ok(LIST, { q: search }, token());
      const got = list.proposals.edges.map((e: any) => e.node.id);
      const expectedHere = search === 'ร่าง' ? want.filter((id) => id === draftId) : search === 'ซ่อน' ? want.filter((id) => id === hiddenId) : want;
      expect(got.sort()).toEqual(expectedHere.sort());
      expect(list.proposals.totalCount).toBe(expectedHere.length);
    }
    for (const [name, id] of Object.entries(ids)) {
      const node = await api.ok(`query($id: ID!) { node(id: $id) { id } proposal(id: $id) { id } }`, { id }, token());
      const visible = (expected as string[]).includes(name);
      expect({ name, node: node.node?.id ?? null, proposal: node.proposal?.id ?? null }).toEqual({ name, node: visible ? id : null, proposal: visible ? id : null });
    }
  });

  it('answers NOT_FOUND, not FORBIDDEN, to mutations on proposals one may not see', async () => {
    for (const id of [draftId, hiddenId]) {
      const res = await api.gql(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, stranger.token);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const comment = await api.gql(`mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id } } }`, { i: { subjectId: id, body: 'hello', stance: 'FOR' } }, stranger.token);
      expect(comment.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('pushes a draft’s changes only to its author and co-sponsors, and a hiding only to those who may see hidden proposals', async () => {
    const query = `subscription { proposalsInDistrictUpdated(districtCode: "1030") { kind proposal { id status } } }`;
    const clients = { public: api.wsClient(), author: api.wsClient(author.token), invited: api.wsClient(invited.token), host: api.wsClient(host.token) };
    const subs = await api.listen(() => Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, new Subscription(client, query)])) as Record<keyof typeof clients, Subscription>);

    await api.ok(`mutation($i: UpdateProposalInput!) { updateProposal(input: $i) { proposal { id } } }`, { i: { proposalId: draftId, summary: 'สรุปใหม่' } }, author.token);
    await api.ok(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Off topic" }) { proposal { id } } }`, { id: publicId }, host.token);
    // Then a proposal everyone may see is published: what reached a subscriber before it is all it gets of the two changes.
    const everyone = (await api.ok(CREATE, { i: { districtCode: '1030', title: 'ทุกคนเห็น', summary: 'สรุป', body: 'รายละเอียด', category: 'OTHER' } }, author.token)).createProposal.proposal.id;
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: everyone }, author.token);
    const about = (e: SubscriptionEvent<any>) => e.data?.proposalsInDistrictUpdated.proposal.id;
    await Promise.all(Object.values(subs).map((sub) => sub.waitForEvent((e) => about(e) === everyone && e.data!.proposalsInDistrictUpdated.proposal.status === 'PUBLISHED')));
    const seen = (name: keyof typeof clients) => {
      const events = subs[name].events;
      return events.slice(0, events.findIndex((e) => about(e) === everyone)).map((e) => `${e.data?.proposalsInDistrictUpdated.kind}:${about(e) === draftId ? 'draft' : 'public'}`);
    };
    expect(seen('author')).toEqual(['REVISED:draft', 'STATUS_CHANGED:public']);
    expect(seen('invited')).toEqual(['REVISED:draft']);
    expect(seen('host')).toEqual(['STATUS_CHANGED:public']);
    expect(seen('public')).toEqual([]);
    await Promise.all(Object.values(clients).map((c) => c.dispose()));
  });

  it('loads a page of proposals with their relations in a bounded number of SQL queries', async () => {
    for (let i = 0; i < 25; i++) {
      const id = (await api.ok(CREATE, { i: { districtCode: '1031', title: `โครงการที่ ${i}`, summary: 's', body: 'b', category: 'OTHER' } }, author.token)).createProposal.proposal.id;
      await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, author.token);
    }
    const page = `query($n: Int) { proposals(filter: { districtCode: "1031" }, first: $n, orderBy: MOST_ENDORSED) { edges { node {
      title author { displayName hostedDistricts { code } } district { nameEn endorsementThreshold } coSponsors { user { displayName } }
      viewerHasEndorsed stanceCounts { for against neutral } statusHistory { to actor { displayName } } revisions { revision } progressUpdates { percent } } } } }`;
    const small = await api.countQueries(() => api.ok(page, { n: 2 }, stranger.token));
    const large = await api.countQueries(() => api.ok(page, { n: 25 }, stranger.token));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(15);
  });
  it('keep a draft withdrawn without ever being published to its author and co-sponsors', async () => {
    const dropped = (await api.ok(CREATE, { i: { districtCode: '1030', title: 'ความคิดที่ถอนไป คลองสะอาด', summary: 'สรุป', body: 'ไม่เคยเผยแพร่', category: 'OTHER' } }, author.token)).createProposal.proposal
      .id as string;
    await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: dropped, u: invited.id }, author.token);
    const withdrawn = await api.ok(`mutation($id: ID!) { withdrawProposal(input: { proposalId: $id, note: "Not ready" }) { proposal { status } } }`, { id: dropped }, author.token);
    expect(withdrawn.withdrawProposal.proposal.status).toBe('WITHDRAWN');
    const sees = async (token?: string) => {
      const byId = await api.ok(`query($id: ID!) { proposal(id: $id) { id } node(id: $id) { id } }`, { id: dropped }, token);
      const found = (await api.ok(LIST, { q: 'ถอนไป' }, token)).proposals.edges.map((e: any) => e.node.id);
      return { byId: !!byId.proposal && !!byId.node, bySearch: found.includes(dropped) };
    };
    for (const [who, token] of [['anonymous', undefined], ['a stranger', stranger.token], ['a host of the district', host.token], ['an administrator', admin.token]] as const) {
      expect({ who, ...(await sees(token)) }).toEqual({ who, byId: false, bySearch: false });
    }
    for (const [who, token] of [['the author', author.token], ['the invited co-sponsor', invited.token]] as const) {
      expect({ who, ...(await sees(token)) }).toEqual({ who, byId: true, bySearch: true });
    }
  });
});
