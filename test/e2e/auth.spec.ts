import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { register, uniqueEmail } from '../support/factories';
import { TEST_AUTH_SECRET, TestServer } from '../support/test-server';
import { send, TRANSPORTS } from '../support/transports';

/** A token signed with the server's real secret, carrying whatever claims an attacker chose. */
function forgedToken(claims: unknown): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${createHmac('sha256', TEST_AUTH_SECRET).update(`${header}.${payload}`).digest('base64url')}`;
}

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id email displayName kind locale isAdmin } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id email } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken user { id } } }`;
const ME = `{ me { id email displayName kind locale isAdmin } }`;

describe('accounts and sessions', () => {
  let api: TestServer;
  let db: Client;
  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  async function countUsers(): Promise<number> {
    return Number((await db.query('SELECT count(*) FROM users')).rows[0].count);
  }

  it('registers a person, who is then signed in and sees their own account', async () => {
    const email = uniqueEmail('Somchai');
    const res = await api.gql(REGISTER, { input: { email, password: 'lotus pond at dawn 77', displayName: 'สมชาย ใจดี', kind: 'PERSON', locale: 'th' } });
    expect(res.errors).toBeUndefined();
    const payload = res.data!.register;
    expect(payload.user).toMatchObject({ email: email.toLowerCase(), displayName: 'สมชาย ใจดี', kind: 'PERSON', locale: 'th', isAdmin: false });
    const me = await api.ok(ME, {}, payload.accessToken);
    expect(me.me.id).toBe(payload.user.id);
    expect(me.me.email).toBe(email.toLowerCase());
  });

  it('stores passwords as argon2id hashes and refresh tokens only as hashes', async () => {
    const account = await register(api, { password: 'a quiet canal in thonburi' });
    const user = (await db.query('SELECT email, password_hash FROM users WHERE email = $1', [account.email])).rows[0];
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.password_hash).not.toContain('a quiet canal');
    const tokens = (await db.query('SELECT token_hash FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1', [account.email])).rows;
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0].token_hash).not.toBe(account.refreshToken);
  });

  it('treats emails as unique whatever their case', async () => {
    const email = uniqueEmail('Nok');
    await register(api, { email });
    const before = await countUsers();
    const res = await api.gql(REGISTER, { input: { email: email.toUpperCase(), password: 'another long passphrase', displayName: 'Nok', kind: 'PERSON' } });
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await countUsers()).toBe(before);
  });

  it('lets exactly one of many simultaneous registrations of one email through', async () => {
    const email = uniqueEmail('race');
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => api.gql(REGISTER, { input: { email, password: 'simultaneous signup 12', displayName: 'Race', kind: 'PERSON' } })),
    );
    expect(attempts.filter((r) => !r.errors)).toHaveLength(1);
    expect(attempts.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(11);
    expect(Number((await db.query('SELECT count(*) FROM users WHERE email = $1', [email])).rows[0].count)).toBe(1);
  });

  it.each([
    ['too short', 'short1!', 'at least 10'],
    ['a common password', 'password123', 'common'],
    ['a single repeated character', 'aaaaaaaaaaaa', 'different characters'],
    ['containing the email', 'kanokwan-secret-2026', 'email'],
    ['too long', 'x'.repeat(60) + 'y'.repeat(69), 'at most 128'],
  ])('refuses a weak password (%s) with BAD_USER_INPUT naming the field, storing nothing', async (_label, password, hint) => {
    const before = await countUsers();
    const res = await api.gql(REGISTER, { input: { email: 'kanokwan@example.org', password, displayName: 'Kanokwan S.', kind: 'PERSON' } }, undefined, { 'accept-language': 'en' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'input.password', message: expect.stringContaining(hint) })]);
    expect(await countUsers()).toBe(before);
  });

  it('refuses malformed registrations, listing every bad field', async () => {
    const before = await countUsers();
    const res = await api.gql(REGISTER, { input: { email: 'not-an-email', password: 'fine passphrase here', displayName: '   ', kind: 'PERSON' } });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = res.errors![0].extensions!.fields!.map((f) => f.field).sort();
    expect(fields).toEqual(['input.displayName', 'input.email']);
    const wrongType = await api.gql(REGISTER, { input: { email: 'x@example.org', password: 12, displayName: 'X', kind: 'ROBOT' } });
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(wrongType.body)).not.toMatch(/\n\s+at /);
    expect(await countUsers()).toBe(before);
  });

  it('signs in with the right password only, with the same answer for an unknown email', async () => {
    const account = await register(api, { password: 'mango sticky rice 4 ever' });
    const ok = await api.gql(LOGIN, { input: { email: account.email.toUpperCase(), password: 'mango sticky rice 4 ever' } });
    expect(ok.data?.login.user.id).toBe(account.id);
    const wrong = await api.gql(LOGIN, { input: { email: account.email, password: 'mango sticky rice 5 ever' } });
    const unknown = await api.gql(LOGIN, { input: { email: 'nobody@example.org', password: 'mango sticky rice 4 ever' } });
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0].message).toBe(unknown.errors?.[0].message);
  });

  it('rotates refresh tokens, and a reused token ends the whole session', async () => {
    const account = await register(api);
    const first = await api.ok(REFRESH, { t: account.refreshToken });
    expect(first.refreshToken.refreshToken).not.toBe(account.refreshToken);
    expect((await api.ok(ME, {}, first.refreshToken.accessToken)).me.id).toBe(account.id);

    const second = await api.ok(REFRESH, { t: first.refreshToken.refreshToken });
    // The first token is presented again: someone else has it. Everything in the family is revoked.
    const reuse = await api.gql(REFRESH, { t: account.refreshToken });
    expect(reuse.errors?.[0].extensions?.code).toBe('TOKEN_REUSED');
    const afterReuse = await api.gql(REFRESH, { t: second.refreshToken.refreshToken });
    expect(afterReuse.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const me = await api.gql(ME, {}, second.refreshToken.accessToken);
    expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('gives one new pair when the same refresh token is sent twice at once, and ends the session', async () => {
    const account = await register(api);
    const results = await Promise.all([api.gql(REFRESH, { t: account.refreshToken }), api.gql(REFRESH, { t: account.refreshToken })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.find((r) => r.errors)!.errors![0].extensions?.code).toBe('TOKEN_REUSED');
  });

  it('logs out: the access token and refresh token of that session stop working, other sessions do not', async () => {
    const account = await register(api, { password: 'two phones one person' });
    const other = await api.ok(LOGIN, { input: { email: account.email, password: 'two phones one person' } });
    const out = await api.ok(`mutation { logout(input: {}) { ended } }`, {}, account.token);
    expect(out.logout.ended).toBe(true);
    expect((await api.gql(ME, {}, account.token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.gql(REFRESH, { t: account.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.ok(ME, {}, other.login.accessToken)).me.id).toBe(account.id);
    // Logging out with only the refresh token (the access token may have expired).
    expect((await api.ok(`mutation($t: String) { logout(input: { refreshToken: $t }) { ended } }`, { t: other.login.refreshToken })).logout.ended).toBe(true);
    expect((await api.gql(ME, {}, other.login.accessToken)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.gql(`mutation { logout(input: {}) { ended } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers anonymous and badly authenticated callers clearly', async () => {
    expect((await api.ok(ME)).me).toBeNull();
    const garbage = await api.gql(ME, {}, 'not.a.token');
    expect(garbage.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const account = await register(api);
    const [h, p] = account.token.split('.');
    const forged = await api.gql(ME, {}, `${h}.${p}.${'A'.repeat(43)}`);
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Public data stays readable with a bad token.
    expect((await api.gql('{ district(code: "1001") { nameEn } }', {}, 'not.a.token')).data?.district.nameEn).toBe('Phra Nakhon');
  });

  it.each(TRANSPORTS)('refuses a token signed with the real secret whose sub or sid is malformed, over %s (UNAUTHENTICATED / close 4401)', async (transport) => {
    const account = await register(api);
    const [, payload] = account.token.split('.');
    const real = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const cases: unknown[] = [
      { ...real, sub: 'not-a-uuid' },
      { ...real, sid: 'x' },
      { ...real, sub: '' },
      { ...real, sid: `${real.sid}\u0000` },
      { ...real, sub: '\ud800' },
      { ...real, sub: 'a'.repeat(4000) },
      { sub: real.sub, sid: "' OR 1=1 --", iat: real.iat, exp: real.exp },
      { ...real, exp: 1e300 },
      null,
      [],
      'just a string',
    ];
    for (const claims of cases) {
      const answer = await send(api, transport, { query: ME, token: forgedToken(claims) });
      const what = JSON.stringify(claims)?.slice(0, 80);
      if (transport === 'http') {
        expect({ what, status: answer.status, code: answer.errors?.[0].extensions?.code }).toEqual({ what, status: 200, code: 'UNAUTHENTICATED' });
      } else {
        expect({ what, code: answer.closed?.code }).toEqual({ what, code: 4401 });
      }
    }
    // The real token, re-signed unchanged, still works: only the claims made the difference.
    expect((await send(api, transport, { query: ME, token: forgedToken(real) })).data?.me.id).toBe(account.id);
  });

  it('takes any text as a password (it is only hashed): NUL or a lone surrogate is a wrong password, not bad input', async () => {
    const account = await register(api);
    for (const password of ['correct horse\u0000battery staple', 'correct horse battery staple\ud800']) {
      const res = await api.gql(LOGIN, { input: { email: account.email, password } });
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('shows email and locale only to the account itself and administrators', async () => {
    const a = await register(api);
    const b = await register(api);
    const seenByOther = await api.ok(`query($id: ID!) { node(id: $id) { ... on User { displayName email locale } } }`, { id: a.id }, b.token);
    expect(seenByOther.node).toEqual({ displayName: 'Somchai Jaidee', email: null, locale: null });
    const seenBySelf = await api.ok(`query($id: ID!) { node(id: $id) { ... on User { email locale } } }`, { id: a.id }, a.token);
    expect(seenBySelf.node).toEqual({ email: a.email, locale: 'th' });
  });
});
