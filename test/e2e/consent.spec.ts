import { Client } from 'pg';
import { Account, createProposal, loginAdmin, register, requestResidency, uniqueEmail } from '../support/factories';
import { TestServer } from '../support/test-server';

const PUBLISH = `mutation($i: PublishTermsInput!) { publishTerms(input: $i) { terms { version publishedAt documents { locale url text } publishedBy { id } } } }`;
const ACCEPT = `mutation($v: String!) { acceptTerms(input: { version: $v }) { acceptance { version via acceptedAt } } }`;
const ME = `{ me { id mustAcceptTerms termsAcceptances { version via } } }`;
const REGISTER = `mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }`;

function terms(version: string) {
  return {
    version,
    documents: [
      { locale: 'th', text: `# ข้อกำหนดการใช้งานและประกาศความเป็นส่วนตัว ฉบับ ${version}\n\nเราเก็บข้อมูลเท่าที่จำเป็น` },
      { locale: 'en', url: `https://district.example/terms/${version}` },
    ],
  };
}

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

describe('consent: versions of the terms, accepted at registration and again when they change', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('records who accepted which version, asks again when a new one is published, and refuses changes until then', async () => {
    // Before any terms: nothing to accept, registration records nothing, and a version cannot be claimed.
    expect((await api.ok(`{ currentTerms { version } }`)).currentTerms).toBeNull();
    const early = await register(api, { displayName: 'Early Bird' });
    expect((await api.ok(ME, {}, early.token)).me).toMatchObject({ mustAcceptTerms: false, termsAcceptances: [] });
    const claimed = await api.gql(REGISTER, { i: { email: uniqueEmail(), password: 'correct horse battery staple', displayName: 'Claimer', kind: 'PERSON', acceptedTermsVersion: '2026-12' } });
    expect(code(claimed)).toBe('BAD_USER_INPUT');

    // Only administrators publish.
    const resident = await register(api, { displayName: 'Somsri' });
    expect(code(await api.gql(PUBLISH, { i: terms('2026-12') }, resident.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(PUBLISH, { i: terms('2026-12') }))).toBe('UNAUTHENTICATED');
    const published = (await api.ok(PUBLISH, { i: terms('2026-12') }, admin.token)).publishTerms.terms;
    expect(published).toMatchObject({ version: '2026-12', publishedBy: { id: admin.id } });
    expect(published.documents.map((d: { locale: string }) => d.locale)).toEqual(['th', 'en']);
    expect((await api.ok(`{ currentTerms { version documents { locale url } } }`)).currentTerms.version).toBe('2026-12');
    // A version is published once.
    expect(code(await api.gql(PUBLISH, { i: terms('2026-12') }, admin.token))).toBe('CONFLICT');

    // Accounts from before must accept: they can read, and not change anything, but they can still leave or take their data.
    expect((await api.ok(ME, {}, early.token)).me.mustAcceptTerms).toBe(true);
    expect((await api.ok(`{ proposals(first: 1) { totalCount } }`, {}, early.token)).proposals.totalCount).toBeGreaterThanOrEqual(0);
    const refused = await api.gql(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: 't', summary: 's', body: 'b', category: 'ECONOMY' } }, early.token);
    expect(code(refused)).toBe('TERMS_NOT_ACCEPTED');
    expect(refused.errors![0].message).toContain('acceptTerms');
    expect(code(await api.gql(`mutation { exportMyData(input: {}) { dataExport { status } } }`, {}, early.token))).toBeUndefined();
    // The administrator who published is asked too.
    expect((await api.ok(ME, {}, admin.token)).me.mustAcceptTerms).toBe(true);

    // Unknown versions are not found; the version in force is accepted once, however often it is sent.
    expect(code(await api.gql(ACCEPT, { v: '1999-01' }, early.token))).toBe('NOT_FOUND');
    expect(code(await api.gql(ACCEPT, { v: '2026-12' }))).toBe('UNAUTHENTICATED');
    expect((await api.ok(ACCEPT, { v: '2026-12' }, early.token)).acceptTerms.acceptance).toMatchObject({ version: '2026-12', via: 'ACCEPT_TERMS' });
    await api.ok(ACCEPT, { v: '2026-12' }, early.token);
    expect((await api.ok(ME, {}, early.token)).me).toMatchObject({ mustAcceptTerms: false, termsAcceptances: [{ version: '2026-12', via: 'ACCEPT_TERMS' }] });
    await createProposal(api, early);

    // Registering now records the version in force: when the client names it, and when it says nothing (older clients).
    const named = await api.ok(REGISTER, { i: { email: uniqueEmail(), password: 'correct horse battery staple', displayName: 'Named', kind: 'PERSON', acceptedTermsVersion: '2026-12' } });
    const silent = await register(api, { displayName: 'Silent' });
    expect((await api.ok(ME, {}, named.register.accessToken)).me).toMatchObject({ mustAcceptTerms: false, termsAcceptances: [{ version: '2026-12', via: 'REGISTRATION' }] });
    expect((await api.ok(ME, {}, silent.token)).me.termsAcceptances).toEqual([{ version: '2026-12', via: 'REGISTRATION' }]);
    await requestResidency(api, silent, '1007');

    // A new version: everyone is asked again; the old one can no longer be accepted, nor registered under.
    await api.ok(ACCEPT, { v: '2026-12' }, admin.token);
    await api.ok(PUBLISH, { i: terms('2027-06') }, admin.token);
    expect((await api.ok(ME, {}, early.token)).me.mustAcceptTerms).toBe(true);
    expect(code(await api.gql(ACCEPT, { v: '2026-12' }, early.token))).toBe('CONFLICT');
    const stale = await api.gql(REGISTER, { i: { email: uniqueEmail(), password: 'correct horse battery staple', displayName: 'Stale', kind: 'PERSON', acceptedTermsVersion: '2026-12' } });
    expect(code(stale)).toBe('BAD_USER_INPUT');
    expect(stale.errors![0].extensions!.fields).toEqual([{ field: 'input.acceptedTermsVersion', message: expect.stringContaining('2027-06') }]);
    expect(code(await api.gql(`mutation { markNotificationsRead(input: {}) { changed } }`, {}, silent.token))).toBe('TERMS_NOT_ACCEPTED');
    // Its language and the safety of its account are not held back by the new terms.
    expect((await api.ok(`mutation { updateProfile(input: { locale: en }) { user { locale } } }`, {}, silent.token)).updateProfile.user.locale).toBe('en');
    await api.ok(ACCEPT, { v: '2027-06' }, early.token);
    // The record keeps every acceptance, oldest first.
    expect((await api.ok(ME, {}, early.token)).me.termsAcceptances).toEqual([
      { version: '2026-12', via: 'ACCEPT_TERMS' },
      { version: '2027-06', via: 'ACCEPT_TERMS' },
    ]);

    // Nobody else sees an account's record of consent, administrators included.
    const seen = await api.ok(`query($id: ID!) { node(id: $id) { ... on User { mustAcceptTerms termsAcceptances { version } } } }`, { id: early.id }, admin.token);
    expect(seen.node).toEqual({ mustAcceptTerms: null, termsAcceptances: null });

    // The audit trail has each publication, and the refused attempt.
    const audit = await db.query(`SELECT outcome, error_code FROM audit_entries WHERE action = 'publishTerms' ORDER BY created_at, chain_seq`);
    expect(audit.rows.filter((r) => r.outcome === 'SUCCESS')).toHaveLength(2);
    expect(audit.rows.some((r) => r.error_code === 'FORBIDDEN')).toBe(true);
  });

  it('refuses terms that are not one document per language, each a web address or a text', async () => {
    const bad = [
      { version: 'x1', documents: [{ locale: 'th', text: 'ข้อกำหนด' }] },
      { version: 'x2', documents: [{ locale: 'th', text: 'ข้อกำหนด' }, { locale: 'th', text: 'ซ้ำ' }, { locale: 'en', text: 'Terms' }] },
      { version: 'x3', documents: [{ locale: 'th', text: 'ข้อกำหนด', url: 'https://district.example/t' }, { locale: 'en', text: 'Terms' }] },
      { version: 'x4', documents: [{ locale: 'th', url: 'javascript:alert(1)' }, { locale: 'en', text: 'Terms' }] },
      { version: 'x5', documents: [{ locale: 'th' }, { locale: 'en', text: 'Terms' }] },
      { version: 'two words', documents: terms('y').documents },
      { version: '', documents: terms('y').documents },
    ];
    for (const i of bad) expect([i.version, code(await api.gql(PUBLISH, { i }, admin.token))]).toEqual([i.version, 'BAD_USER_INPUT']);
    expect((await db.query(`SELECT count(*)::int AS n FROM terms_versions WHERE version LIKE 'x%' OR version = 'two words'`)).rows[0].n).toBe(0);
  });
});
