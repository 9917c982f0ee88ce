import request from 'supertest';
import { Clock } from '../../src/common/clock/clock';
import { formatDate } from '../../src/i18n/dates';
import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { Account, loginAdmin, makeHost, register, uniqueEmail } from '../support/factories';
import { askQuestion, askToSpeak, attend, endSpeech, giveFloor, hearingInput, scheduleHearing } from '../support/hearings';
import { TestServer } from '../support/test-server';

/**
 * The minutes in the reader's language (README, "Minutes"): a Thai officer reads Thai minutes, Bangkok
 * times and the Buddhist-era year; an English reader reads the same record in English.
 */

const MINUTE = 60_000;
// Tomorrow, 00:00 UTC: the hearing sits in the Bangkok morning, 02:30 UTC being 09:30 there.
const DAY = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
const utc = (hhmm: string) => DAY + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MINUTE;

describe('minutes in the reader’s language', () => {
  let api: TestServer;
  let officer: Account;
  let english: Account;
  let hearingId: string;
  const MD = `query($h: ID!) { minutes(hearingId: $h) { markdown statements { startedAt text speaker { displayName } } } }`;

  async function registerReading(locale: 'th' | 'en', displayName: string): Promise<Account> {
    const email = uniqueEmail(locale);
    const data = await api.ok(`mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }`, {
      input: { email, password: 'correct horse battery staple', displayName, kind: 'PERSON', locale },
    });
    return { id: data.register.user.id, email, token: data.register.accessToken, refreshToken: data.register.refreshToken };
  }

  beforeAll(async () => {
    api = await TestServer.start({ env: { ACCESS_TOKEN_TTL: '86400' } });
    const clock = api.server.app.get(Clock);
    let now = utc('01:00');
    clock.now = () => new Date(now);
    const admin = await loginAdmin(api);
    // The host of Pathum Wan: a district officer, signed up in Thai.
    officer = await makeHost(api, admin, '1007');
    english = await registerReading('en', 'A visitor reading in English');
    const speaker = await register(api, { displayName: 'สมชาย ใจดี' });
    const asker = await register(api, { displayName: 'Busaba' });

    const hearing = await scheduleHearing(
      api,
      officer,
      hearingInput('1007', [{ title: 'ทางเดินริมคลอง' }], {
        startsAt: new Date(utc('01:30')).toISOString(),
        endsAt: new Date(utc('05:00')).toISOString(),
        // Longer than the two minutes spoken: the sweeper (real timers, the test's clock) must not end the speech first.
        speakerTimeLimitSeconds: 600,
      }),
    );
    hearingId = hearing.id;
    const move = (mutation: string, extra = '') => api.ok(`mutation($h: ID!) { ${mutation}(input: { hearingId: $h${extra} }) { hearing { status } } }`, { h: hearingId }, officer.token);
    now = utc('01:20');
    await move('openHearing');
    await attend(api, officer, hearingId, speaker);
    await attend(api, officer, hearingId, asker);
    now = utc('02:00');
    await move('startHearingSession');
    await askQuestion(api, asker, hearingId, 'ใครดูแลไฟส่องสว่าง?');
    await askToSpeak(api, speaker, hearingId, 'AGAINST');
    now = utc('02:30');
    await giveFloor(api, officer, hearingId);
    now = utc('02:32');
    await endSpeech(api, speaker, hearingId);
    const statementId = (await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id } } }`, { h: hearingId })).hearing.statements[0].id;
    await api.ok(`mutation($i: RecordStatementInput!) { recordStatement(input: $i) { statement { id } } }`, { i: { statementId, text: 'ขอให้ติดไฟก่อนฤดูฝน' } }, officer.token);
    now = utc('03:00');
    await move('closeHearing', ', summary: "ที่ประชุมเห็นชอบ"');
  });
  afterAll(() => api.stop());

  it('a Thai officer reads Thai minutes: Thai headings and stances, Bangkok times, the Buddhist-era year', async () => {
    const { minutes } = await api.ok(MD, { h: hearingId }, officer.token);
    // The record keeps the moment in UTC (RFC 3339); the minutes say it as Bangkok does.
    expect(minutes.statements[0].startedAt).toBe(new Date(utc('02:30')).toISOString());
    const md: string = minutes.markdown;
    expect(md).toContain('# รายงานการประชุม: เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน');
    expect(md).toContain('- **สมชาย ใจดี** [ไม่เห็นด้วย], 09:30–09:32 น.: ขอให้ติดไฟก่อนฤดูฝน');
    const thaiDay = formatDate(Locale.th, new Date(utc('02:30')));
    expect(thaiDay).toMatch(/^\d{1,2} \S+ 25\d\d$/);
    expect(md).toContain(`เริ่มประชุม ${thaiDay} เวลา 09:00 น.`);
    expect(md).toContain(`ปิดประชุม ${thaiDay} เวลา 10:00 น.`);
    expect(md).toContain('- เขต: ปทุมวัน\n');
    expect(md).toContain('## คำถามที่ยังไม่ได้รับคำตอบ\n\n- ใครดูแลไฟส่องสว่าง? (0 เสียงสนับสนุน ถามโดย Busaba)');
    expect(md).not.toMatch(/UTC|AGAINST|Minutes|Statements|\b20\d\d\b/);
  });

  it('an English reader reads the same record in English', async () => {
    const thai: string = (await api.ok(MD, { h: hearingId }, officer.token)).minutes.markdown;
    const { minutes } = await api.ok(MD, { h: hearingId }, english.token);
    const md: string = minutes.markdown;
    expect(md).toContain('# Minutes: เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน');
    expect(md).toContain('- **สมชาย ใจดี** [Against], 09:30–09:32: ขอให้ติดไฟก่อนฤดูฝน');
    expect(md).toContain(`session started ${formatDate(Locale.en, new Date(utc('02:00')))} at 09:00`);
    expect(md).toContain('- District: Pathum Wan\n');
    expect(md).not.toMatch(/ไม่เห็นด้วย|รายงานการประชุม| เวลา /);
    // The content is the same: who spoke, what they said, what was asked, the summary.
    for (const kept of ['สมชาย ใจดี', 'ขอให้ติดไฟก่อนฤดูฝน', 'ใครดูแลไฟส่องสว่าง?', 'Busaba', 'ที่ประชุมเห็นชอบ', 'ทางเดินริมคลอง']) {
      expect(thai).toContain(kept);
      expect(md).toContain(kept);
    }
    expect(md.split('\n')).toHaveLength(thai.split('\n').length);
  });

  it("the language is the reader's: an account's over the header, the header without an account, Thai without either", async () => {
    const ask = (headers: Record<string, string>) =>
      request(api.http).post('/graphql').set('content-type', 'application/json').set(headers).send({ query: MD, variables: { h: hearingId } }).then((r) => r.body.data.minutes.markdown as string);
    expect(await ask({})).toMatch(/^# รายงานการประชุม:/);
    expect(await ask({ 'accept-language': 'en-GB,en;q=0.9' })).toMatch(/^# Minutes:/);
    expect(await ask({ 'accept-language': 'en', authorization: `Bearer ${officer.token}` })).toMatch(/^# รายงานการประชุม:/);
    expect(await ask({ 'accept-language': 'th', authorization: `Bearer ${english.token}` })).toMatch(/^# Minutes:/);
  });

  describe('GET /hearings/<id>/minutes.md', () => {
    const download = (path: string, headers: Record<string, string> = {}) => request(api.http).get(path).set(headers);

    it('gives the same document as a file, in Thai by default, named in ASCII and in UTF-8', async () => {
      const res = await download(`/hearings/${hearingId}/minutes.md`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(res.headers['content-language']).toBe('th');
      expect(res.headers.vary).toMatch(/Accept-Language/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="hearing-${hearingId}-minutes.md"; filename*=UTF-8''${encodeURIComponent(`รายงานการประชุม-${hearingId}.md`)}`);
      expect(res.text).toBe((await api.ok(MD, { h: hearingId })).minutes.markdown);
      expect(res.text).toContain('09:30–09:32 น.');
    });

    it('in English for ?lang=en or Accept-Language, and in the account’s language before either', async () => {
      expect((await download(`/hearings/${hearingId}/minutes.md?lang=en`)).text).toMatch(/^# Minutes:/);
      expect((await download(`/hearings/${hearingId}/minutes.md`, { 'accept-language': 'en' })).text).toMatch(/^# Minutes:/);
      expect((await download(`/hearings/${hearingId}/minutes.md?lang=th`, { 'accept-language': 'en' })).text).toMatch(/^# รายงานการประชุม:/);
      expect((await download(`/hearings/${hearingId}/minutes.md?lang=fr`, { 'accept-language': 'en' })).text).toMatch(/^# Minutes:/);
      const officers = await download(`/hearings/${hearingId}/minutes.md?lang=en`, { authorization: `Bearer ${officer.token}` });
      expect(officers.text).toMatch(/^# รายงานการประชุม:/);
      const visitors = await download(`/hearings/${hearingId}/minutes.md`, { authorization: `Bearer ${english.token}` });
      expect(visitors.headers['content-disposition']).toContain(`filename*=UTF-8''minutes-${hearingId}.md`);
      // A token that signs nobody in does not hide public minutes: it only says nothing about the language.
      expect((await download(`/hearings/${hearingId}/minutes.md`, { authorization: 'Bearer not-a-token' })).status).toBe(200);
    });

    it('refuses a hearing not closed yet, no hearing, another type’s id and a malformed id, with codes', async () => {
      const open = await scheduleHearing(api, officer, hearingInput('1007', [{ title: 'Budget' }], { startsAt: new Date(utc('06:00')).toISOString(), endsAt: new Date(utc('07:00')).toISOString() }));
      const notClosed = await download(`/hearings/${open.id}/minutes.md`);
      expect(notClosed.status).toBe(409);
      expect(notClosed.body.errors[0].extensions.code).toBe('ILLEGAL_STATE');
      // The refusal is in the reader's language too: the account's, else ?lang=, else Accept-Language, else Thai.
      const notClosedIn = async (headers: Record<string, string>, query = '') => (await download(`/hearings/${open.id}/minutes.md${query}`, headers)).body.errors[0].message;
      expect(notClosed.body.errors[0].message).toBe(t(Locale.th, 'minutes.errors.notClosed'));
      expect(await notClosedIn({ 'accept-language': 'en' })).toBe(t(Locale.en, 'minutes.errors.notClosed'));
      expect(await notClosedIn({}, '?lang=en')).toBe(t(Locale.en, 'minutes.errors.notClosed'));
      expect(await notClosedIn({ 'accept-language': 'en', authorization: `Bearer ${officer.token}` })).toBe(t(Locale.th, 'minutes.errors.notClosed'));
      for (const id of [Buffer.from('Hearing:00000000-0000-4000-8000-000000000000').toString('base64url'), officer.id, 'not-an-id', '%00']) {
        const res = await download(`/hearings/${encodeURIComponent(id)}/minutes.md`);
        expect({ id, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ id, status: 404, code: 'NOT_FOUND' });
      }
    });
  });

  it('names the file in the reader’s language', () => {
    expect(t(Locale.th, 'minutes.file')).toBe('รายงานการประชุม');
    expect(t(Locale.en, 'minutes.file')).toBe('minutes');
  });
});
