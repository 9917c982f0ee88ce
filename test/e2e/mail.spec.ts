import { Clock } from '../../src/common/clock/clock';
import { HearingReminders } from '../../src/mail/hearing-reminders';
import { Mailer } from '../../src/mail/mailer';
import { Account, loginAdmin, makeHost, register, requestResidency, reviewResidency } from '../support/factories';
import { hearingInput, hoursFromNow, registerFor, scheduleHearing } from '../support/hearings';
import { Mailbox } from '../support/mailbox';
import { TestServer } from '../support/test-server';

const PROFILE = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { user { id } } }`;

/** Mail people expect: the decision on a residency request and tomorrow's hearing, in their language, each switchable off. */
describe('mail', () => {
  let api: TestServer;
  let mailbox: Mailbox;
  let admin: Account;

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    api = await TestServer.start({ env: { SMTP_URL: mailbox.url } });
    admin = await loginAdmin(api);
  });

  afterAll(async () => {
    await api?.stop();
    await mailbox?.stop();
  });

  const delivered = () => api.server.app.get(Mailer).idle();
  const person = async (locale: 'th' | 'en', preferences: Record<string, boolean> = {}) => {
    const account = await register(api);
    await api.ok(PROFILE, { i: { locale, emailPreferences: preferences } }, account.token);
    return account;
  };

  describe('residency decisions', () => {
    it('tells the person the decision in their language, unless they switched it off', async () => {
      const thai = await person('th');
      const english = await person('en');
      const quiet = await person('th', { residencyDecisions: false });
      await reviewResidency(api, admin, await requestResidency(api, thai, '1007'), 'APPROVE');
      await reviewResidency(api, admin, await requestResidency(api, english, '1007'), 'REJECT', 'The address is outside the district.');
      await reviewResidency(api, admin, await requestResidency(api, quiet, '1007'), 'APPROVE');
      await delivered();

      const [approved] = mailbox.to(thai.email);
      expect(approved.subject).toBe('ยืนยันการเป็นผู้อยู่อาศัยในปทุมวันแล้ว');
      expect(approved.text).toContain('สำนักงานเขตได้ยืนยัน');
      const [rejected] = mailbox.to(english.email);
      expect(rejected.subject).toBe('Your residency request for Pathum Wan was not approved');
      expect(rejected.text).toContain('The address is outside the district.');
      expect(mailbox.to(quiet.email)).toEqual([]);
    });
  });

  describe('hearing reminders', () => {
    it('reminds each registrant once, the day before, in their language; not a cancelled registration, not when switched off, not twice across instances', async () => {
      const host = await makeHost(api, admin, '1007');
      const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Footpaths on Rama I Road' }], { startsAt: hoursFromNow(30), endsAt: hoursFromNow(33), capacity: 10 }));
      const thai = await person('th');
      const english = await person('en');
      const quiet = await person('th', { hearingReminders: false });
      const cancelled = await person('th');
      for (const registrant of [thai, english, quiet, cancelled]) await registerFor(api, registrant, hearing.id);
      await api.ok(`mutation($h: ID!) { cancelRegistration(input: { hearingId: $h }) { registration { id } } }`, { h: hearing.id }, cancelled.token);

      const reminders = api.server.app.get(HearingReminders);
      const clock = api.server.app.get(Clock);
      const realNow = clock.now.bind(clock);
      try {
        // 30 hours ahead: not yet.
        await reminders.tick();
        expect(mailbox.to(thai.email)).toEqual([]);

        // 7 hours later the hearing is less than a day away.
        clock.now = () => new Date(realNow().getTime() + 7 * 3600_000);
        await reminders.tick();
        const [thaiMail] = mailbox.to(thai.email);
        expect(thaiMail.subject).toContain('แจ้งเตือน: เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน');
        expect(thaiMail.text).toMatch(/25\d\d เวลา \d\d:\d\d น\./);
        expect(thaiMail.text).toContain('Pathum Wan District Office, Hall 2');
        const [englishMail] = mailbox.to(english.email);
        expect(englishMail.subject).toMatch(/^Reminder: .* at \d\d:\d\d$/);
        expect(englishMail.text).toContain('(Bangkok time)');
        expect(mailbox.to(quiet.email)).toEqual([]);
        expect(mailbox.to(cancelled.email)).toEqual([]);

        // Another pass, and another instance on the same database (as after a restart): nothing more.
        await reminders.tick();
        const other = await TestServer.start({ databaseUrl: api.databaseUrl, env: { SMTP_URL: mailbox.url } });
        try {
          const otherClock = other.server.app.get(Clock);
          otherClock.now = () => new Date(Date.now() + 7 * 3600_000);
          await other.server.app.get(HearingReminders).tick();
        } finally {
          await other.stop();
        }
        expect(mailbox.to(thai.email)).toHaveLength(1);
        expect(mailbox.to(english.email)).toHaveLength(1);
      } finally {
        clock.now = realNow;
      }
    });
  });
});

describe('mail without SMTP_URL', () => {
  it('is written to the log outside production', async () => {
    const lines: string[] = [];
    const api = await TestServer.start({ log: (line) => lines.push(line) });
    try {
      const account = await register(api);
      await api.ok(`mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) { accepted } }`, { i: { email: account.email } });
      await api.server.app.get(Mailer).idle();
      const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.kind === 'password-reset');
      expect(logged.mail).toMatchObject({ to: account.email, subject: 'ตั้งรหัสผ่านใหม่' });
      expect(logged.mail.text).toContain('/reset-password?token=');
    } finally {
      await api.stop();
    }
  });
});
