import { createPublishedProposal, endorseProposal, loginAdmin, makeResident, register } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

type Update = { proposalUpdated: { kind: string; proposal: { title: string; endorsementCount: number; viewerHasEndorsed: boolean } } };
const WATCH = `subscription { proposalUpdated(districtCode: "1007") { kind proposal { title endorsementCount viewerHasEndorsed } } }`;

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
    expect(asEndorser.events[0].data?.proposalUpdated.proposal).toEqual({ title: 'Night market lighting', endorsementCount: 1, viewerHasEndorsed: true });
    expect(asBystander.events[0].data?.proposalUpdated.proposal).toEqual({ title: 'Night market lighting', endorsementCount: 1, viewerHasEndorsed: false });

    const guests = Array.from({ length: 20 }, () => api.wsClient());
    const anonymous = await api.listen(() => guests.map((client) => new Subscription<Update>(client, WATCH)));
    const twentyMore = await api.countQueries(async () => {
      await endorseProposal(api, second, proposalId);
      await Promise.all([asEndorser, asBystander].map((s) => s.waitFor(2)));
      await Promise.all(anonymous.map((s) => s.waitFor(1)));
    });
    expect(asEndorser.events[1].data?.proposalUpdated.proposal).toMatchObject({ endorsementCount: 2, viewerHasEndorsed: true });
    expect(asBystander.events[1].data?.proposalUpdated.proposal).toMatchObject({ endorsementCount: 2, viewerHasEndorsed: false });
    for (const s of anonymous) expect(s.events[0]).toEqual(asBystander.events[1]);
    // Executed once for the twenty guests together, not once each (each execution reads the database).
    expect(twentyMore - twoWatching).toBeLessThanOrEqual(5);

    for (const s of [asEndorser, asBystander, ...anonymous]) s.close();
    await Promise.all([...residents, ...guests].map((c) => c.dispose()));
  });
});
