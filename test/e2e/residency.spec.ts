import { Account, loginAdmin, makeHost, makeResident, register, requestResidency, reviewResidency } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

const RESIDENCY_UPDATED = `subscription { residencyUpdated { id status reviewNote district { code } user { id } reviewedBy { id } } }`;

describe('residency verification', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
  });
  afterAll(() => api.stop());

  it('takes a person from request to verified resident, telling them live over graphql-ws', async () => {
    const somchai = await register(api, { displayName: 'Somchai' });
    const ws = api.wsClient(somchai.token);
    const updates = await api.listen(() => new Subscription(ws, RESIDENCY_UPDATED));

    const residencyId = await requestResidency(api, somchai, '1007', 'Soi Chula 12, community of Ban Bat');
    const pending = await api.ok(
      `query($d: String!) { residencyRequests(districtCode: $d, status: PENDING) { totalCount edges { node { id requestNote user { id displayName } district { code } } } } }`,
      { d: '1007' },
      host.token,
    );
    expect(pending.residencyRequests.edges.map((e: any) => e.node.id)).toContain(residencyId);

    const approved = await reviewResidency(api, host, residencyId, 'APPROVE', 'Address checked against the house registration.');
    expect(approved.errors).toBeUndefined();
    expect(approved.data?.reviewResidency?.residency.status).toBe('APPROVED');

    const [event] = await updates.waitFor(1);
    expect(event.errors).toBeUndefined();
    expect(event.data!.residencyUpdated).toEqual({
      id: residencyId,
      status: 'APPROVED',
      reviewNote: 'Address checked against the house registration.',
      district: { code: '1007' },
      user: { id: somchai.id },
      reviewedBy: { id: host.id },
    });
    const me = await api.ok(`{ me { residentDistrict { code } residency { status } } }`, {}, somchai.token);
    expect(me.me).toEqual({ residentDistrict: { code: '1007' }, residency: { status: 'APPROVED' } });
    updates.close();
    await ws.dispose();
  });

  it('pushes an update only to the person it concerns', async () => {
    const a = await register(api);
    const b = await register(api);
    const wsB = api.wsClient(b.token);
    const wsA = api.wsClient(a.token);
    const [forB, forA] = await api.listen(() => [new Subscription(wsB, RESIDENCY_UPDATED), new Subscription(wsA, RESIDENCY_UPDATED)]);
    const id = await requestResidency(api, a, '1007');
    await reviewResidency(api, host, id, 'REJECT', 'No such address in Pathum Wan.');
    await forA.waitFor(1);
    expect(forA.events[0].data?.residencyUpdated).toMatchObject({ id, status: 'REJECTED' });
    // B's own update comes after A's: had A's reached B, it would have come first.
    const idOfB = await requestResidency(api, b, '1007');
    await reviewResidency(api, host, idOfB, 'REJECT', 'No such address in Pathum Wan.');
    await forB.waitFor(1);
    expect(forB.events.map((e) => e.data?.residencyUpdated.id)).toEqual([idOfB]);
    expect(forA.events).toHaveLength(1);
    forA.close();
    forB.close();
    await wsA.dispose();
    await wsB.dispose();
  });

  it('refuses the subscription to anonymous sockets, and closes sockets with a bad token', async () => {
    const ws = api.wsClient();
    const anonymous = new Subscription(ws, RESIDENCY_UPDATED);
    const [event] = await anonymous.waitFor(1);
    expect(event.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    await ws.dispose();

    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const bad = api.wsClient('not.a.token');
      bad.on('closed', (e: any) => resolve({ code: e.code, reason: e.reason }));
    });
    expect(await closed).toMatchObject({ code: 4401, reason: expect.stringContaining('Unauthorized') });
  });

  it('requires a note to reject, and reviews each request once', async () => {
    const person = await register(api);
    const id = await requestResidency(api, person, '1007');
    const noNote = await reviewResidency(api, host, id, 'REJECT');
    expect(noNote.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'input.note' })] });
    expect((await reviewResidency(api, host, id, 'REJECT', 'Not in this district')).errors).toBeUndefined();
    expect((await reviewResidency(api, host, id, 'APPROVE')).errors?.[0].extensions?.code).toBe('ILLEGAL_STATE');
  });

  it('keeps one open request per person, and moving district supersedes the old residency', async () => {
    const person = await register(api);
    await requestResidency(api, person, '1007');
    const twice = await api.gql(`mutation { requestResidency(input: { districtCode: "1001" }) { residency { id } } }`, {}, person.token);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');

    const resident = await makeResident(api, admin, '1001');
    const again = await api.gql(`mutation { requestResidency(input: { districtCode: "1001" }) { residency { id } } }`, {}, resident.token);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const moveId = await requestResidency(api, resident, '1007', 'Moved to Pathum Wan in October');
    await reviewResidency(api, host, moveId, 'APPROVE');
    const history = await api.ok(`{ me { residentDistrict { code } } }`, {}, resident.token);
    expect(history.me.residentDistrict.code).toBe('1007');
    const old = await api.ok(`query { residencyRequests(districtCode: "1001", status: SUPERSEDED) { edges { node { user { id } } } } }`, {}, admin.token);
    expect(old.residencyRequests.edges.map((e: any) => e.node.user.id)).toContain(resident.id);
  });

  it('lets nobody decide their own residency: a host asking in their own district is reviewed by another host or an administrator', async () => {
    const hostOf1008 = await makeHost(api, admin, '1008');
    const ownId = await requestResidency(api, hostOf1008, '1008', 'I live in Sampanthawong too');
    for (const decision of ['APPROVE', 'REJECT'] as const) {
      const own = await reviewResidency(api, hostOf1008, ownId, decision, 'Looks fine to me');
      expect(own.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const still = await api.ok(`{ me { residentDistrict { code } } }`, {}, hostOf1008.token);
    expect(still.me.residentDistrict).toBeNull();
    // Another host of the district decides it.
    const colleague = await makeHost(api, admin, '1008');
    expect((await reviewResidency(api, colleague, ownId, 'APPROVE', 'Address checked')).data?.reviewResidency?.residency.status).toBe('APPROVED');

    // An administrator's own request goes to a host (or another administrator) too.
    const adminsOwn = await requestResidency(api, admin, '1008');
    expect((await reviewResidency(api, admin, adminsOwn, 'APPROVE')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await reviewResidency(api, colleague, adminsOwn, 'APPROVE')).data?.reviewResidency?.residency.status).toBe('APPROVED');
  });

  it('never makes an organisation a resident', async () => {
    const org = await register(api, { kind: 'ORGANIZATION', displayName: 'Klong Toey Community Foundation' });
    const res = await api.gql(`mutation { requestResidency(input: { districtCode: "1007" }) { residency { id } } }`, {}, org.token);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses unknown and malformed district codes', async () => {
    const person = await register(api);
    expect((await api.gql(`mutation { requestResidency(input: { districtCode: "9999" }) { residency { id } } }`, {}, person.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(`mutation { requestResidency(input: { districtCode: "1' OR 1=1 --" }) { residency { id } } }`, {}, person.token)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const longNote = await api.gql(`mutation($n: String) { requestResidency(input: { districtCode: "1007", note: $n }) { residency { id } } }`, { n: 'ก'.repeat(1001) }, person.token);
    expect(longNote.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
