import { Client as WsClient } from 'graphql-ws';
import { Account, loginAdmin, makeHost, makeResident, register } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

const CREATE = `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id status revision } } }`;
const UPDATE = `mutation($i: UpdateProposalInput!) { updateProposal(input: $i) { proposal { id title revision status } } }`;
const POST = `mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id depth parentId stance body } } }`;
const PROPOSAL_UPDATED = `subscription($d: String!) { proposalsInDistrictUpdated(districtCode: $d) { kind proposal { id status endorsementCount revision title } } }`;
const NOTIFICATIONS = `subscription { notifications { kind title body proposal { id } comment { id status } } }`;
const COMMENT_ADDED = `subscription($s: ID!) { commentAdded(subjectId: $s) { id depth stance body author { displayName } } }`;
const COMMENT_UPDATED = `subscription($s: ID!) { commentUpdated(subjectId: $s) { id status body edited reactionCount } }`;

/**
 * The story of a community plan in Pathum Wan, told through the API: a resident drafts it, an
 * organisation co-sponsors it, it is published, ten residents endorse it and it qualifies, a debate
 * of nested replies with stances follows, a host hides an abusive comment and its author is told,
 * and a subscriber watches each step live over graphql-ws.
 */
describe('the story of a community plan', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let author: Account;
  let cosponsor: Account;
  let residents: Account[];
  const sockets: WsClient[] = [];
  let proposalId: string;

  const ws = (token?: string) => {
    const client = api.wsClient(token);
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    author = await makeResident(api, admin, '1007');
    cosponsor = await register(api, { kind: 'ORGANIZATION', displayName: 'Chula Community Network' });
    residents = [];
    for (let i = 0; i < 12; i++) residents.push(await makeResident(api, admin, '1007'));
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await api.stop();
  });

  it('goes from draft to qualified, with everyone watching live only what they may see', async () => {
    const [watcher, cosponsorInbox, authorInbox] = await api.listen(() => [
      new Subscription(ws(), PROPOSAL_UPDATED, { d: '1007' }),
      new Subscription(ws(cosponsor.token), NOTIFICATIONS),
      new Subscription(ws(author.token), NOTIFICATIONS),
    ]);

    // A draft, seen by its author only.
    const created = await api.ok(
      CREATE,
      {
        i: {
          districtCode: '1007',
          title: 'ทางเดินริมคลองแสนแสบ ปลอดภัยยามค่ำคืน',
          summary: 'ติดไฟส่องสว่างและราวกันตกตลอดทางเดินริมคลอง',
          body: '## ปัญหา\nทางเดินมืดและน้ำท่วมขังหลังฝนตก\n\n## ข้อเสนอ\n- ไฟ LED 40 ดวง\n- ราวกันตก 600 เมตร',
          category: 'SAFETY',
          estimatedBudget: 2_400_000,
          location: { latitude: 13.7465, longitude: 100.5348, address: 'Khlong Saen Saep, Pathum Wan' },
        },
      },
      author.token,
    );
    proposalId = created.createProposal.proposal.id;
    expect(created.createProposal.proposal).toMatchObject({ status: 'DRAFT', revision: 0 });
    const stranger = residents[11];
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { id } }`, { id: proposalId }, stranger.token)).proposal).toBeNull();

    // A co-sponsor joins and shapes the draft (no revisions before publishing).
    await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: proposalId, u: cosponsor.id }, author.token);
    const [invitation] = await cosponsorInbox.waitFor(1);
    expect(invitation.data!.notifications).toMatchObject({ kind: 'COSPONSOR_INVITATION', proposal: { id: proposalId } });
    await api.ok(`mutation($p: ID!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: true }) { proposal { id } } }`, { p: proposalId }, cosponsor.token);
    const shaped = await api.ok(UPDATE, { i: { proposalId, summary: 'ไฟส่องสว่าง ราวกันตก และป้ายเตือนตลอดทางเดินริมคลอง' } }, cosponsor.token);
    expect(shaped.updateProposal.proposal.revision).toBe(0);
    expect(watcher.events).toHaveLength(0); // nothing about a draft reaches the public

    // Published: now everyone sees it, live.
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposalId }, cosponsor.token);
    const [published] = await watcher.waitFor(1);
    expect(published.data!.proposalsInDistrictUpdated).toMatchObject({ kind: 'STATUS_CHANGED', proposal: { id: proposalId, status: 'PUBLISHED' } });
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { status coSponsors { status user { displayName } } } }`, { id: proposalId }, stranger.token)).proposal).toEqual({
      status: 'PUBLISHED',
      coSponsors: [{ status: 'ACCEPTED', user: { displayName: 'Chula Community Network' } }],
    });

    // An edit after publishing keeps the old text as a revision.
    const oldTitle = 'ทางเดินริมคลองแสนแสบ ปลอดภัยยามค่ำคืน';
    await api.ok(UPDATE, { i: { proposalId, title: 'ทางเดินริมคลองแสนแสบ ปลอดภัยทั้งกลางวันและกลางคืน', note: 'รวมช่วงกลางวันด้วย' } }, author.token);
    const revised = (await watcher.waitFor(2))[1];
    expect(revised.data!.proposalsInDistrictUpdated).toMatchObject({ kind: 'REVISED', proposal: { revision: 1 } });
    const history = await api.ok(`query($id: ID!) { proposal(id: $id) { revisions { revision previousTitle note editor { id } editedAt } } }`, { id: proposalId });
    expect(history.proposal.revisions).toEqual([{ revision: 1, previousTitle: oldTitle, note: 'รวมช่วงกลางวันด้วย', editor: { id: author.id }, editedAt: expect.any(String) }]);

    // Ten residents endorse; the tenth qualifies it.
    for (const resident of residents.slice(0, 10)) {
      await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { endorsementCount } } }`, { id: proposalId }, resident.token);
    }
    const events = await watcher.waitFor(2 + 10 + 1);
    const endorsementCounts = events.filter((e) => e.data!.proposalsInDistrictUpdated.kind === 'ENDORSEMENTS_CHANGED').map((e) => e.data!.proposalsInDistrictUpdated.proposal.endorsementCount);
    expect(endorsementCounts.at(-1)).toBe(10);
    const qualified = events.find((e) => e.data!.proposalsInDistrictUpdated.proposal.status === 'QUALIFIED' && e.data!.proposalsInDistrictUpdated.kind === 'STATUS_CHANGED');
    expect(qualified).toBeDefined();
    const lifecycle = await api.ok(`query($id: ID!) { proposal(id: $id) { status endorsementCount statusHistory { from to actor { id } note } } }`, { id: proposalId });
    expect(lifecycle.proposal.status).toBe('QUALIFIED');
    expect(lifecycle.proposal.statusHistory.map((t: any) => `${t.from}->${t.to}`)).toEqual(['null->DRAFT', 'DRAFT->PUBLISHED', 'PUBLISHED->QUALIFIED']);
    expect(lifecycle.proposal.statusHistory[2]).toMatchObject({ actor: null, note: 'มีผู้สนับสนุน 10 คน ถึงเกณฑ์ของเขตที่กำหนดไว้ 10 คน' });
    const authorNews = await authorInbox.waitFor(1);
    expect(authorNews.map((e) => e.data!.notifications.kind)).toContain('PROPOSAL_STATUS_CHANGED');
  });

  it('holds a debate of nested replies with stances, live, capped at six levels', async () => {
    const [thread, authorInbox] = await api.listen(() => [new Subscription(ws(), COMMENT_ADDED, { s: proposalId }), new Subscription(ws(author.token), NOTIFICATIONS)]);

    const [a, b, c] = residents;
    const top = (await api.ok(POST, { i: { subjectId: proposalId, body: 'เห็นด้วย ทางเดินนี้มืดมาก', stance: 'FOR' } }, a.token)).postComment.comment;
    let parent = (await api.ok(POST, { i: { subjectId: proposalId, parentId: top.id, body: 'งบสูงเกินไป', stance: 'AGAINST' } }, b.token)).postComment.comment;
    expect(parent.depth).toBe(1);
    const depths = [1];
    for (let i = 0; i < 6; i++) {
      const replier = [author, c, a][i % 3];
      parent = (await api.ok(POST, { i: { subjectId: proposalId, parentId: parent.id, body: `ตอบกลับชั้นที่ ${i + 2}`, stance: 'NEUTRAL' } }, replier.token)).postComment.comment;
      depths.push(parent.depth);
    }
    // Six levels (depths 0 to 5): replies below the deepest level join it.
    expect(depths).toEqual([1, 2, 3, 4, 5, 5, 5]);

    const live = await thread.waitFor(8);
    expect(live.map((e) => e.data!.commentAdded.depth)).toEqual([0, 1, 2, 3, 4, 5, 5, 5]);
    expect(live[0].data!.commentAdded).toMatchObject({ stance: 'FOR', body: 'เห็นด้วย ทางเดินนี้มืดมาก' });
    const replies = await authorInbox.waitFor(1);
    expect(replies[0].data!.notifications.kind).toBe('COMMENT_REPLY');

    const counts = await api.ok(`query($s: ID!) { stanceCounts(subjectId: $s) { for against neutral } proposal(id: $s) { commentCount } }`, { s: proposalId });
    expect(counts.stanceCounts).toEqual({ for: 1, against: 1, neutral: 6 });
    expect(counts.proposal.commentCount).toBe(8);

    const tree = await api.ok(
      `query($s: ID!) { comments(subjectId: $s, orderBy: OLDEST) { totalCount edges { node { depth replies { depth replies { depth replies { depth replies { depth replies { depth replies { depth } } } } } } } } } }`,
      { s: proposalId },
    );
    expect(tree.comments.totalCount).toBe(1);
    let level = tree.comments.edges[0].node;
    for (let depth = 0; depth < 4; depth++) {
      expect(level.depth).toBe(depth);
      level = level.replies[0];
    }
    expect(level.depth).toBe(4);
    expect(level.replies.map((r: any) => r.depth)).toEqual([5, 5, 5]);
  });

  it('lets a host hide an abusive comment: subscribers see it only as hidden, its author is told why', async () => {
    const [, , , troll, flagger] = residents;
    const [updates, trollInbox] = await api.listen(() => [new Subscription(ws(), COMMENT_UPDATED, { s: proposalId }), new Subscription(ws(troll.token), NOTIFICATIONS)]);
    const before = await api.ok(`query($s: ID!) { stanceCounts(subjectId: $s) { for against neutral } }`, { s: proposalId });

    const abusive = (await api.ok(POST, { i: { subjectId: proposalId, body: 'พวกเสนอโครงการนี้มันโง่ทั้งนั้น', stance: 'AGAINST' } }, troll.token)).postComment.comment;
    await api.ok(`mutation($c: ID!) { flagComment(input: { commentId: $c, reason: "Insults other residents" }) { comment { id } } }`, { c: abusive.id }, flagger.token);
    const hidden = await api.ok(`mutation($c: ID!) { hideComment(input: { commentId: $c, reason: "Insults other residents (rule 2)" }) { comment { status moderationReason body } } }`, { c: abusive.id }, host.token);
    expect(hidden.hideComment.comment).toEqual({ status: 'HIDDEN', moderationReason: 'Insults other residents (rule 2)', body: 'พวกเสนอโครงการนี้มันโง่ทั้งนั้น' });

    const [event] = await updates.waitFor(1);
    expect(event.data!.commentUpdated).toMatchObject({ id: abusive.id, status: 'HIDDEN', body: null });
    const [told] = await trollInbox.waitFor(1);
    expect(told.data!.notifications).toMatchObject({ kind: 'COMMENT_HIDDEN', title: 'ผู้ดูแลการสนทนาได้ซ่อนความคิดเห็นของคุณ', body: 'เหตุผล: Insults other residents (rule 2)', comment: { id: abusive.id, status: 'HIDDEN' } });

    const read = `query($id: ID!) { node(id: $id) { ... on Comment { status body moderationReason } } }`;
    expect((await api.ok(read, { id: abusive.id }, flagger.token)).node).toEqual({ status: 'HIDDEN', body: null, moderationReason: null });
    expect((await api.ok(read, { id: abusive.id })).node).toEqual({ status: 'HIDDEN', body: null, moderationReason: null });
    expect((await api.ok(read, { id: abusive.id }, troll.token)).node.body).toBe('พวกเสนอโครงการนี้มันโง่ทั้งนั้น');
    // Counts are honest: the hidden comment counts nowhere.
    expect((await api.ok(`query($s: ID!) { stanceCounts(subjectId: $s) { for against neutral } }`, { s: proposalId })).stanceCounts).toEqual(before.stanceCounts);
  });

  it('keeps edit history, tombstones deleted comments in place, and counts one reaction per account', async () => {
    const [a, b] = residents;
    const post = (await api.ok(POST, { i: { subjectId: proposalId, body: 'ควรเพิ่มกล้องวงจรปิด', stance: 'FOR' } }, a.token)).postComment.comment;
    const reply = (await api.ok(POST, { i: { subjectId: proposalId, parentId: post.id, body: 'เห็นด้วยเรื่องกล้อง', stance: 'FOR' } }, b.token)).postComment.comment;

    await api.ok(`mutation($i: EditCommentInput!) { editComment(input: $i) { comment { id } } }`, { i: { commentId: post.id, body: 'ควรเพิ่มกล้องวงจรปิด 10 จุด', stance: 'NEUTRAL' } }, a.token);
    const edited = await api.ok(`query($id: ID!) { node(id: $id) { ... on Comment { body stance edited edits { previousBody previousStance } } } }`, { id: post.id });
    expect(edited.node).toEqual({ body: 'ควรเพิ่มกล้องวงจรปิด 10 จุด', stance: 'NEUTRAL', edited: true, edits: [{ previousBody: 'ควรเพิ่มกล้องวงจรปิด', previousStance: 'FOR' }] });
    expect((await api.gql(`mutation($i: EditCommentInput!) { editComment(input: $i) { comment { id } } }`, { i: { commentId: post.id, body: 'hijack' } }, b.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const react = (who: Account, reaction: string | null) => api.ok(`mutation($c: ID!, $r: ReactionKind) { reactToComment(input: { commentId: $c, reaction: $r }) { comment { reactionCount viewerReaction } } }`, { c: reply.id, r: reaction }, who.token);
    expect((await react(a, 'LIKE')).reactToComment.comment).toEqual({ reactionCount: 1, viewerReaction: 'LIKE' });
    expect((await react(a, 'LIKE')).reactToComment.comment).toEqual({ reactionCount: 1, viewerReaction: 'LIKE' });
    expect((await react(a, 'THANKS')).reactToComment.comment).toEqual({ reactionCount: 1, viewerReaction: 'THANKS' });
    expect((await react(residents[2], 'LIKE')).reactToComment.comment.reactionCount).toBe(2);
    expect((await react(a, null)).reactToComment.comment).toEqual({ reactionCount: 1, viewerReaction: null });

    await api.ok(`mutation($c: ID!) { deleteComment(input: { commentId: $c }) { comment { status } } }`, { c: post.id }, a.token);
    const thread = await api.ok(`query($id: ID!) { node(id: $id) { ... on Comment { status body author { id } edits { previousBody } replies { body } } } }`, { id: post.id });
    expect(thread.node).toEqual({ status: 'DELETED', body: null, author: null, edits: [], replies: [{ body: 'เห็นด้วยเรื่องกล้อง' }] });
  });

  it('finds the plan by a Thai word inside a sentence, or an English one, but never a draft or hidden one for the public', async () => {
    const search = (text: string, token?: string) =>
      api.ok(`query($q: String) { proposals(filter: { search: $q, districtCode: "1007" }) { totalCount edges { node { id } } } }`, { q: text }, token);
    // "น้ำท่วม" (flooding) appears only inside the sentence "ทางเดินมืดและน้ำท่วมขังหลังฝนตก".
    expect((await search('น้ำท่วม')).proposals.edges.map((e: any) => e.node.id)).toEqual([proposalId]);
    expect((await search('ไฟ LED')).proposals.totalCount).toBe(1);
    expect((await search('led')).proposals.totalCount).toBe(1);
    expect((await search('รถไฟฟ้า')).proposals.totalCount).toBe(0);

    const draft = (await api.ok(CREATE, { i: { districtCode: '1007', title: 'สวนสาธารณะน้ำท่วมไม่ถึง', summary: 'ร่าง', body: 'ร่างแรก', category: 'ENVIRONMENT' } }, residents[5].token)).createProposal.proposal;
    expect((await search('น้ำท่วม')).proposals.totalCount).toBe(1);
    expect((await search('น้ำท่วม', residents[5].token)).proposals.totalCount).toBe(2);
    expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: draft.id })).node).toBeNull();

    await api.ok(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Duplicate of another plan" }) { proposal { status } } }`, { id: proposalId }, host.token);
    expect((await search('น้ำท่วม')).proposals.totalCount).toBe(0);
    expect((await search('น้ำท่วม', host.token)).proposals.totalCount).toBe(1);
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { status hiddenReason } }`, { id: proposalId }, author.token)).proposal).toEqual({ status: 'HIDDEN', hiddenReason: 'Duplicate of another plan' });
    const restored = await api.ok(`mutation($id: ID!) { restoreProposal(input: { proposalId: $id, reason: "Not a duplicate after all" }) { proposal { status } } }`, { id: proposalId }, host.token);
    expect(restored.restoreProposal.proposal.status).toBe('QUALIFIED');
  });

  it('lets only the author withdraw, before a vote, and refuses illegal transitions with a clear code', async () => {
    expect((await api.gql(`mutation($id: ID!) { withdrawProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposalId }, cosponsor.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposalId }, author.token)).errors?.[0]).toMatchObject({
      // The author's account reads Thai: "Cannot publish a proposal that is QUALIFIED."
      message: 'ข้อเสนอที่มีสถานะ QUALIFIED ไม่สามารถเผยแพร่ได้',
      extensions: { code: 'ILLEGAL_STATE' },
    });
    const withdrawn = await api.ok(`mutation($id: ID!) { withdrawProposal(input: { proposalId: $id, note: "Merged into the district plan" }) { proposal { status } } }`, { id: proposalId }, author.token);
    expect(withdrawn.withdrawProposal.proposal.status).toBe('WITHDRAWN');
    expect((await api.gql(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: proposalId }, residents[11].token)).errors?.[0].extensions?.code).toBe('ILLEGAL_STATE');
    const closed = await api.gql(POST, { i: { subjectId: proposalId, body: 'ยังคุยต่อได้ไหม', stance: 'NEUTRAL' } }, residents[11].token);
    expect(closed.errors?.[0].extensions?.code).toBe('ILLEGAL_STATE');
  });
});
