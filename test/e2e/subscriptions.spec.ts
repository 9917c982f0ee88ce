import { createProposal, createPublishedProposal, endorseProposal, hideProposal, loginAdmin, makeHost, makeResident, register } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

type Update = { proposalsInDistrictUpdated: { kind: string; proposal: { title: string; endorsementCount: number; viewerHasEndorsed: boolean } } };
const WATCH = `subscription { proposalsInDistrictUpdated(districtCode: "1007") { kind proposal { title endorsementCount viewerHasEndorsed } } }`;

/** How an event becomes each subscriber's message: computed once per question asked, never across viewers. */
describe('subscription events', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api?.stop());

  it('give each viewer their own answer, and cost little more for twenty more watchers asking the same thing', async () => {
    const admin = await loginAdmin(api);
    const author = await register(api);
    const [endorser, bystander, second] = [await makeResident(api, admin, '1007'), await makeResident(api, admin, '1007'), await makeResident(api, admin, '1007')];
    const proposalId = await createPublishedProposal(api, author, { title: 'Night market lighting' });

    const residents = [api.wsClient(endorser.token), api.wsClient(bystander.token)];
    const [asEndorser, asBystander] = await api.listen(() => residents.map((client) => new Subscription<Update>(client, WATCH)));
    const twoWatching = await api.countQueries(async () => {
      await endorseProposal(api, endorser, proposalId);
      await Promise.all([asEndorser, asBystander].map((s) => s.waitFor(1)));
    });
    expect(asEndorser.events[0].data?.proposalsInDistrictUpdated.proposal).toEqual({ title: 'Night market lighting', endorsementCount: 1, viewerHasEndorsed: true });
    expect(asBystander.events[0].data?.proposalsInDistrictUpdated.proposal).toEqual({ title: 'Night market lighting', endorsementCount: 1, viewerHasEndorsed: false });

    const guests = Array.from({ length: 20 }, () => api.wsClient());
    const anonymous = await api.listen(() => guests.map((client) => new Subscription<Update>(client, WATCH)));
    const twentyMore = await api.countQueries(async () => {
      await endorseProposal(api, second, proposalId);
      await Promise.all([asEndorser, asBystander].map((s) => s.waitFor(2)));
      await Promise.all(anonymous.map((s) => s.waitFor(1)));
    });
    expect(asEndorser.events[1].data?.proposalsInDistrictUpdated.proposal).toMatchObject({ endorsementCount: 2, viewerHasEndorsed: true });
    expect(asBystander.events[1].data?.proposalsInDistrictUpdated.proposal).toMatchObject({ endorsementCount: 2, viewerHasEndorsed: false });
    for (const s of anonymous) expect(s.events[0]).toEqual(asBystander.events[1]);
    // Executed once for the twenty guests together, not once each (each execution reads the database).
    expect(twentyMore - twoWatching).toBeLessThanOrEqual(5);

    for (const s of [asEndorser, asBystander, ...anonymous]) s.close();
    await Promise.all([...residents, ...guests].map((c) => c.dispose()));
  });

  it('follow one proposal with proposalUpdated: its changes only, and none while it is hidden from the subscriber', async () => {
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, '1007');
    const author = await makeResident(api, admin, '1007');
    const resident = await makeResident(api, admin, '1007');
    const watched = await createPublishedProposal(api, author, { title: 'Shade trees on Soi 3' });
    const other = await createPublishedProposal(api, author, { title: 'Another plan in the same district' });
    const draft = await createProposal(api, author, { title: 'A draft only its author sees' });
    type One = { proposalUpdated: { kind: string; proposal: { id: string; status: string; endorsementCount: number } } };
    const ONE = `subscription($id: ID!) { proposalUpdated(proposalId: $id) { kind proposal { id status endorsementCount } } }`;
    const clients = { anonymous: api.wsClient(), resident: api.wsClient(resident.token), host: api.wsClient(host.token) };
    const subs = await api.listen(() => ({
      anonymous: new Subscription<One>(clients.anonymous, ONE, { id: watched }),
      resident: new Subscription<One>(clients.resident, ONE, { id: watched }),
      host: new Subscription<One>(clients.host, ONE, { id: watched }),
    }));
    const seen = (s: Subscription<One>) => s.events.map((e) => `${e.data?.proposalUpdated.proposal.id === watched ? 'watched' : 'other'}:${e.data?.proposalUpdated.kind}:${e.data?.proposalUpdated.proposal.status}`);

    // Another proposal's change reaches nobody here; the watched one's reaches everyone who may see it.
    await endorseProposal(api, resident, other);
    await endorseProposal(api, resident, watched);
    await Promise.all(Object.values(subs).map((s) => s.waitFor(1)));
    // Hidden: only who may still see it hears of it; restored: everyone again (events arrive in order, so the
    // restore's arrival shows the hide's did not).
    await hideProposal(api, host, watched);
    await subs.host.waitFor(2);
    await api.ok(`mutation($id: ID!) { restoreProposal(input: { proposalId: $id, reason: "Reviewed" }) { proposal { id } } }`, { id: watched }, host.token);
    await Promise.all([subs.anonymous.waitFor(2), subs.resident.waitFor(2), subs.host.waitFor(3)]);
    expect(seen(subs.host)).toEqual(['watched:ENDORSEMENTS_CHANGED:PUBLISHED', 'watched:STATUS_CHANGED:HIDDEN', 'watched:STATUS_CHANGED:PUBLISHED']);
    for (const s of [subs.anonymous, subs.resident]) expect(seen(s)).toEqual(['watched:ENDORSEMENTS_CHANGED:PUBLISHED', 'watched:STATUS_CHANGED:PUBLISHED']);
    expect(subs.resident.events[0].data?.proposalUpdated.proposal.endorsementCount).toBe(1);

    // A proposal the subscriber may not see is not found, as `proposal(id:)` answers null; a wrong id is bad input.
    const refused = new Subscription(clients.resident, ONE, { id: draft });
    expect((await refused.waitFor(1))[0].errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const wrong = new Subscription(clients.resident, ONE, { id: author.id });
    expect((await wrong.waitFor(1))[0].errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'proposalId' }] });

    for (const s of Object.values(subs)) s.close();
    await Promise.all(Object.values(clients).map((c) => c.dispose()));
  });
});
