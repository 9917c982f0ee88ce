import { Client as WsClient } from 'graphql-ws';
import { Clock } from '../../src/common/clock/clock';
import { HearingFloorService } from '../../src/hearings/hearing-floor.service';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { hearingInput, publishedProposal, REGISTER_FOR, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';

const LIVE = `subscription($h: ID!) { hearingUpdated(hearingId: $h) {
  sequence kind status
  currentAgendaItem { id position title }
  floor { requestId speaker { displayName } stance deadline }
  queue { requestId speaker { displayName } firstTime }
  attendance { confirmed waitlisted checkedIn online capacity }
  lastStatement { speaker { displayName } text }
  questions { id text upvotes }
} }`;

/**
 * A whole hearing in Pathum Wan, run through the API with three screens subscribed: the host's
 * laptop, the screen in the hall (signed out), and a resident's phone.
 */
describe('a public hearing, from scheduling to published minutes', () => {
  let api: TestServer;
  let host: Account;
  const sockets: WsClient[] = [];
  const people: Record<string, Account> = {};

  beforeAll(async () => {
    api = await TestServer.start();
    const admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    for (const name of ['Arun', 'Busaba', 'Chai', 'Darika', 'Ekachai', 'Fah', 'Gan', 'Hom']) people[name] = await register(api, { displayName: name });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await api.stop();
  });

  it('runs end to end', async () => {
    const walkway = await publishedProposal(api, '1007', 'ทางเดินริมคลอง');
    const market = await publishedProposal(api, '1007', 'ตลาดนัดสีเขียว');

    // Scheduled with two proposals on the agenda, which move to IN_HEARING.
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal walkway', proposalId: walkway }, { title: 'Green market', proposalId: market }, { title: 'Open floor' }]));
    expect(hearing.agenda.map((i: any) => i.proposal?.status ?? null)).toEqual(['IN_HEARING', 'IN_HEARING', null]);
    const h = hearing.id;

    const screens = await api.listen(() =>
      ['host', 'hall', 'phone'].map((who) => {
        const client = api.wsClient(who === 'host' ? host.token : who === 'phone' ? people.Arun.token : undefined);
        sockets.push(client);
        return new Subscription(client, LIVE, { h });
      }),
    );
    const [hostScreen, hallScreen, phone] = screens;

    // Registrations past capacity (4 seats): the last two wait; a cancellation promotes the first of them.
    const regs: Record<string, any> = {};
    for (const name of ['Arun', 'Busaba', 'Chai', 'Darika', 'Ekachai', 'Fah']) regs[name] = (await api.ok(REGISTER_FOR, { h }, people[name].token)).registerForHearing;
    expect(Object.values(regs).map((r) => r.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
    await api.ok(`mutation($h: ID!) { cancelRegistration(hearingId: $h) { status } }`, { h }, people.Darika.token);
    const ekachai = await api.ok(`query($h: ID!) { hearing(id: $h) { myRegistration { status checkInCode } } }`, { h }, people.Ekachai.token);
    expect(ekachai.hearing.myRegistration.status).toBe('CONFIRMED');
    const fah = await api.ok(`query($h: ID!) { hearing(id: $h) { myRegistration { status checkInCode } } }`, { h }, people.Fah.token);
    expect(fah.hearing.myRegistration).toEqual({ status: 'WAITLISTED', checkInCode: null });
    const promoted = await api.ok(`{ notifications { edges { node { kind hearing { id } } } } }`, {}, people.Ekachai.token);
    expect(promoted.notifications.edges.map((e: any) => e.node)).toContainEqual({ kind: 'WAITLIST_PROMOTED', hearing: { id: h } });
    // Two more follow online; online places do not take seats.
    for (const name of ['Gan', 'Hom']) expect((await api.ok(REGISTER_FOR, { h, m: 'ONLINE' }, people[name].token)).registerForHearing.status).toBe('CONFIRMED');

    // Doors open; check-in by registration and by scanned code.
    await api.ok(`mutation($h: ID!) { openHearing(hearingId: $h) { status } }`, { h }, host.token);
    const opened = await api.ok(`{ notifications(first: 1) { edges { node { kind } } } }`, {}, people.Busaba.token);
    expect(opened.notifications.edges[0].node.kind).toBe('HEARING_OPENED');
    const checkIn = `mutation($i: CheckInInput!) { checkIn(input: $i) { checkedInAt } }`;
    await api.ok(checkIn, { i: { hearingId: h, registrationId: regs.Arun.id } }, host.token);
    await api.ok(checkIn, { i: { hearingId: h, code: regs.Busaba.checkInCode } }, host.token);
    // Typed by hand at the door: lower case, in two groups.
    const typed = `${regs.Chai.checkInCode.slice(0, 4)}-${regs.Chai.checkInCode.slice(4)}`.toLowerCase();
    expect((await api.ok(checkIn, { i: { hearingId: h, code: typed } }, host.token)).checkIn.checkedInAt).toEqual(expect.any(String));
    await api.ok(checkIn, { i: { hearingId: h, code: ekachai.hearing.myRegistration.checkInCode } }, host.token);
    const nobody = await api.gql(checkIn, { i: { hearingId: h, code: 'ZZZZ2222' } }, host.token);
    expect(nobody.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const typo = await api.gql(checkIn, { i: { hearingId: h, code: 'NOTACODE' } }, host.token);
    expect(typo.errors?.[0]).toMatchObject({ message: expect.stringContaining('8 letters and digits'), extensions: { code: 'BAD_USER_INPUT' } });

    // The session starts on the first item; five ask to speak, one withdraws.
    await api.ok(`mutation($h: ID!) { startHearingSession(hearingId: $h) { status } }`, { h }, host.token);
    const ask = (name: string, stance: string) =>
      api.ok(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { id firstTime } }`, { i: { hearingId: h, stance } }, people[name].token);
    const requests: Record<string, string> = {};
    for (const [name, stance] of [['Arun', 'FOR'], ['Busaba', 'AGAINST'], ['Chai', 'NEUTRAL'], ['Ekachai', 'FOR'], ['Gan', 'AGAINST']] as const) {
      requests[name] = (await ask(name, stance)).requestToSpeak.id;
    }
    const notThere = await api.gql(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { id } }`, { i: { hearingId: h } }, people.Fah.token);
    expect(notThere.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.ok(`mutation($r: ID!) { withdrawSpeakerRequest(requestId: $r) { status } }`, { r: requests.Busaba }, people.Busaba.token);

    // Arun speaks and ends; the host writes his statement into the minutes.
    const grant = (requestId?: string) => api.ok(`mutation($h: ID!, $r: ID) { grantFloor(hearingId: $h, requestId: $r) { id deadline } }`, { h, r: requestId ?? null }, host.token);
    const granting = Date.now();
    const arunTurn = await grant();
    const given = Date.now();
    expect(arunTurn.grantFloor.id).toBe(requests.Arun);
    // Two minutes from when the floor was given (speakerTimeLimitSeconds: 120), however long the request took.
    const deadline = new Date(arunTurn.grantFloor.deadline).getTime();
    expect(deadline).toBeGreaterThanOrEqual(granting + 120_000);
    expect(deadline).toBeLessThanOrEqual(given + 120_000);
    expect((await api.gql(`mutation($h: ID!) { grantFloor(hearingId: $h) { id } }`, { h }, host.token)).errors?.[0].extensions?.code).toBe('CONFLICT');
    await api.ok(`mutation($h: ID!) { endSpeech(hearingId: $h) { endReason } }`, { h }, people.Arun.token);
    const statements = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id speaker { displayName } } } }`, { h });
    await api.ok(`mutation($s: ID!, $t: String!) { recordStatement(statementId: $s, text: $t) { text } }`, { s: statements.hearing.statements[0].id, t: 'Supports lighting; asks for CCTV at the pier.' }, host.token);

    // Arun asks again: as a repeat speaker he goes behind those who have not spoken yet.
    await ask('Arun', 'FOR');
    const state = await api.ok(`query($h: ID!) { hearing(id: $h) { live { queue { speaker { displayName } firstTime } } } }`, { h });
    expect(state.hearing.live.queue).toEqual([
      { speaker: { displayName: 'Chai' }, firstTime: true },
      { speaker: { displayName: 'Ekachai' }, firstTime: true },
      { speaker: { displayName: 'Gan' }, firstTime: true },
      { speaker: { displayName: 'Arun' }, firstTime: false },
    ]);

    // Chai's time runs out: the clock moves past the deadline and the turn ends by itself (the sweeper
    // runs every second; awaiting one pass of it stands for waiting that second).
    await grant();
    const clock = api.server.app.get(Clock);
    const realNow = clock.now.bind(clock);
    clock.now = () => new Date(realNow().getTime() + 121_000);
    try {
      await api.server.app.get(HearingFloorService).endExpiredTurns();
      const ended = (await api.ok(`query($h: ID!) { hearing(id: $h) { live { floor { requestId } } statements { endedAt } } }`, { h })).hearing;
      expect(ended.live.floor).toBeNull();
      expect(ended.statements[1].endedAt).not.toBeNull();
    } finally {
      clock.now = realNow;
    }
    const chai = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { speaker { displayName } } } }`, { h });
    expect(chai.hearing.statements.map((s: any) => s.speaker.displayName)).toEqual(['Arun', 'Chai']);

    // The host picks Gan (online) out of order, then Ekachai.
    await grant(requests.Gan);
    await api.ok(`mutation($h: ID!) { endSpeech(hearingId: $h) { id } }`, { h }, host.token);
    await grant();
    await api.ok(`mutation($h: ID!) { endSpeech(hearingId: $h) { id } }`, { h }, host.token);

    // Written questions, upvoted by others, answered or dismissed.
    const q1 = (await api.ok(`mutation($h: ID!) { askQuestion(hearingId: $h, text: "Who maintains the lamps?") { id } }`, { h }, people.Hom.token)).askQuestion.id;
    const q2 = (await api.ok(`mutation($h: ID!) { askQuestion(hearingId: $h, text: "Can the market open on Sundays?") { id } }`, { h }, people.Busaba.token)).askQuestion.id;
    for (const name of ['Arun', 'Chai', 'Ekachai']) await api.ok(`mutation($q: ID!) { upvoteQuestion(questionId: $q) { upvotes } }`, { q: q2 }, people[name].token);
    const again = await api.ok(`mutation($q: ID!) { upvoteQuestion(questionId: $q) { upvotes } }`, { q: q2 }, people.Arun.token);
    expect(again.upvoteQuestion.upvotes).toBe(3);
    await api.ok(`mutation($q: ID!) { upvoteQuestion(questionId: $q) { upvotes } }`, { q: q1 }, people.Gan.token);
    const ranked = await api.ok(`query($h: ID!) { hearing(id: $h) { questions { text upvotes } } }`, { h });
    expect(ranked.hearing.questions.map((q: any) => q.upvotes)).toEqual([3, 1]);
    await api.ok(`mutation($q: ID!) { answerQuestion(questionId: $q, answer: "Yes, from March, 6:00 to 12:00.") { status } }`, { q: q2 }, host.token);
    await api.ok(`mutation($q: ID!) { dismissQuestion(questionId: $q, reason: "Covered under item 1") { status } }`, { q: q1 }, host.token);

    // Next item, then close with a summary.
    await api.ok(`mutation($h: ID!) { setCurrentAgendaItem(hearingId: $h) { id } }`, { h }, host.token);
    await api.ok(`mutation($h: ID!) { closeHearing(hearingId: $h, summary: "Residents support the walkway with CCTV; the market will open on Sundays.") { status } }`, { h }, host.token);

    // The minutes are public, with every statement, and each proposal on the agenda is heard and links to them.
    const minutes = await api.ok(
      `query($h: ID!) { minutes(hearingId: $h) { summary markdown attendance { checkedIn online } statements { speaker { displayName } text } answeredQuestions { text answer } agenda { title secondsSpent } } }`,
      { h },
    );
    expect(minutes.minutes.statements.map((s: any) => s.speaker.displayName)).toEqual(['Arun', 'Chai', 'Gan', 'Ekachai']);
    expect(minutes.minutes.attendance).toEqual({ checkedIn: 4, online: 2 });
    expect(minutes.minutes.answeredQuestions).toEqual([{ text: 'Can the market open on Sundays?', answer: 'Yes, from March, 6:00 to 12:00.' }]);
    const md: string = minutes.minutes.markdown;
    for (const fragment of ['# Minutes:', 'Canal walkway', '**Arun** [FOR]', 'Supports lighting; asks for CCTV at the pier.', '**Chai** [NEUTRAL]', '**Gan** [AGAINST]', 'Can the market open on Sundays?', 'market will open on Sundays']) {
      expect(md).toContain(fragment);
    }
    const linked = await api.ok(`query($p: ID!) { proposal(id: $p) { status hearings { id status } } }`, { p: walkway });
    expect(linked.proposal).toEqual({ status: 'HEARD', hearings: [{ id: h, status: 'CLOSED' }] });

    // Every screen saw every change, in order, each redrawable on its own.
    for (const screen of screens) {
      const seqs = screen.events.map((e) => e.data!.hearingUpdated.sequence);
      expect(seqs.length).toBeGreaterThan(20);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    }
    const hall = hallScreen.events.map((e) => e.data!.hearingUpdated);
    const kinds = new Set(hall.map((e) => e.kind));
    for (const kind of ['STATE_CHANGED', 'ATTENDANCE_CHANGED', 'QUEUE_CHANGED', 'FLOOR_GRANTED', 'SPEECH_ENDED', 'STATEMENT_RECORDED', 'QUESTION_ASKED', 'QUESTION_UPVOTED', 'QUESTION_RESOLVED', 'AGENDA_ITEM_CHANGED']) {
      expect(kinds).toContain(kind);
    }
    const granted = hall.find((e) => e.kind === 'FLOOR_GRANTED')!;
    expect(granted.floor).toMatchObject({ speaker: { displayName: 'Arun' }, stance: 'FOR', deadline: expect.any(String) });
    expect(hall.find((e) => e.kind === 'STATEMENT_RECORDED')!.lastStatement.text).toBe('Supports lighting; asks for CCTV at the pier.');
    expect(hall.at(-1)!.status).toBe('CLOSED');
    expect(hostScreen.events.length).toBe(phone.events.length);
  });
});
