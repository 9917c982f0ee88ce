import { createPublishedProposal, hideComment, loginAdmin, postComment, register } from '../support/factories';
import { TestServer } from '../support/test-server';

describe('notifications', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it('are stored, listed newest first, counted while unread, and marked read one by one or all at once', async () => {
    const author = await register(api, { displayName: 'Author' });
    const others = [await register(api), await register(api), await register(api)];
    const created = await api.ok(
      `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`,
      { i: { districtCode: '1040', title: 'ตลาดนัดชุมชน', summary: 's', body: 'b', category: 'ECONOMY' } },
      author.token,
    );
    const id = created.createProposal.proposal.id;
    for (const other of others) {
      await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: id, u: other.id }, author.token);
    }
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, author.token);
    const top = await api.ok(`mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id } } }`, { i: { subjectId: id, body: 'เปิดวันเสาร์ดีไหม', stance: 'NEUTRAL' } }, author.token);
    for (const other of others) {
      await api.ok(`mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id } } }`, { i: { subjectId: id, parentId: top.postComment.comment.id, body: 'ดีครับ', stance: 'FOR' } }, other.token);
    }

    const inbox = `query($unread: Boolean) { unreadNotificationCount notifications(first: 10, unreadOnly: $unread) { totalCount edges { node { id kind read actor { id } } } } }`;
    const mine = await api.ok(inbox, { unread: false }, author.token);
    expect(mine.unreadNotificationCount).toBe(3);
    expect(mine.notifications.edges.map((e: any) => e.node.kind)).toEqual(['COMMENT_REPLY', 'COMMENT_REPLY', 'COMMENT_REPLY']);
    expect(mine.notifications.edges.map((e: any) => e.node.actor.id)).toEqual([others[2].id, others[1].id, others[0].id]);
    // Nobody is told of their own actions: the author's publishing notified no one but co-sponsors who accepted (none).
    const invitedInbox = await api.ok(inbox, { unread: true }, others[0].token);
    expect(invitedInbox.notifications.edges.map((e: any) => e.node.kind)).toEqual(['COSPONSOR_INVITATION']);

    const first = mine.notifications.edges[0].node.id;
    expect((await api.ok(`mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed unreadCount } }`, { ids: [first] }, author.token)).markNotificationsRead).toEqual({ changed: 1, unreadCount: 2 });
    expect((await api.ok(inbox, { unread: true }, author.token)).notifications.totalCount).toBe(2);
    // Another account's notification cannot be marked read by me.
    expect((await api.ok(`mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`, { ids: [invitedInbox.notifications.edges[0].node.id] }, author.token)).markNotificationsRead.changed).toBe(0);
    expect((await api.ok(`mutation { markNotificationsRead(input: {}) { changed unreadCount } }`, {}, author.token)).markNotificationsRead).toEqual({ changed: 2, unreadCount: 0 });
    expect((await api.ok(inbox, { unread: true }, author.token)).unreadNotificationCount).toBe(0);
    // They are private: node() on someone else's notification is null.
    expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: first }, others[0].token)).node).toBeNull();
    expect((await api.gql(`{ notifications { totalCount } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
  it('quote a reply as it reads now: nothing once a moderator has hid it', async () => {
    const admin = await loginAdmin(api);
    const author = await register(api, { displayName: 'Author' });
    const replier = await register(api, { displayName: 'Replier' });
    const proposal = await createPublishedProposal(api, author, { districtCode: '1040' });
    const comment = await postComment(api, author, proposal, { body: 'ขอไฟทางเดินเพิ่ม' });
    const reply = await postComment(api, replier, proposal, { body: 'Call me on 081-234-5678, I know who broke them', parentId: comment });
    const inbox = `{ notifications(first: 5) { edges { node { kind detail comment { body status } } } } }`;
    expect((await api.ok(inbox, {}, author.token)).notifications.edges[0].node).toEqual({
      kind: 'COMMENT_REPLY',
      detail: 'Call me on 081-234-5678, I know who broke them',
      comment: { body: 'Call me on 081-234-5678, I know who broke them', status: 'VISIBLE' },
    });
    await hideComment(api, admin, reply, 'A private phone number');
    expect((await api.ok(inbox, {}, author.token)).notifications.edges[0].node).toEqual({ kind: 'COMMENT_REPLY', detail: null, comment: { body: null, status: 'HIDDEN' } });
    // The replier's own notification of the moderation still tells them why.
    expect((await api.ok(inbox, {}, replier.token)).notifications.edges[0].node).toMatchObject({ kind: 'COMMENT_HIDDEN', detail: 'A private phone number' });
  });
});
