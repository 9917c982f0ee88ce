import { Clock } from '../../src/common/clock/clock';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { askQuestion, attend, hearingInput, hoursFromNow, publishedProposal, scheduleHearing } from '../support/hearings';
import { TestServer } from '../support/test-server';
import { formatDateTime } from '../../src/i18n/dates';
import { t as message } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';

const PROPOSAL = `query($p: ID!) { proposal(id: $p) { status statusHistory { from to note } } }`;
const MINUTES = `query($h: ID!) { minutes(hearingId: $h) {
  markdown scheduledStartsAt scheduledEndsAt openedAt sessionStartedAt closedAt openingReason
  adjournments { adjournedAt resumedAt }
  answeredQuestions { text answer }
  unansweredQuestions { text upvotes author { displayName } }
  dismissedQuestions { text answer }
} }`;

const MINUTE = 60_000;

/** What a Thai reader reads: a catalogue text, a moment in Bangkok with the Buddhist-era year. */
const th = (key: string, values?: Record<string, unknown>) => message(Locale.th, key, values);
const thaiTime = (iso: string) => formatDateTime(Locale.th, new Date(iso));

/** The lines of one `## ` section of a Markdown document, without its heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.indexOf('\n## ');
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * What a hearing leaves behind once it is over: the proposals on its agenda heard (and free to go to a
 * vote), minutes that say when it really took place and what was asked, and a reason on record when
 * its doors opened long before the time announced.
 */
