import { Client as WsClient } from 'graphql-ws';
import { Clock } from '../../src/common/clock/clock';
import { HearingFloorService } from '../../src/hearings/hearing-floor.service';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { hearingInput, publishedProposal, REGISTER_FOR, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';
import { enumLabel } from '../../src/i18n/enum-labels';
import { t as message } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';

const LIVE = `subscription($h: ID!) { hearingUpdated(hearingId: $h) {
  sequence kind status
  currentAgendaItem { agendaItemId position title }
  floor { speakerRequestId speaker { displayName } stance deadline }
  queue { speakerRequestId speaker { displayName } firstTime }
  attendance { confirmed waitlisted checkedIn online capacity }
  lastStatement { speaker { displayName } text }
  questions { questionId text upvotes }
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
    for (const name of ['Arun', 'Busaba', 'Chai', 'Darika', 'Ekachai', 'Fah']) regs[name] = (await api.ok(REGISTER_FOR, { i: { hearingId: h } }, people[name].token)).registerForHearing.registration;
    expect(Object.values(regs).map((r) => r.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
    const cancelled = await api.ok(`mutation($i: CancelRegistrationInput!) { cancelRegistration(input: $i) { registration { id status } } }`, { i: { hearingId: h } }, people.Darika.token);
    expect(cancelled.cancelRegistration.registration).toEqual({ id: regs.Darika.id, status: 'CANCELLED' });
    const ekachai = await api.ok(`query($h: ID!) { hearing(id: $h) { myRegistration { status checkInCode } } }`, { h }, people.Ekachai.token);
    expect(ekachai.hearing.myRegistration.status).toBe('CONFIRMED');
    const fah = await api.ok(`query($h: ID!) { hearing(id: $h) { myRegistration { status checkInCode } } }`, { h }, people.Fah.token);
    expect(fah.hearing.myRegistration).toEqual({ status: 'WAITLISTED', checkInCode: null });
    const promoted = await api.ok(`{ notifications { edges { node { kind hearing { id } } } } }`, {}, people.Ekachai.token);
    expect(promoted.notifications.edges.map((e: any) => e.node)).toContainEqual({ kind: 'WAITLIST_PROMOTED', hearing: { id: h } });
    // Two more follow online; online places do not take seats.
    for (const name of ['Gan', 'Hom']) expect((await api.ok(REGISTER_FOR, { i: { hearingId: h, mode: 'ONLINE' } }, people[name].token)).registerForHearing.registration).toMatchObject({ status: 'CONFIRMED', mode: 'ONLINE' });

    // Doors open; check-in by registration and by scanned code.
    expect((await api.ok(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { id status } } }`, { h }, host.token)).openHearing.hearing).toEqual({ id: h, status: 'OPEN' });
    const opened = await api.ok(`{ notifications(first: 1) { edges { node { kind } } } }`, {}, people.Busaba.token);
    expect(opened.notifications.edges[0].node.kind).toBe('HEARING_OPENED');
    const checkIn = `mutation($i: CheckInInput!) { checkIn(input: $i) { registration { checkedInAt } } }`;
    await api.ok(checkIn, { i: { hearingId: h, registrationId: regs.Arun.id } }, host.token);
    await api.ok(checkIn, { i: { hearingId: h, code: regs.Busaba.checkInCode } }, host.token);
    // Typed by hand at the door: lower case, in two groups.
    const typed = `${regs.Chai.checkInCode.slice(0, 4)}-${regs.Chai.checkInCode.slice(4)}`.toLowerCase();
    expect((await api.ok(checkIn, { i: { hearingId: h, code: typed } }, host.token)).checkIn.registration.checkedInAt).toEqual(expect.any(String));
    await api.ok(checkIn, { i: { hearingId: h, code: ekachai.hearing.myRegistration.checkInCode } }, host.token);
    const nobody = await api.gql(checkIn, { i: { hearingId: h, code: 'ZZZZ2222' } }, host.token);
    expect(nobody.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const typo = await api.gql(checkIn, { i: { hearingId: h, code: 'NOTACODE' } }, host.token);
    expect(typo.errors?.[0]).toMatchObject({ message: expect.stringContaining('ตัวอักษรและตัวเลข 8 ตัว'), extensions: { code: 'BAD_USER_INPUT' } });

    // The session starts on the first item; five ask to speak, one withdraws.
    expect((await api.ok(`mutation($h: ID!) { startHearingSession(input: { hearingId: $h }) { hearing { status } } }`, { h }, host.token)).startHearingSession.hearing.status).toBe('IN_SESSION');
    const ask = (name: string, stance: string) =>
      api.ok(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id firstTime } } }`, { i: { hearingId: h, stance } }, people[name].token);
    const requests: Record<string, string> = {};
    for (const [name, stance] of [['Arun', 'FOR'], ['Busaba', 'AGAINST'], ['Chai', 'NEUTRAL'], ['Ekachai', 'FOR'], ['Gan', 'AGAINST']] as const) {
      requests[name] = (await ask(name, stance)).requestToSpeak.speakerRequest.id;
    }
    const notThere = await api.gql(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id } } }`, { i: { hearingId: h } }, people.Fah.token);
    expect(notThere.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const withdrawn = await api.ok(`mutation($r: ID!) { withdrawSpeakerRequest(input: { speakerRequestId: $r }) { speakerRequest { id status } } }`, { r: requests.Busaba }, people.Busaba.token);
    expect(withdrawn.withdrawSpeakerRequest.speakerRequest).toEqual({ id: requests.Busaba, status: 'WITHDRAWN' });

    // Arun speaks and ends; the host writes his statement into the minutes.
    const grant = async (speakerRequestId?: string) =>
      (await api.ok(`mutation($i: GrantFloorInput!) { grantFloor(input: $i) { speakerRequest { id deadline } } }`, { i: { hearingId: h, speakerRequestId } }, host.token)).grantFloor.speakerRequest;
    const granting = Date.now();
    const arunTurn = await grant();
    const given = Date.now();
    expect(arunTurn.id).toBe(requests.Arun);
    // Two minutes from when the floor was given (speakerTimeLimitSeconds: 120), however long the request took.
    const deadline = new Date(arunTurn.deadline).getTime();
    expect(deadline).toBeGreaterThanOrEqual(granting + 120_000);
    expect(deadline).toBeLessThanOrEqual(given + 120_000);
    expect((await api.gql(`mutation($h: ID!) { grantFloor(input: { hearingId: $h }) { speakerRequest { id } } }`, { h }, host.token)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await api.ok(`mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id endReason } } }`, { h }, people.Arun.token)).endSpeech.speakerRequest).toEqual({ id: requests.Arun, endReason: 'ENDED' });
    const statements = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id speaker { displayName } } } }`, { h });
    const recorded = await api.ok(
      `mutation($i: RecordStatementInput!) { recordStatement(input: $i) { statement { id text } } }`,
      { i: { statementId: statements.hearing.statements[0].id, text: 'Supports lighting; asks for CCTV at the pier.' } },
      host.token,
    );
    expect(recorded.recordStatement.statement).toEqual({ id: statements.hearing.statements[0].id, text: 'Supports lighting; asks for CCTV at the pier.' });

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
      const ended = (await api.ok(`query($h: ID!) { hearing(id: $h) { live { floor { speakerRequestId } } statements { endedAt } } }`, { h })).hearing;
      expect(ended.live.floor).toBeNull();
      expect(ended.statements[1].endedAt).not.toBeNull();
    } finally {
      clock.now = realNow;
    }
    const chai = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { speaker { displayName } } } }`, { h });
    expect(chai.hearing.statements.map((s: any) => s.speaker.displayName)).toEqual(['Arun', 'Chai']);

    // The host picks Gan (online) out of order, then Ekachai.
    await grant(requests.Gan);
    await api.ok(`mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id } } }`, { h }, host.token);
    await grant();
    await api.ok(`mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id } } }`, { h }, host.token);

    // Written questions, upvoted by others, answered or dismissed.
    const askQuestion = (text: string, who: Account) => api.ok(`mutation($i: AskQuestionInput!) { askQuestion(input: $i) { question { id text status } } }`, { i: { hearingId: h, text } }, who.token);
    const q1 = (await askQuestion('Who maintains the lamps?', people.Hom)).askQuestion.question.id;
    const asked = (await askQuestion('Can the market open on Sundays?', people.Busaba)).askQuestion.question;
    expect(asked).toEqual({ id: expect.any(String), text: 'Can the market open on Sundays?', status: 'OPEN' });
    const q2 = asked.id;
    const upvote = `mutation($q: ID!) { upvoteQuestion(input: { questionId: $q }) { question { id upvotes } } }`;
    for (const name of ['Arun', 'Chai', 'Ekachai']) await api.ok(upvote, { q: q2 }, people[name].token);
    const again = await api.ok(upvote, { q: q2 }, people.Arun.token);
    expect(again.upvoteQuestion.question).toEqual({ id: q2, upvotes: 3 });
    await api.ok(upvote, { q: q1 }, people.Gan.token);
    const ranked = await api.ok(`query($h: ID!) { hearing(id: $h) { questions { text upvotes } } }`, { h });
    expect(ranked.hearing.questions.map((q: any) => q.upvotes)).toEqual([3, 1]);
    const answered = await api.ok(`mutation($q: ID!) { answerQuestion(input: { questionId: $q, answer: "Yes, from March, 6:00 to 12:00." }) { question { id status } } }`, { q: q2 }, host.token);
    expect(answered.answerQuestion.question).toEqual({ id: q2, status: 'ANSWERED' });
    const dismissed = await api.ok(`mutation($q: ID!) { dismissQuestion(input: { questionId: $q, reason: "Covered under item 1" }) { question { id status answer } } }`, { q: q1 }, host.token);
    expect(dismissed.dismissQuestion.question).toEqual({ id: q1, status: 'DISMISSED', answer: 'Covered under item 1' });

    // Next item, then close with a summary.
    const next = await api.ok(`mutation($h: ID!) { setCurrentAgendaItem(input: { hearingId: $h }) { hearing { id live { currentAgendaItem { agendaItemId position } } } } }`, { h }, host.token);
    expect(next.setCurrentAgendaItem.hearing).toEqual({ id: h, live: { currentAgendaItem: { agendaItemId: hearing.agenda[1].id, position: 1 } } });
    const closed = await api.ok(
      `mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents support the walkway with CCTV; the market will open on Sundays." }) { hearing { id status } } }`,
      { h },
      host.token,
    );
    expect(closed.closeHearing.hearing).toEqual({ id: h, status: 'CLOSED' });

    // The minutes are public, with every statement, and each proposal on the agenda is heard and links to them.
    const minutes = await api.ok(
      `query($h: ID!) { minutes(hearingId: $h) { summary markdown attendance { checkedIn online } statements { speaker { displayName } text } answeredQuestions { text answer } agenda { title secondsSpent } } }`,
      { h },
    );
    expect(minutes.minutes.statements.map((s: any) => s.speaker.displayName)).toEqual(['Arun', 'Chai', 'Gan', 'Ekachai']);
    expect(minutes.minutes.attendance).toEqual({ checkedIn: 4, online: 2 });
    expect(minutes.minutes.answeredQuestions).toEqual([{ text: 'Can the market open on Sundays?', answer: 'Yes, from March, 6:00 to 12:00.' }]);
    const md: string = minutes.minutes.markdown;
    // Read without an account or a language: in Thai, stances by their Thai labels.
    const stance = (value: 'FOR' | 'AGAINST' | 'NEUTRAL') => enumLabel(Locale.th, 'Stance', value);
    const fragments = [`# ${message(Locale.th, 'minutes.title', { title: '' }).trim()}`, 'Canal walkway', `**Arun** [${stance('FOR')}]`, 'Supports lighting; asks for CCTV at the pier.', `**Chai** [${stance('NEUTRAL')}]`, `**Gan** [${stance('AGAINST')}]`, 'Can the market open on Sundays?', 'market will open on Sundays'];
    for (const fragment of fragments) {
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
