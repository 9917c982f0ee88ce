import type { Client as WsClient } from 'graphql-ws';
import { Account, appointHost, createPublishedProposal, endorseProposal, hideProposal, loginAdmin, makeHost, makeResident, register, requestResidency, reviewResidency } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }`;
const MY_RESIDENCY = `subscription { residencyUpdated { status district { code } } }`;
const WATCH_1005 = `subscription { proposalsInDistrictUpdated(districtCode: "1005") { kind proposal { title status } } }`;

/** A signed-in graphql-ws client and how (if) the server closed it. */
function watcher(api: TestServer, token: string): { client: WsClient; closed: Promise<{ code: number; reason: string }>; isClosed: () => boolean } {
  const client = api.wsClient(token);
  let done = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    client.on('closed', (event: any) => {
      done = true;
      resolve({ code: event.code, reason: event.reason });
    }),
  );
  return { client, closed, isClosed: () => done };
}

/** A WebSocket reads who its account is when it connects; what happens to the account later must reach it too. */
describe('open WebSockets follow their account', () => {
  let api: TestServer;
  let admin: Account;
  const clients: WsClient[] = [];
  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await api?.stop();
  });

  it("close when their session signs out or its refresh token is reused, and not the account's other sessions", async () => {
    const person = await register(api, { password: 'one person three devices' });
    const signIn = () => api.ok(LOGIN, { input: { email: person.email, password: 'one person three devices' } }).then((d) => d.login);
    const [tablet, phone] = [await signIn(), await signIn()];
    const [onLaptop, onTablet, onPhone] = [person.token, tablet.accessToken, phone.accessToken].map((token) => watcher(api, token));
    clients.push(onLaptop.client, onTablet.client, onPhone.client);
    const [onPhoneSubscription] = await api.listen(() => [onPhone, onLaptop, onTablet].map((w) => new Subscription(w.client, MY_RESIDENCY)));

    // Signed out on the laptop (a shared computer at the district office): its socket closes at once.
    await api.ok(`mutation { logout(input: {}) { ended } }`, {}, person.token);
    expect(await onLaptop.closed).toEqual({ code: 4401, reason: 'Unauthorized: this session has ended' });

    // The tablet's refresh token is used twice: that session ends, and so does its socket.
    await api.ok(REFRESH, { t: tablet.refreshToken });
    expect((await api.gql(REFRESH, { t: tablet.refreshToken })).errors?.[0].extensions?.code).toBe('TOKEN_REUSED');
    expect(await onTablet.closed).toEqual({ code: 4401, reason: 'Unauthorized: this session has ended' });

    // The phone's session goes on: it hears its residency approved.
    expect(onPhone.isClosed()).toBe(false);
    await reviewResidency(api, admin, await requestResidency(api, { ...person, token: phone.accessToken }, '1005'), 'APPROVE');
    expect((await onPhoneSubscription.waitFor(1))[0].data).toEqual({ residencyUpdated: { status: 'APPROVED', district: { code: '1005' } } });
    expect(onPhone.isClosed()).toBe(false);
  });

  it('stop showing a removed host what hosts see, and start showing a new host, without reconnecting', async () => {
    const author = await makeResident(api, admin, '1005');
    const reader = await makeResident(api, admin, '1005');
    const host = await makeHost(api, admin, '1005');
    const colleague = await makeHost(api, admin, '1005');
    const newcomer = await register(api, { displayName: 'Host to be' });
    const sockets = [host, colleague, newcomer].map((account) => watcher(api, account.token));
    clients.push(...sockets.map((s) => s.client));
    const [asHost, asColleague, asNewcomer] = await api.listen(() => sockets.map((s) => new Subscription(s.client, WATCH_1005)));
    const hiddenEvents = (s: Subscription) => s.events.filter((e) => e.data?.proposalsInDistrictUpdated.proposal.status === 'HIDDEN').map((e) => e.data!.proposalsInDistrictUpdated.proposal.title);

    // A hidden proposal's updates reach the district's hosts only.
    const first = await createPublishedProposal(api, author, { districtCode: '1005', title: 'Soi 5 drainage, hidden first' });
    await hideProposal(api, admin, first);
    await asColleague.waitForEvent((e) => e.data?.proposalsInDistrictUpdated.proposal.title === 'Soi 5 drainage, hidden first' && e.data.proposalsInDistrictUpdated.proposal.status === 'HIDDEN');
    await asHost.waitForEvent((e) => e.data?.proposalsInDistrictUpdated.proposal.status === 'HIDDEN');

    // The host's appointment ends; the newcomer's begins. Neither reconnects.
    await api.ok(`mutation($u: ID!, $d: String!) { removeHost(input: { userId: $u, districtCode: $d }) { user { id } } }`, { u: host.id, d: '1005' }, admin.token);
    await appointHost(api, admin, newcomer, '1005');

    const second = await createPublishedProposal(api, author, { districtCode: '1005', title: 'Canal path, hidden second' });
    await hideProposal(api, admin, second);
    await asColleague.waitForEvent((e) => e.data?.proposalsInDistrictUpdated.proposal.title === 'Canal path, hidden second' && e.data.proposalsInDistrictUpdated.proposal.status === 'HIDDEN');
    await asNewcomer.waitForEvent((e) => e.data?.proposalsInDistrictUpdated.proposal.title === 'Canal path, hidden second' && e.data.proposalsInDistrictUpdated.proposal.status === 'HIDDEN');
    // A public event after it reaches everyone: the former host's socket is open, and heard nothing hidden in between.
    await endorseProposal(api, reader, await createPublishedProposal(api, author, { districtCode: '1005', title: 'Shaded bus stops' }));
    await asHost.waitForEvent((e) => e.data?.proposalsInDistrictUpdated.proposal.title === 'Shaded bus stops' && e.data.proposalsInDistrictUpdated.kind === 'ENDORSEMENTS_CHANGED');
    expect(hiddenEvents(asHost)).toEqual(['Soi 5 drainage, hidden first']);
    expect(hiddenEvents(asNewcomer)).toEqual(['Canal path, hidden second']);
    expect(sockets.map((s) => s.isClosed())).toEqual([false, false, false]);
  });
});
