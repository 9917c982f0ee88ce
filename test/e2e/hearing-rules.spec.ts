import { Client } from 'pg';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { hearingInput, hoursFromNow, publishedProposal, REGISTER_FOR, SCHEDULE, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';

describe('hearing rules', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  async function stored(): Promise<string> {
    const r = await db.query(`SELECT (SELECT count(*) FROM hearings) AS h, (SELECT count(*) FROM hearing_agenda_items) AS i,
      (SELECT string_agg(status, ',' ORDER BY id) FROM proposals) AS p, (SELECT count(*) FROM proposal_transitions) AS t`);
    return JSON.stringify(r.rows[0]);
  }

  it('refuses impossible schedules and agendas with BAD_USER_INPUT, storing nothing', async () => {
    const ours = await publishedProposal(api, '1007', 'ของเขตเรา');
    const theirs = await publishedProposal(api, '1001', 'ของเขตอื่น');
    const hidden = await publishedProposal(api, '1007', 'ถูกซ่อน');
    await api.ok(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Spam content" }) { proposal { id } } }`, { id: hidden }, host.token);
    const author = await register(api);
    const draft = (await api.ok(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: 'ร่างเท่านั้น', summary: 's', body: 'b', category: 'OTHER' } }, author.token)).createProposal.proposal.id;
    const agenda = [{ title: 'Item', proposalId: ours }];
    const before = await stored();
    const cases: [string, Record<string, unknown>, string][] = [
      ['an end before the start', hearingInput('1007', agenda, { startsAt: hoursFromNow(5), endsAt: hoursFromNow(4) }), 'input.endsAt'],
      ['a start in the past', hearingInput('1007', agenda, { startsAt: hoursFromNow(-2), endsAt: hoursFromNow(1) }), 'input.startsAt'],
      ['capacity below one', hearingInput('1007', agenda, { capacity: 0 }), 'input.capacity'],
      ["another district's proposal", hearingInput('1007', [{ title: 'X', proposalId: theirs }]), 'input.agenda[0].proposalId'],
      ['a hidden proposal', hearingInput('1007', [{ title: 'X', proposalId: hidden }]), 'input.agenda[0].proposalId'],
      ['a draft', hearingInput('1007', [{ title: 'X', proposalId: draft }]), 'input.agenda[0].proposalId'],
      ['the same proposal twice', hearingInput('1007', [{ title: 'X', proposalId: ours }, { title: 'Y', proposalId: ours }]), 'input.agenda[1].proposalId'],
      ['an empty agenda', hearingInput('1007', []), 'input.agenda'],
      ['nowhere to meet', hearingInput('1007', agenda, { venue: null, onlineUrl: null }), 'input.venue'],
      ['an insecure online link', hearingInput('1007', agenda, { onlineUrl: 'http://meet.example.org/x' }), 'input.onlineUrl'],
      ['a script in the title', hearingInput('1007', agenda, { title: '<script>alert(1)</script>' }), 'input.title'],
      ['a planned duration of zero', hearingInput('1007', [{ title: 'X', plannedMinutes: 0 }]), 'input.agenda[0].plannedMinutes'],
      ['a very long hearing', hearingInput('1007', agenda, { startsAt: hoursFromNow(2), endsAt: hoursFromNow(40) }), 'input.endsAt'],
    ];
    for (const [name, input, field] of cases) {
      const res = await api.gql(SCHEDULE, { i: input }, host.token);
      expect({ name, code: res.errors?.[0].extensions?.code }).toEqual({ name, code: 'BAD_USER_INPUT' });
      expect({ name, fields: (res.errors![0].extensions!.fields ?? []).map((f: any) => f.field) }).toEqual({ name, fields: expect.arrayContaining([field]) });
    }
    const garbledDate = await api.gql(SCHEDULE, { i: hearingInput('1007', agenda, { startsAt: 'next tuesday' }) }, host.token);
    expect(garbledDate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await stored()).toBe(before);
  });

  it('gives exactly 50 seats to 200 people registering at once, the rest waiting in order', async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Budget' }], { capacity: 50 }));
    const crowd: Account[] = [];
    for (let i = 0; i < 200; i++) crowd.push(await register(api));
    const results = await Promise.all(crowd.map((person) => api.gql(REGISTER_FOR, { i: { hearingId: hearing.id } }, person.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const statuses = results.map((r) => r.data!.registerForHearing.registration.status);
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(50);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(150);
    const counted = await db.query(`SELECT r.status, count(*)::int AS n FROM hearing_registrations r JOIN hearings h ON h.id = r.hearing_id WHERE h.capacity = 50 GROUP BY r.status ORDER BY r.status`);
    expect(counted.rows).toEqual([{ status: 'CONFIRMED', n: 50 }, { status: 'WAITLISTED', n: 150 }]);
    // Registering twice is refused.
    expect((await api.gql(REGISTER_FOR, { i: { hearingId: hearing.id } }, crowd[0].token)).errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lets only one speaker hold the floor when the host clicks many times at once', async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Floor' }], { capacity: 10 }));
    const h = hearing.id;
    const speakers: Account[] = [];
    await api.ok(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { id } } }`, { h }, host.token);
    for (let i = 0; i < 5; i++) {
      const person = await register(api);
      const reg = (await api.ok(REGISTER_FOR, { i: { hearingId: h } }, person.token)).registerForHearing.registration;
      await api.ok(`mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id } } }`, { i: { hearingId: h, registrationId: reg.id } }, host.token);
      speakers.push(person);
    }
    await api.ok(`mutation($h: ID!) { startHearingSession(input: { hearingId: $h }) { hearing { id } } }`, { h }, host.token);
    for (const s of speakers) await api.ok(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id } } }`, { i: { hearingId: h } }, s.token);
    const grants = await Promise.all(Array.from({ length: 10 }, () => api.gql(`mutation($h: ID!) { grantFloor(input: { hearingId: $h }) { speakerRequest { id } } }`, { h }, host.token)));
    expect(grants.filter((g) => !g.errors)).toHaveLength(1);
    expect(grants.filter((g) => g.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(9);
    const speaking = await db.query(`SELECT count(*)::int AS n FROM hearing_speaker_requests WHERE status = 'SPEAKING'`);
    expect(speaking.rows[0].n).toBe(1);
    // Requests from someone registered but not checked in are refused.
    const late = await register(api);
    await api.ok(REGISTER_FOR, { i: { hearingId: h } }, late.token);
    expect((await api.gql(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id } } }`, { i: { hearingId: h } }, late.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a subscriber that reconnects see from the sequence numbers that it missed events', async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Gap' }], { capacity: 10 }));
    const h = hearing.id;
    const query = `subscription($h: ID!) { hearingUpdated(hearingId: $h) { sequence kind attendance { confirmed } } }`;
    const first = api.wsClient();
    const before = await api.listen(() => new Subscription(first, query, { h }));
    await api.ok(REGISTER_FOR, { i: { hearingId: h } }, (await register(api)).token);
    const [seen] = await before.waitFor(1);
    const lastSeen = seen.data!.hearingUpdated.sequence;
    await first.dispose(); // the phone goes through a tunnel

    for (let i = 0; i < 3; i++) await api.ok(REGISTER_FOR, { i: { hearingId: h } }, (await register(api)).token);

    const second = api.wsClient();
    const after = await api.listen(() => new Subscription(second, query, { h }));
    await api.ok(REGISTER_FOR, { i: { hearingId: h } }, (await register(api)).token);
    const [next] = await after.waitFor(1);
    const gap = next.data!.hearingUpdated.sequence - lastSeen - 1;
    expect(gap).toBe(3);
    // The client re-queries the state, which carries the same sequence as the latest event.
    const now = await api.ok(`query($h: ID!) { hearing(id: $h) { live { sequence attendance { confirmed } } } }`, { h });
    expect(now.hearing.live).toEqual({ sequence: next.data!.hearingUpdated.sequence, attendance: { confirmed: 5 } });
    await second.dispose();
  });

  it('tells registrants of a new time and of a cancellation, and sends the proposals back where they were', async () => {
    const qualified = await publishedProposal(api, '1007', 'เกือบพร้อม');
    await api.ok(`mutation { setEndorsementThreshold(input: { districtCode: "1007", threshold: 1 }) { district { code } } }`, {}, host.token);
    await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: qualified }, (await register(api)).token);
    const fresh = await publishedProposal(api, '1007', 'เพิ่งเผยแพร่');
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'A', proposalId: qualified }, { title: 'B', proposalId: fresh }]));
    const h = hearing.id;
    const attendee = await register(api);
    await api.ok(REGISTER_FOR, { i: { hearingId: h } }, attendee.token);

    await api.ok(`mutation($i: RescheduleHearingInput!) { rescheduleHearing(input: $i) { hearing { startsAt } } }`, { i: { hearingId: h, startsAt: hoursFromNow(26), endsAt: hoursFromNow(28) } }, host.token);
    await api.ok(`mutation($h: ID!) { cancelHearing(input: { hearingId: $h, reason: "Flooding around the district office" }) { hearing { status } } }`, { h }, host.token);
    const inbox = await api.ok(`{ notifications { edges { node { kind title body hearing { id status } } } } }`, {}, attendee.token);
    expect(inbox.notifications.edges.map((e: any) => e.node.kind)).toEqual(['HEARING_CANCELLED', 'HEARING_RESCHEDULED']);
    expect(inbox.notifications.edges[0].node).toMatchObject({ title: 'เวทีรับฟังความคิดเห็น “เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน” ถูกยกเลิก', body: 'เหตุผล: Flooding around the district office', hearing: { id: h, status: 'CANCELLED' } });
    const back = await api.ok(`query($a: ID!, $b: ID!) { a: proposal(id: $a) { status } b: proposal(id: $b) { status } }`, { a: qualified, b: fresh });
    expect(back).toEqual({ a: { status: 'QUALIFIED' }, b: { status: 'PUBLISHED' } });
    expect((await api.gql(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { status } } }`, { h }, host.token)).errors?.[0]).toMatchObject({
      // The host's account reads Thai: "Cannot open a hearing that is CANCELLED."
      message: 'เวทีที่มีสถานะ CANCELLED ไม่สามารถเปิดได้',
      extensions: { code: 'ILLEGAL_STATE' },
    });
  });

  it('lists upcoming hearings for the district calendar, and hearings have their own discussion', async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Calendar' }], { startsAt: hoursFromNow(48), endsAt: hoursFromNow(50) }));
    const upcoming = await api.ok(`{ upcomingHearings(districtCode: "1007", first: 100) { edges { node { id status startsAt } } } }`);
    const ids = upcoming.upcomingHearings.edges.map((e: any) => e.node.id);
    expect(ids).toContain(hearing.id);
    expect(upcoming.upcomingHearings.edges.every((e: any) => e.node.status !== 'CANCELLED')).toBe(true);
    const starts = upcoming.upcomingHearings.edges.map((e: any) => e.node.startsAt);
    expect([...starts].sort()).toEqual(starts);
    const inRange = await api.ok(`query($f: DateTime, $t: DateTime) { hearingsInDistrict(districtCode: "1007", from: $f, to: $t) { edges { node { id } } } }`, { f: hoursFromNow(47), t: hoursFromNow(49) });
    expect(inRange.hearingsInDistrict.edges.map((e: any) => e.node.id)).toEqual([hearing.id]);

    const resident = await register(api);
    const comment = await api.ok(`mutation($i: PostCommentInput!) { postComment(input: $i) { comment { id subjectId } } }`, { i: { subjectId: hearing.id, body: 'ขอให้มีล่ามภาษามือ', stance: 'NEUTRAL' } }, resident.token);
    expect(comment.postComment.comment.subjectId).toBe(hearing.id);
    const thread = await api.ok(`query($s: ID!) { comments(subjectId: $s) { totalCount } stanceCounts(subjectId: $s) { neutral } }`, { s: hearing.id });
    expect(thread).toEqual({ comments: { totalCount: 1 }, stanceCounts: { neutral: 1 } });
  });

  it('loads a calendar page of hearings with agenda, proposals and attendance in a bounded number of SQL queries', async () => {
    for (let i = 0; i < 12; i++) {
      const proposal = await publishedProposal(api, '1050', `โครงการ ${i}`);
      await scheduleHearing(api, (await makeHost(api, admin, '1050')), hearingInput('1050', [{ title: `Item ${i}`, proposalId: proposal }], { startsAt: hoursFromNow(10 + i), endsAt: hoursFromNow(11 + i) }));
    }
    const page = `query($n: Int) { upcomingHearings(districtCode: "1050", first: $n) { edges { node {
      title district { nameEn } attendance { confirmed checkedIn } agenda { title proposal { title author { displayName } hearings { id } } } myRegistration { status } } } } }`;
    const small = await api.countQueries(() => api.ok(page, { n: 2 }, host.token));
    const large = await api.countQueries(() => api.ok(page, { n: 12 }, host.token));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(12);
  });
});
