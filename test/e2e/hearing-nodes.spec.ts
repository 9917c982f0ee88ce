import { fromGlobalId, toGlobalId } from '../../src/common/relay/global-id';
import { Account, loginAdmin, makeHost, register } from '../support/factories';
import { askQuestion, askToSpeak, attend, endSpeech, giveFloor, hearingInput, moveHearing, registerFor, scheduleHearing } from '../support/hearings';
import { TestServer } from '../support/test-server';

const NODE = `query($id: ID!) { node(id: $id) {
  __typename id
  ... on AgendaItem { title position }
  ... on Registration { status mode }
  ... on SpeakerRequest { requestStatus: status stance }
  ... on Statement { text }
  ... on Question { text questionStatus: status }
} }`;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Every part of a hearing with an id is a node: a kiosk, a screen in the hall or a phone fetches it again with
 * `node(id)`, and sees it exactly when the hearing's own fields would show it.
 */
describe('the parts of a hearing as nodes', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let otherHost: Account;
  let stranger: Account;
  const people = {} as Record<'Arun' | 'Busaba' | 'Chai', Account>;
  let hearingId: string;
  /** Ids as the listing fields and mutations gave them. */
  const ids = {} as Record<'item' | 'arunRegistration' | 'chaiRegistration' | 'queued' | 'withdrawn' | 'done' | 'statement' | 'question' | 'dismissed', string>;

  /** node(id) as `who` sees it (anonymous when no one). */
  const node = async (id: string, who?: Account) => (await api.ok(NODE, { id }, who?.token)).node;

  /** node(id) shows `expected` to `owner`, the district's host and the administrator, and null to everyone else. */
  async function expectSeenOnlyBy(owner: Account, expected: { id: string } & Record<string, unknown>): Promise<void> {
    const callers: [string, Account | undefined, boolean][] = [
      ['owner', owner, true],
      ['host', host, true],
      ['admin', admin, true],
      ['anonymous', undefined, false],
      ['stranger', stranger, false],
      ['another attendee', people.Arun, false],
      ["another district's host", otherHost, false],
    ];
    for (const [who, account, sees] of callers) expect({ who, node: await node(expected.id, account) }).toEqual({ who, node: sees ? expected : null });
  }

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    otherHost = await makeHost(api, admin, '1001');
    stranger = await register(api, { displayName: 'Stranger' });
    for (const name of ['Arun', 'Busaba', 'Chai'] as const) people[name] = await register(api, { displayName: name });

    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal walkway' }, { title: 'Open floor' }], { speakerTimeLimitSeconds: 3600 }));
    hearingId = hearing.id;
    await moveHearing(api, host, hearingId, 'openHearing');
    await attend(api, host, hearingId, people.Arun);
    await attend(api, host, hearingId, people.Busaba);
    // Chai registers but stays home: only she and the hosts see her registration.
    await registerFor(api, people.Chai, hearingId);
    await moveHearing(api, host, hearingId, 'startHearingSession');

    // Arun speaks and his statement is recorded; Busaba asks, withdraws, and asks again.
    ids.done = await askToSpeak(api, people.Arun, hearingId, 'FOR');
    await giveFloor(api, host, hearingId, ids.done);
    await endSpeech(api, host, hearingId);
    ids.withdrawn = await askToSpeak(api, people.Busaba, hearingId, 'AGAINST');
    await api.ok(`mutation($r: ID!) { withdrawSpeakerRequest(input: { speakerRequestId: $r }) { speakerRequest { id } } }`, { r: ids.withdrawn }, people.Busaba.token);
    await askToSpeak(api, people.Busaba, hearingId, 'NEUTRAL');
    await askQuestion(api, people.Arun, hearingId, 'Who maintains the lamps?');
    const advert = await askQuestion(api, people.Busaba, hearingId, 'Visit my amulet shop in Soi 5');
    await api.ok(`mutation($q: ID!) { dismissQuestion(input: { questionId: $q, reason: "Advertising" }) { question { id } } }`, { q: advert }, host.token);

    // The ids, as the listing fields give them.
    const listed = await api.ok(
      `query($h: ID!) { hearing(id: $h) {
        agenda { id }
        statements { id }
        questions(status: OPEN) { id }
        dismissed: questions(status: DISMISSED) { id }
        live { queue { speakerRequestId } }
        registrations { id user { displayName } }
      } }`,
      { h: hearingId },
      host.token,
    );
    const h = listed.hearing;
    ids.item = h.agenda[1].id;
    ids.statement = h.statements[0].id;
    ids.question = h.questions[0].id;
    ids.dismissed = h.dismissed[0].id;
    expect(ids.dismissed).toBe(advert);
    ids.queued = h.live.queue[0].speakerRequestId;
    const registrationOf = (name: string) => h.registrations.find((r: { user: { displayName: string } }) => r.user.displayName === name).id;
    ids.arunRegistration = registrationOf('Arun');
    ids.chaiRegistration = registrationOf('Chai');
    const arunsTurn = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id } } }`, { h: hearingId });
    expect(arunsTurn.hearing.statements).toEqual([{ id: ids.statement }]);
  });
  afterAll(() => api.stop());

  it('gives each part an opaque global id of its own type, and node(id) fetches the same object back', async () => {
    const expected: [keyof typeof ids, string, Record<string, unknown>][] = [
      ['item', 'AgendaItem', { title: 'Open floor', position: 1 }],
      ['statement', 'Statement', { text: '' }],
      ['question', 'Question', { text: 'Who maintains the lamps?', questionStatus: 'OPEN' }],
      ['queued', 'SpeakerRequest', { requestStatus: 'QUEUED', stance: 'NEUTRAL' }],
      ['arunRegistration', 'Registration', { status: 'CONFIRMED', mode: 'IN_PERSON' }],
    ];
    for (const [key, type, fields] of expected) {
      // Opaque (no "Type:" in sight), and of its own type.
      expect(ids[key]).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(() => fromGlobalId(ids[key], type)).not.toThrow();
      expect({ key, node: await node(ids[key], host) }).toEqual({ key, node: { __typename: type, id: ids[key], ...fields } });
    }
  });

  it('shows the agenda, statements, questions (dismissed ones too) and the queue to everyone, signed in or not, as the hearing does', async () => {
    for (const who of [undefined, stranger, otherHost, people.Chai]) {
      expect(await node(ids.item, who)).toMatchObject({ __typename: 'AgendaItem', id: ids.item });
      expect(await node(ids.statement, who)).toMatchObject({ __typename: 'Statement', id: ids.statement });
      expect(await node(ids.question, who)).toMatchObject({ __typename: 'Question', id: ids.question, questionStatus: 'OPEN' });
      expect(await node(ids.dismissed, who)).toMatchObject({ __typename: 'Question', id: ids.dismissed, questionStatus: 'DISMISSED' });
      expect(await node(ids.queued, who)).toMatchObject({ __typename: 'SpeakerRequest', id: ids.queued, requestStatus: 'QUEUED' });
    }
    // A turn taken stays public: its statement is in the record.
    for (const who of [undefined, stranger]) expect(await node(ids.done, who)).toEqual({ __typename: 'SpeakerRequest', id: ids.done, requestStatus: 'DONE', stance: 'FOR' });
  });

  it('shows a registration only to the registrant and the hosts who see Hearing.registrations', async () => {
    await expectSeenOnlyBy(people.Chai, { __typename: 'Registration', id: ids.chaiRegistration, status: 'CONFIRMED', mode: 'IN_PERSON' });
    // The registrant's own view of it has the same id.
    const mine = await api.ok(`query($h: ID!) { hearing(id: $h) { myRegistration { id } } }`, { h: hearingId }, people.Chai.token);
    expect(mine.hearing.myRegistration.id).toBe(ids.chaiRegistration);
    // Hearing.registrations refuses the same callers.
    expect((await api.gql(`query($h: ID!) { hearing(id: $h) { registrations { id } } }`, { h: hearingId }, stranger.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shows a withdrawn request to speak only to its requester and the hosts: no field lists it to anyone else', async () => {
    await expectSeenOnlyBy(people.Busaba, { __typename: 'SpeakerRequest', id: ids.withdrawn, requestStatus: 'WITHDRAWN', stance: 'AGAINST' });
  });

  it('names each id the live state shows for what it identifies, and node(id) fetches that object (the old `id` names stay, deprecated)', async () => {
    const { hearing } = await api.ok(
      `query($h: ID!) { hearing(id: $h) { live {
        currentAgendaItem { agendaItemId id }
        lastStatement { statementId id speaker { userId id } }
        questions { questionId id author { userId } }
        queue { speakerRequestId requestId }
      } } }`,
      { h: hearingId },
    );
    const live = hearing.live;
    expect(live.currentAgendaItem).toEqual({ agendaItemId: expect.any(String), id: live.currentAgendaItem.agendaItemId });
    expect(live.lastStatement).toEqual({ statementId: ids.statement, id: ids.statement, speaker: { userId: people.Arun.id, id: people.Arun.id } });
    expect(live.questions).toEqual([{ questionId: ids.question, id: ids.question, author: { userId: people.Arun.id } }]);
    expect(live.queue).toEqual([{ speakerRequestId: ids.queued, requestId: ids.queued }]);
    expect(await node(live.currentAgendaItem.agendaItemId)).toEqual({ __typename: 'AgendaItem', id: live.currentAgendaItem.agendaItemId, title: 'Canal walkway', position: 0 });
    expect((await node(live.lastStatement.speaker.userId)).__typename).toBe('User');
  });

  it('answers null for a well-formed id of nothing, of each type', async () => {
    for (const type of ['AgendaItem', 'Registration', 'SpeakerRequest', 'Statement', 'Question']) {
      expect({ type, node: await node(toGlobalId(type, NIL_UUID), admin) }).toEqual({ type, node: null });
    }
  });
});
