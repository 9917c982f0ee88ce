import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/clock/clock';
import { Mailer } from '../../src/mail/mailer';
import { RetentionService } from '../../src/privacy/retention.service';
import { Account, register, uniqueEmail } from '../support/factories';
import { Mailbox, resetTokenIn } from '../support/mailbox';
import { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a much longer passphrase 42';

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { endedSessions user { id } } }`;
const SESSIONS = `{ mySessions { id createdAt lastUsedAt expiresAt current } }`;
const END = `mutation($i: EndSessionInput!) { endSession(input: $i) { session { id current } } }`;
const PROFILE = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { user { id displayName locale emailPreferences { residencyDecisions hearingReminders } } } }`;
const REQUEST_RESET = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) { accepted } }`;
const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { passwordChanged } }`;

/** Account self-service: password, profile, sessions, and the forgotten password through real SMTP. */
describe('account self-service', () => {
  let api: TestServer;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    api = await TestServer.start({ env: { SMTP_URL: mailbox.url, MAIL_FROM: 'Bangkok Participation <no-reply@participation.example>', PASSWORD_RESET_URL: 'https://app.example/reset' } });
  });

  afterAll(async () => {
    await api?.stop();
    await mailbox?.stop();
  });

  const login = async (email: string, password = PASSWORD) => (await api.ok(LOGIN, { i: { email, password } })).login as { accessToken: string; refreshToken: string };
  const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
  /** Every mail queued so far has reached the SMTP server. */
  const delivered = () => api.server.app.get(Mailer).idle();

  describe('changePassword', () => {
    it('requires the current password, keeps this session and ends every other', async () => {
      const person = await register(api);
      const phone = await login(person.email);

      const wrong = await api.gql(CHANGE, { i: { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD } }, person.token);
      expect(code(wrong)).toBe('FORBIDDEN');
      const weak = await api.gql(CHANGE, { i: { currentPassword: PASSWORD, newPassword: 'short' } }, person.token);
      expect(code(weak)).toBe('BAD_USER_INPUT');
      expect(weak.errors![0].extensions!.fields!.map((f) => f.field)).toEqual(['input.newPassword']);

      const changed = await api.ok(CHANGE, { i: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }, person.token);
      expect(changed.changePassword.endedSessions).toBe(1);
      // The phone's session ended: its refresh token and its access token are refused.
      expect(code(await api.gql(REFRESH, { t: phone.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(SESSIONS, {}, phone.accessToken))).toBe('UNAUTHENTICATED');
      // This one goes on.
      expect((await api.ok(SESSIONS, {}, person.token)).mySessions).toHaveLength(1);
      expect((await api.ok(REFRESH, { t: person.refreshToken })).refreshToken.accessToken).toEqual(expect.any(String));
      expect(code(await api.gql(LOGIN, { i: { email: person.email, password: PASSWORD } }))).toBe('UNAUTHENTICATED');
      await login(person.email, NEW_PASSWORD);
    });

    it('is refused to anonymous callers', async () => {
      expect(code(await api.gql(CHANGE, { i: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }))).toBe('UNAUTHENTICATED');
    });
  });

  describe('sessions', () => {
    it('lists only your own active sessions, marks the current one, and ends one of them', async () => {
      const person = await register(api);
      const laptop = await login(person.email);
      const sessions = (await api.ok(SESSIONS, {}, person.token)).mySessions as { id: string; current: boolean }[];
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);
      const laptopSession = (await api.ok(SESSIONS, {}, laptop.accessToken)).mySessions.find((s: { current: boolean }) => s.current).id;
      expect(sessions.map((s) => s.id)).toContain(laptopSession);

      const ended = await api.ok(END, { i: { sessionId: laptopSession } }, person.token);
      expect(ended.endSession.session).toEqual({ id: laptopSession, current: false });
      expect(code(await api.gql(REFRESH, { t: laptop.refreshToken }))).toBe('UNAUTHENTICATED');
      expect((await api.ok(SESSIONS, {}, person.token)).mySessions).toHaveLength(1);
      // Ending it again: it is no longer there.
      expect(code(await api.gql(END, { i: { sessionId: laptopSession } }, person.token))).toBe('NOT_FOUND');
    });

    it("answers another account's session NOT_FOUND (not FORBIDDEN) and hides it from node()", async () => {
      const owner = await register(api);
      const stranger = await register(api);
      const [session] = (await api.ok(SESSIONS, {}, owner.token)).mySessions;
      expect(code(await api.gql(END, { i: { sessionId: session.id } }, stranger.token))).toBe('NOT_FOUND');
      expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: session.id }, stranger.token)).node).toBeNull();
      expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: session.id }, owner.token)).node).toEqual({ id: session.id });
      // The owner's session still works.
      expect((await api.ok(SESSIONS, {}, owner.token)).mySessions).toHaveLength(1);
      expect(code(await api.gql(END, { i: { sessionId: owner.id } }, stranger.token))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(SESSIONS))).toBe('UNAUTHENTICATED');
    });
  });

  describe('updateProfile', () => {
    it('changes name, language and email preferences; only the account itself reads the preferences', async () => {
      const person = await register(api);
      const updated = await api.ok(PROFILE, { i: { displayName: 'Malee Srisuk', locale: 'en', emailPreferences: { hearingReminders: false } } }, person.token);
      expect(updated.updateProfile.user).toEqual({ id: person.id, displayName: 'Malee Srisuk', locale: 'en', emailPreferences: { residencyDecisions: true, hearingReminders: false } });
      const me = await api.ok(`{ me { displayName emailPreferences { residencyDecisions hearingReminders } } }`, {}, person.token);
      expect(me.me).toEqual({ displayName: 'Malee Srisuk', emailPreferences: { residencyDecisions: true, hearingReminders: false } });
      const stranger = await register(api);
      const seen = await api.ok(`query($id: ID!) { node(id: $id) { ... on User { displayName emailPreferences { hearingReminders } } } }`, { id: person.id }, stranger.token);
      expect(seen.node).toEqual({ displayName: 'Malee Srisuk', emailPreferences: null });
      expect(code(await api.gql(PROFILE, { i: { displayName: '<b>x</b>' } }, person.token))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(PROFILE, { i: { displayName: 'x' } }))).toBe('UNAUTHENTICATED');
    });
  });

  describe('forgotten password', () => {
    const requestReset = async (email: string) => (await api.gql(REQUEST_RESET, { i: { email } })).body;

    it('answers the same for an unknown email and sends it no mail', async () => {
      const person = await register(api);
      const unknown = uniqueEmail('nobody');
      const before = mailbox.received.length;
      const known = await requestReset(person.email);
      const stranger = await requestReset(unknown);
      expect(stranger).toEqual(known);
      expect(known.data).toEqual({ requestPasswordReset: { accepted: true } });
      await delivered();
      expect(mailbox.to(unknown)).toEqual([]);
      expect(mailbox.received.length - before).toBe(1);
      expect(mailbox.to(person.email)).toHaveLength(1);
    });

    it('mails a one-time link in Thai that resets the password and ends every session', async () => {
      const person = await register(api);
      const phone = await login(person.email);
      await requestReset(person.email.toUpperCase());
      await delivered();
      const [mail] = mailbox.to(person.email);
      expect(mail.from).toContain('no-reply@participation.example');
      expect(mail.subject).toBe('ตั้งรหัสผ่านใหม่');
      expect(mail.text).toContain('https://app.example/reset?token=');
      expect(mail.text).toMatch(/พ\.?ศ\.?|25\d\d/);
      const token = resetTokenIn(mail);

      expect(code(await api.gql(RESET, { i: { token, newPassword: 'short' } }))).toBe('BAD_USER_INPUT');
      expect((await api.ok(RESET, { i: { token, newPassword: NEW_PASSWORD } })).resetPassword.passwordChanged).toBe(true);
      for (const session of [person, { refreshToken: phone.refreshToken }]) expect(code(await api.gql(REFRESH, { t: session.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(SESSIONS, {}, person.token))).toBe('UNAUTHENTICATED');
      await login(person.email, NEW_PASSWORD);

      // Used once: the same token again is refused.
      const reused = await api.gql(RESET, { i: { token, newPassword: 'yet another passphrase 7' } });
      expect(code(reused)).toBe('UNAUTHENTICATED');
      await login(person.email, NEW_PASSWORD);
    });

    it('writes the mail in English to an English account', async () => {
      const person = await register(api);
      await api.ok(PROFILE, { i: { locale: 'en' } }, person.token);
      await requestReset(person.email);
      await delivered();
      const [mail] = mailbox.to(person.email);
      expect(mail.subject).toBe('Reset your password');
      expect(mail.text).toMatch(/within 30 minutes/);
    });

    it('refuses an unknown token, an older token after a newer request, and one past 30 minutes, alike', async () => {
      const person = await register(api);
      const refusal = async (token: string) => {
        const res = await api.gql(RESET, { i: { token, newPassword: NEW_PASSWORD } });
        return { code: code(res), message: res.errors?.[0]?.message };
      };
      const unknown = await refusal('x'.repeat(43));
      expect(unknown.code).toBe('UNAUTHENTICATED');

      await requestReset(person.email);
      await delivered();
      await requestReset(person.email);
      await delivered();
      const [older, newer] = mailbox.to(person.email).map(resetTokenIn);
      expect(older).not.toBe(newer);
      expect(await refusal(older)).toEqual(unknown);

      const clock = api.server.app.get(Clock);
      const realNow = clock.now.bind(clock);
      clock.now = () => new Date(realNow().getTime() + 31 * 60_000);
      try {
        expect(await refusal(newer)).toEqual(unknown);
      } finally {
        clock.now = realNow;
      }
      // Within its 30 minutes the newer one works.
      expect((await api.ok(RESET, { i: { token: newer, newPassword: NEW_PASSWORD } })).resetPassword.passwordChanged).toBe(true);
    });

    it('stores only hashes of the tokens, and the retention job deletes the used and expired ones', async () => {
      const person = await register(api);
      await requestReset(person.email);
      await delivered();
      const token = resetTokenIn(mailbox.to(person.email)[0]);
      const { manager } = api.server.app.get(DataSource);
      const tokensOf = (email: string): Promise<{ token_hash: string }[]> =>
        manager.query(`SELECT t.token_hash FROM password_reset_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1`, [email]);
      const rows = await tokensOf(person.email);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).not.toContain(token);
      // Still usable: the job's pass now leaves it.
      const retention = api.server.app.get(RetentionService);
      await retention.purge();
      expect(await tokensOf(person.email)).toHaveLength(1);
      await api.ok(RESET, { i: { token, newPassword: NEW_PASSWORD } });
      const clock = api.server.app.get(Clock);
      const realNow = clock.now.bind(clock);
      clock.now = () => new Date(realNow().getTime() + 60_000);
      try {
        await retention.purge();
      } finally {
        clock.now = realNow;
      }
      expect(retention.lastPass['used or expired password reset tokens']).toBeGreaterThanOrEqual(1);
      expect(await tokensOf(person.email)).toHaveLength(0);
    });

    it('refuses what is not an email address', async () => {
      expect(code(await api.gql(REQUEST_RESET, { i: { email: 'not an email' } }))).toBe('BAD_USER_INPUT');
    });
  });
});

