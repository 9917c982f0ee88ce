import { Client } from 'pg';
import request from 'supertest';
import { Account, createPublishedProposal, hideComment, hideProposal, loginAdmin, makeHost, makeResident, postComment, register } from '../support/factories';
import { hearingInput, registerFor, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';

/** The account's row id, from its global id. */
const rawId = (account: Account) => Buffer.from(account.id, 'base64url').toString().split(':')[1];

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
    const inbox = `{ notifications(first: 5) { edges { node { kind title body detail comment { body status } } } } }`;
    expect((await api.ok(inbox, {}, author.token)).notifications.edges[0].node).toEqual({
      kind: 'COMMENT_REPLY',
      title: 'มีผู้ตอบกลับความคิดเห็นของคุณ',
      body: '“Call me on 081-234-5678, I know who broke them”',
      detail: '“Call me on 081-234-5678, I know who broke them”',
      comment: { body: 'Call me on 081-234-5678, I know who broke them', status: 'VISIBLE' },
    });
    await hideComment(api, admin, reply, 'A private phone number');
    expect((await api.ok(inbox, {}, author.token)).notifications.edges[0].node).toEqual({ kind: 'COMMENT_REPLY', title: 'มีผู้ตอบกลับความคิดเห็นของคุณ', body: null, detail: null, comment: { body: null, status: 'HIDDEN' } });
    // The replier's own notification of the moderation still tells them why.
    expect((await api.ok(inbox, {}, replier.token)).notifications.edges[0].node).toMatchObject({ kind: 'COMMENT_HIDDEN', title: 'ผู้ดูแลการสนทนาได้ซ่อนความคิดเห็นของคุณ', body: 'เหตุผล: A private phone number' });
  });

  describe('are written in the reader\'s language when read', () => {
    let db: Client;
    beforeAll(async () => {
      db = new Client({ connectionString: api.databaseUrl });
      await db.connect();
    });
    afterAll(() => db.end());
    const setLocale = (account: Account, locale: 'th' | 'en') => db.query(`UPDATE users SET locale = $1 WHERE id = $2`, [locale, rawId(account)]);

    it('in Thai with Thai status labels and Buddhist-era Bangkok times, and the same notifications in English once the account reads English', async () => {
      const admin = await loginAdmin(api);
      const host = await makeHost(api, admin, '1040');
      const author = await register(api, { displayName: 'สมศรี' });
      const proposal = await createPublishedProposal(api, author, { districtCode: '1040' });
      await hideProposal(api, admin, proposal, 'มีเบอร์โทรศัพท์ส่วนตัว');
      const hearing = await scheduleHearing(api, host, hearingInput('1040', [{ title: 'งบประมาณ' }], { title: 'แผนพัฒนาชุมชนปทุมวัน', venue: 'สำนักงานเขตปทุมวัน ห้องประชุม 2' }));
      await registerFor(api, author, hearing.id);
      // 09:30 to 12:00 in Bangkok on 15 January 2031 (B.E. 2574).
      await api.ok(`mutation($i: RescheduleHearingInput!) { rescheduleHearing(input: $i) { hearing { id } } }`, { i: { hearingId: hearing.id, startsAt: '2031-01-15T02:30:00.000Z', endsAt: '2031-01-15T05:00:00.000Z' } }, host.token);

      const inbox = `{ notifications(first: 10) { edges { node { id kind title body } } } }`;
      const thai = (await api.ok(inbox, {}, author.token)).notifications.edges.map((e: any) => e.node);
      expect(thai.map((n: any) => [n.kind, n.title, n.body])).toEqual([
        ['HEARING_RESCHEDULED', 'เวทีรับฟังความคิดเห็น “แผนพัฒนาชุมชนปทุมวัน” เปลี่ยนกำหนดการ', 'กำหนดการใหม่: 15 มกราคม 2574 เวลา 09:30 น. ถึง 15 มกราคม 2574 เวลา 12:00 น. ณ สำนักงานเขตปทุมวัน ห้องประชุม 2'],
        ['PROPOSAL_STATUS_CHANGED', 'ข้อเสนอของคุณเปลี่ยนสถานะเป็น “ถูกซ่อน”', 'เปลี่ยนจาก “เผยแพร่แล้ว” เป็น “ถูกซ่อน”: มีเบอร์โทรศัพท์ส่วนตัว'],
      ]);
      // The status change reads through node() the same way.
      expect((await api.ok(`query($id: ID!) { node(id: $id) { ... on Notification { title } } }`, { id: thai[1].id }, author.token)).node.title).toBe('ข้อเสนอของคุณเปลี่ยนสถานะเป็น “ถูกซ่อน”');

      // What is stored is what the text is made from, not text: statuses as values, the time as an instant.
      const stored = await db.query(`SELECT kind, "values" FROM notifications WHERE user_id = $1 ORDER BY created_at`, [rawId(author)]);
      expect(stored.rows).toEqual([
        { kind: 'PROPOSAL_STATUS_CHANGED', values: { from: 'PUBLISHED', to: 'HIDDEN', note: 'มีเบอร์โทรศัพท์ส่วนตัว' } },
        { kind: 'HEARING_RESCHEDULED', values: { hearing: 'แผนพัฒนาชุมชนปทุมวัน', startsAt: '2031-01-15T02:30:00.000Z', endsAt: '2031-01-15T05:00:00.000Z', place: 'สำนักงานเขตปทุมวัน ห้องประชุม 2' } },
      ]);
      const columns = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'notifications' AND data_type IN ('character varying', 'text')`);
      expect(columns.rows).toEqual([{ column_name: 'kind' }]);

      // An English Accept-Language does not override the account's own language...
      const asked = await request(api.http).post('/graphql').set('authorization', `Bearer ${author.token}`).set('accept-language', 'en').send({ query: inbox });
      expect(asked.body.data.notifications.edges[0].node.title).toBe(thai[0].title);
      // ...changing the account's language does, for the notifications already received.
      await setLocale(author, 'en');
      const english = (await api.ok(inbox, {}, author.token)).notifications.edges.map((e: any) => e.node);
      expect(english.map((n: any) => n.id)).toEqual(thai.map((n: any) => n.id));
      expect(english.map((n: any) => [n.kind, n.title, n.body])).toEqual([
        ['HEARING_RESCHEDULED', 'The hearing “แผนพัฒนาชุมชนปทุมวัน” has been rescheduled', 'Now from 15 January 2031 at 09:30 to 15 January 2031 at 12:00, at สำนักงานเขตปทุมวัน ห้องประชุม 2'],
        ['PROPOSAL_STATUS_CHANGED', 'Your proposal is now “Hidden”', 'Changed from “Published” to “Hidden”: มีเบอร์โทรศัพท์ส่วนตัว'],
      ]);
    });

    it('notes the platform wrote on a change of status read in the reader\'s language, in the notification and in the proposal\'s history', async () => {
      const admin = await loginAdmin(api);
      const author = await register(api);
      const proposal = await createPublishedProposal(api, author, { districtCode: '1007' });
      await api.ok(`mutation { setEndorsementThreshold(input: { districtCode: "1007", threshold: 1 }) { district { code } } }`, {}, admin.token);
      await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposal }, (await makeResident(api, admin, '1007')).token);

      const read = async () => {
        const data = await api.ok(`query($id: ID!) { notifications(first: 1) { edges { node { body } } } proposal(id: $id) { statusHistory { to note } } }`, { id: proposal }, author.token);
        return [data.notifications.edges[0].node.body, data.proposal.statusHistory.at(-1)];
      };
      expect(await read()).toEqual([
        'เปลี่ยนจาก “เผยแพร่แล้ว” เป็น “ผ่านเกณฑ์ผู้สนับสนุน”: มีผู้สนับสนุน 1 คน ถึงเกณฑ์ของเขตที่กำหนดไว้ 1 คน',
        { to: 'QUALIFIED', note: 'มีผู้สนับสนุน 1 คน ถึงเกณฑ์ของเขตที่กำหนดไว้ 1 คน' },
      ]);
      await setLocale(author, 'en');
      expect(await read()).toEqual([
        "Changed from “Published” to “Qualified”: 1 endorsed, reaching the district's threshold of 1",
        { to: 'QUALIFIED', note: "1 endorsed, reaching the district's threshold of 1" },
      ]);
      const stored = await db.query(`SELECT note, note_message FROM proposal_transitions WHERE to_status = 'QUALIFIED' AND proposal_id = (SELECT proposal_id FROM notifications WHERE user_id = $1 LIMIT 1)`, [rawId(author)]);
      expect(stored.rows).toEqual([{ note: null, note_message: { key: 'notifications.statusNotes.endorsementsReached', values: { count: 1, threshold: 1 } } }]);
    });

    it('live, to each subscriber in their own language as it is when the event arrives', async () => {
      const admin = await loginAdmin(api);
      const author = await register(api);
      const sponsor = await register(api);
      await setLocale(sponsor, 'en');
      const proposal = await createPublishedProposal(api, author, { districtCode: '1040' });
      await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: proposal, u: sponsor.id }, author.token);
      await api.ok(`mutation($p: ID!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: true }) { proposal { id } } }`, { p: proposal }, sponsor.token);

      const query = `subscription { notifications { kind title body } }`;
      const clients = [api.wsClient(author.token), api.wsClient(sponsor.token)];
      const [authorFeed, sponsorFeed] = await api.listen(() => clients.map((c) => new Subscription<any>(c, query)));
      try {
        await hideProposal(api, admin, proposal, 'ซ้ำกับข้อเสนอเดิม');
        expect((await authorFeed.waitFor(1))[0].data!.notifications).toEqual({ kind: 'PROPOSAL_STATUS_CHANGED', title: 'ข้อเสนอของคุณเปลี่ยนสถานะเป็น “ถูกซ่อน”', body: 'เปลี่ยนจาก “เผยแพร่แล้ว” เป็น “ถูกซ่อน”: ซ้ำกับข้อเสนอเดิม' });
        expect((await sponsorFeed.waitFor(1))[0].data!.notifications).toEqual({ kind: 'PROPOSAL_STATUS_CHANGED', title: 'Your proposal is now “Hidden”', body: 'Changed from “Published” to “Hidden”: ซ้ำกับข้อเสนอเดิม' });

        // The author switches to English while subscribed: the next event arrives in English on the same socket.
        await setLocale(author, 'en');
        await api.ok(`mutation($id: ID!) { restoreProposal(input: { proposalId: $id, reason: "Not a duplicate after all" }) { proposal { id } } }`, { id: proposal }, admin.token);
        expect((await authorFeed.waitFor(2))[1].data!.notifications).toEqual({ kind: 'PROPOSAL_STATUS_CHANGED', title: 'Your proposal is now “Published”', body: 'Changed from “Hidden” to “Published”: Not a duplicate after all' });
      } finally {
        await Promise.all(clients.map((c) => c.dispose()));
      }
    });
  });
});