describe('the record a hearing leaves', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let clock: Clock;

  beforeAll(async () => {
    // The clock moves hours ahead in these stories: tokens must outlive it.
    api = await TestServer.start({ env: { ACCESS_TOKEN_TTL: '86400' } });
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    clock = api.server.app.get(Clock);
  });
  afterEach(() => {
    // Back to the clock's own `now`.
    delete (clock as { now?: unknown }).now;
  });
  afterAll(() => api.stop());

  /** The server's clock stands at `at` until moved again. */
  const setClock = (at: number) => {
    clock.now = () => new Date(at);
  };
  const move = (h: string, mutation: string) => api.ok(`mutation($h: ID!) { ${mutation}(input: { hearingId: $h }) { hearing { id status } } }`, { h }, host.token);
  const status = async (p: string) => (await api.ok(PROPOSAL, { p })).proposal;

  it('a host runs a hearing: its plans are heard once no other hearing still has them, and a heard plan can go to a vote', async () => {
    const walkway = await publishedProposal(api, '1007', 'ทางเดินริมคลอง');
    const market = await publishedProposal(api, '1007', 'ตลาดนัดสีเขียว');
    const first = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal walkway', proposalId: walkway }, { title: 'Green market', proposalId: market }], { title: 'เวทีครั้งที่ 1' }));
    const second = await scheduleHearing(
      api,
      host,
      hearingInput('1007', [{ title: 'Green market, the stalls', proposalId: market }], { title: 'เวทีครั้งที่ 2', startsAt: hoursFromNow(48), endsAt: hoursFromNow(50) }),
    );

    await move(first.id, 'openHearing');
    await move(first.id, 'startHearingSession');
    await api.ok(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents support the walkway; the market needs a second hearing." }) { hearing { id } } }`, { h: first.id }, host.token);

    // The walkway was heard: its history says where.
    const heard = await status(walkway);
    expect(heard.status).toBe('HEARD');
    expect(heard.statusHistory.at(-1)).toEqual({ from: 'IN_HEARING', to: 'HEARD', note: expect.stringContaining('เวทีครั้งที่ 1') });
    // The market is still on the agenda of the second hearing, not yet held.
    expect((await status(market)).status).toBe('IN_HEARING');

    // The second hearing is cancelled: the market was heard at the first, so it is heard, not sent back to PUBLISHED.
    await api.ok(`mutation($h: ID!) { cancelHearing(input: { hearingId: $h, reason: "The hall is flooded" }) { hearing { id } } }`, { h: second.id }, host.token);
    const market2 = await status(market);
    expect(market2.status).toBe('HEARD');
    expect(market2.statusHistory.at(-1)).toEqual({ from: 'IN_HEARING', to: 'HEARD', note: expect.stringContaining('เวทีครั้งที่ 1') });
    expect(market2.statusHistory.at(-1).note).toContain('เวทีครั้งที่ 2');

    // Both heard plans go to a vote.
    const round = await api.ok(
      `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id } } }`,
      { i: { districtCode: '1007', title: 'Which plan first?', method: 'SINGLE_CHOICE', options: [{ proposalId: walkway }, { proposalId: market }], opensAt: hoursFromNow(1), closesAt: hoursFromNow(3) } },
      host.token,
    );
    await api.ok(`mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: round.createVotingRound.votingRound.id } }, host.token);
    expect([(await status(walkway)).status, (await status(market)).status]).toEqual(['IN_VOTE', 'IN_VOTE']);
  });

  it('two hearings of the same plans closing at the same moment leave the plans heard', async () => {
    const plans = [await publishedProposal(api, '1007', 'สะพานลอย'), await publishedProposal(api, '1007', 'ไฟส่องสว่าง')];
    // The agendas list the plans in opposite orders.
    const a = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Bridge', proposalId: plans[0] }, { title: 'Lights', proposalId: plans[1] }], { title: 'Hall A' }));
    const b = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Lights', proposalId: plans[1] }, { title: 'Bridge', proposalId: plans[0] }], { title: 'Hall B' }));
    for (const h of [a.id, b.id]) {
      await move(h, 'openHearing');
      await move(h, 'startHearingSession');
    }
    const closing = await Promise.all([a.id, b.id].map((h) => api.gql(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Heard in two halls at once." }) { hearing { status } } }`, { h }, host.token)));
    expect(closing.map((c) => c.errors ?? c.data!.closeHearing.hearing.status)).toEqual(['CLOSED', 'CLOSED']);
    expect([(await status(plans[0])).status, (await status(plans[1])).status]).toEqual(['HEARD', 'HEARD']);
  });

  it('a resident reads the minutes: when the hearing really opened, sat, broke and closed, and every question asked', async () => {
    const t = Date.now();
    const startsAt = new Date(t + 30 * MINUTE).toISOString();
    const endsAt = new Date(t + 180 * MINUTE).toISOString();
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal walkway' }], { startsAt, endsAt }));
    const h = hearing.id;
    const people: Record<string, Account> = {};
    for (const name of ['Arun', 'Busaba', 'Chai']) people[name] = await register(api, { displayName: name });

    // Doors open 20 minutes before the announced start: no reason needed.
    setClock(t + 10 * MINUTE);
    await move(h, 'openHearing');
    for (const person of Object.values(people)) await attend(api, host, h, person);
    setClock(t + 35 * MINUTE);
    await move(h, 'startHearingSession');
    const lamps = await askQuestion(api, people.Arun, h, 'Who maintains the lamps?');
    const sundays = await askQuestion(api, people.Busaba, h, 'Can the market open on Sundays?');
    await askQuestion(api, people.Chai, h, 'Will the walkway flood in October?');
    const advert = await askQuestion(api, people.Arun, h, 'Visit my amulet shop in Soi 5');
    await api.ok(`mutation($q: ID!) { upvoteQuestion(input: { questionId: $q }) { question { upvotes } } }`, { q: lamps }, people.Chai.token);
    await api.ok(`mutation($q: ID!) { answerQuestion(input: { questionId: $q, answer: "Yes, from March." }) { question { status } } }`, { q: sundays }, host.token);
    await api.ok(`mutation($q: ID!) { dismissQuestion(input: { questionId: $q, reason: "Advertising" }) { question { status } } }`, { q: advert }, host.token);
    setClock(t + 70 * MINUTE);
    await move(h, 'adjournHearing');
    setClock(t + 85 * MINUTE);
    await move(h, 'resumeHearing');
    setClock(t + 150 * MINUTE);
    await api.ok(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents support the walkway." }) { hearing { id } } }`, { h }, host.token);

    const iso = (minutes: number) => new Date(t + minutes * MINUTE).toISOString();
    const reader = await register(api, { displayName: 'A resident reading later' });
    const md: string = (await api.ok(`query($h: ID!) { minutes(hearingId: $h) { markdown } }`, { h }, reader.token)).minutes.markdown;

    // "Held" gives the times it happened, not the times announced; those are labelled as scheduled. The
    // reader signed up in Thai: Thai labels, times in Bangkok, the Buddhist-era year.
    const field = (key: string) => md.split('\n').find((line) => line.startsWith(`- ${th(key)}:`));
    const held = field('minutes.fields.held')!;
    for (const actual of [iso(10), iso(35), iso(150)]) expect(held).toContain(thaiTime(actual));
    expect(held).not.toContain(thaiTime(startsAt));
    expect(held).not.toContain(thaiTime(endsAt));
    expect(field('minutes.fields.scheduled')).toBe(`- ${th('minutes.fields.scheduled')}: ${th('minutes.range', { from: thaiTime(startsAt), to: thaiTime(endsAt) })}`);
    expect(field('minutes.fields.adjourned')).toBe(`- ${th('minutes.fields.adjourned')}: ${th('minutes.range', { from: thaiTime(iso(70)), to: thaiTime(iso(85)) })}`);

    // Every question asked is in the record: answered, still open at the close, and dismissed, each apart.
    const answered = th('minutes.headings.answered');
    const notAnswered = th('minutes.headings.unanswered');
    expect(section(md, answered)).toContain('Can the market open on Sundays?');
    const open = section(md, notAnswered);
    expect(open.indexOf('Who maintains the lamps?')).toBeGreaterThanOrEqual(0);
    expect(open.indexOf('Who maintains the lamps?')).toBeLessThan(open.indexOf('Will the walkway flood in October?'));
    expect(open).not.toContain('Sundays');
    const dismissed = section(md, th('minutes.headings.dismissed'));
    expect(dismissed).toContain('Visit my amulet shop in Soi 5');
    expect(dismissed).toContain('Advertising');
    for (const other of [answered, notAnswered]) expect(section(md, other)).not.toContain('amulet');

    // The same, as data.
    const { minutes } = await api.ok(MINUTES, { h }, reader.token);
    expect(minutes.markdown).toBe(md);
    expect(minutes).toMatchObject({
      scheduledStartsAt: startsAt,
      scheduledEndsAt: endsAt,
      openedAt: iso(10),
      sessionStartedAt: iso(35),
      closedAt: iso(150),
      openingReason: null,
      adjournments: [{ adjournedAt: iso(70), resumedAt: iso(85) }],
      answeredQuestions: [{ text: 'Can the market open on Sundays?', answer: 'Yes, from March.' }],
      unansweredQuestions: [
        { text: 'Who maintains the lamps?', upvotes: 1, author: { displayName: 'Arun' } },
        { text: 'Will the walkway flood in October?', upvotes: 0, author: { displayName: 'Chai' } },
      ],
      dismissedQuestions: [{ text: 'Visit my amulet shop in Soi 5', answer: 'Advertising' }],
    });
  });

  it('a host who tries to open the doors days before the hearing must say why, and the reason stays on record', async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Budget' }], { startsAt: hoursFromNow(72), endsAt: hoursFromNow(75) }));
    const h = hearing.id;

    const refused = await api.gql(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { id status } } }`, { h }, host.token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.reason', message: expect.stringContaining('หนึ่งชั่วโมง') }] });
    expect((await api.ok(`query($h: ID!) { hearing(id: $h) { status openedAt } }`, { h })).hearing).toEqual({ status: 'SCHEDULED', openedAt: null });
    const blank = await api.gql(`mutation($h: ID!) { openHearing(input: { hearingId: $h, reason: "  " }) { hearing { id } } }`, { h }, host.token);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.reason' }] });

    const reason = 'The hall is a flood shelter from tomorrow: check-in runs this week at the district office.';
    const opened = await api.ok(`mutation($i: OpenHearingInput!) { openHearing(input: $i) { hearing { status openedAt openingReason } } }`, { i: { hearingId: h, reason } }, host.token);
    expect(opened.openHearing.hearing).toEqual({ status: 'OPEN', openedAt: expect.any(String), openingReason: reason });

    // The audit trail has the refusals and the opening, by the host, on this hearing.
    const log = await api.ok(`{ auditLog(filter: { districtCode: "1007", action: "openHearing" }, first: 3) { edges { node { outcome errorCode subject actor { id } } } } }`, {}, host.token);
    expect(log.auditLog.edges.map((e: any) => e.node)).toEqual([
      { outcome: 'SUCCESS', errorCode: null, subject: h, actor: { id: host.id } },
      { outcome: 'REFUSED', errorCode: 'BAD_USER_INPUT', subject: h, actor: { id: host.id } },
      { outcome: 'REFUSED', errorCode: 'BAD_USER_INPUT', subject: h, actor: { id: host.id } },
    ]);

    // And the minutes carry it, with how early the doors opened.
    await move(h, 'startHearingSession');
    await api.ok(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "The budget was read out." }) { hearing { id } } }`, { h }, host.token);
    const { minutes } = await api.ok(MINUTES, { h });
    expect(minutes.openingReason).toBe(reason);
    const md: string = minutes.markdown;
    expect(md).toContain(`- ${th('minutes.fields.openingReason')}: ${reason}`);
    const early = [th('minutes.openedEarly', { span: `${th('minutes.span.hours', { count: 71 })} ${th('minutes.span.minutes', { count: 59 })}` }), th('minutes.openedEarly', { span: th('minutes.span.hours', { count: 72 }) })];
    const held = md.split('\n').find((line) => line.startsWith(`- ${th('minutes.fields.held')}:`))!;
    expect(early.some((text) => held.includes(text))).toBe(true);
  });
});