describe('account self-service: rate limits', () => {
  let api: TestServer;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    api = await TestServer.start({ env: { SMTP_URL: mailbox.url, PASSWORD_RESET_LIMIT_PER_EMAIL: '2', PASSWORD_RESET_LIMIT_PER_IP: '4', SIGN_IN_LIMIT_PER_EMAIL: '3' } });
  });

  afterAll(async () => {
    await api?.stop();
    await mailbox?.stop();
  });

  const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

  it('limits reset requests per email (known or not) and per address', async () => {
    const person: Account = await register(api);
    const request = (email: string) => api.gql(REQUEST_RESET, { i: { email } });
    expect(code(await request(person.email))).toBeUndefined();
    expect(code(await request(person.email))).toBeUndefined();
    const limited = await request(person.email);
    expect(code(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfter).toEqual(expect.any(Number));
    // The fourth request from this address, for another email, is still allowed; the fifth is not.
    expect(code(await request(uniqueEmail()))).toBeUndefined();
    expect(code(await request(uniqueEmail()))).toBe('RATE_LIMITED');
    await api.server.app.get(Mailer).idle();
    expect(mailbox.to(person.email)).toHaveLength(2);
  });

  it('counts password changes like sign-ins: guessing the current password is limited', async () => {
    const person = await register(api);
    for (let i = 0; i < 3; i++) expect(code(await api.gql(CHANGE, { i: { currentPassword: `guess number ${i} xx`, newPassword: NEW_PASSWORD } }, person.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(CHANGE, { i: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }, person.token))).toBe('RATE_LIMITED');
  });
});
