import { Clock } from '../../src/common/clock/clock';
import { ReportDeadlineClock } from '../../src/reports/report-deadline-clock.service';
import { Account, loginAdmin, makeHost, PHRA_ATHIT, register, reportInput } from '../support/factories';
import { uploadPhoto } from '../support/images';
import { Subscription, SubscriptionEvent, TestServer } from '../support/test-server';

const HOUR = 3_600_000;
const SUBMIT = `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } similarReports { id } } }`;
/** What the reporter's app shows live: public data, and (asked for, to prove they never come) the staff's private fields. */
const WATCH_REPORT = `subscription($id: ID!) { reportUpdated(reportId: $id) {
  kind report { id status supportCount district { code } rating { rating } caller { name } deadlines { overdue } breaches { kind } history { to photos { id } } } } }`;
/** What a district office's screen shows live. */
const WATCH_QUEUE = `subscription($d: String!) { reportQueueUpdated(districtCode: $d) { kind report { id status caller { name } deadlines { overdue } } } }`;

/**
 * The story of issue 15's "done when", watched live by the reporter and by the queues of both districts.
 *
 * A report filed by staff for a 1555 caller has no account behind it, and only a reporter with an account can
 * rate and reopen. So the story follows Jane's report from the app, into which the district merges the 1555
 * call about the same dark street (the caller is heard, through Jane's report), and which a neighbour supports
 * ("me too") after the server showed him Jane's report as similar to his own. Phra Nakhon then forwards it to
 * Dusit, which misses its deadline to accept it (the clock job marks the breach), accepts it late, resolves it
 * with an "after" photo; Jane rates the work, finds the lights dark again and reopens it.
 */
describe('a report’s story: a 1555 call, a “me too”, a forward, a breach, a resolution with a photo, a rating and a reopen, watched live', () => {
  let api: TestServer;
  let clock: Clock;
  const realNow = () => new Date();
  let phraNakhon: Account;
  let dusit: Account;
  let jane: Account;
  let somchai: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    clock = api.server.app.get(Clock);
    const admin = await loginAdmin(api);
    phraNakhon = await makeHost(api, admin, '1001');
    dusit = await makeHost(api, admin, '1002');
    jane = await register(api, { displayName: 'Jane Resident', locale: 'en' });
    somchai = await register(api, { displayName: 'สมชาย ใจดี' });
  });
  afterAll(async () => {
    clock.now = realNow;
    await api.stop();
  });

  const refresh = async (account: Account) => {
    const { refreshToken } = await api.ok(`mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }`, { t: account.refreshToken });
    Object.assign(account, { token: refreshToken.accessToken, refreshToken: refreshToken.refreshToken });
  };
  const staffStep = (who: Account, mutation: string, input: Record<string, unknown>) =>
    api.ok(`mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { report { id status } } }`, { i: input }, who.token);

  it('runs from the first call to the reopen, and each live subscriber sees every step it may, in order', async () => {
    // The district offices watch their queues.
    const [phraNakhonWs, dusitWs] = [api.wsClient(phraNakhon.token), api.wsClient(dusit.token)];
    const queues = await api.listen(() => ({
      phraNakhon: new Subscription(phraNakhonWs, WATCH_QUEUE, { d: '1001' }),
      dusit: new Subscription(dusitWs, WATCH_QUEUE, { d: '1002' }),
    }));

    /**
     * Waits until each subscriber has heard this many events in all. Each event is resolved when it is delivered,
     * with the report as it is then: the story waits for each step to be heard before taking the next, so that
     * what each subscriber saw of a step is that step.
     */
    let janeWatch: Subscription | undefined;
    const heard = async (jane: number, phraNakhon: number, dusit: number) => {
      await Promise.all([janeWatch?.waitFor(jane), queues.phraNakhon.waitFor(phraNakhon), queues.dusit.waitFor(dusit)]);
    };

    // 1. Jane reports three dark street lights on Phra Athit Road from the app, and follows her report live.
    const main = (await api.ok(SUBMIT, { i: reportInput({ channel: 'APP' }) }, jane.token)).submitReport.report.id;
    const janeWs = api.wsClient(jane.token);
    await heard(0, 1, 0);
    janeWatch = await api.listen(() => new Subscription(janeWs, WATCH_REPORT, { id: main }));

    // 2. A caller rings 1555 about the same lights; Phra Nakhon's staff file the call, and the answer shows Jane's
    //    report as similar: the call is merged into it, so the caller's problem is worked (and counted) once.
    const filed = (
      await api.ok(SUBMIT, { i: reportInput({ channel: 'HOTLINE_1555', caller: { name: 'คุณสมศรี มีสุข', phone: '081-234-5678' }, description: 'ผู้โทรแจ้งว่าไฟถนนหน้าท่าเรือพระอาทิตย์ดับ' }) }, phraNakhon.token)
    ).submitReport;
    expect(filed.similarReports.map((r: any) => r.id)).toEqual([main]);
    const call = filed.report.id;
    await heard(0, 2, 0);
    await staffStep(phraNakhon, 'mergeReport', { reportId: call, survivorId: main, note: 'สายจาก 1555 เรื่องเดียวกัน' });
    await heard(1, 4, 0);

    // 3. Somchai, a neighbour, reports the same from his phone; seeing Jane's report among the similar ones, he says
    //    "me too" on it, and the staff merge his duplicate: he follows Jane's report from now on.
    const his = (await api.ok(SUBMIT, { i: reportInput({ place: { latitude: PHRA_ATHIT.latitude + 0.0001, longitude: PHRA_ATHIT.longitude } }) }, somchai.token)).submitReport;
    expect(his.similarReports.map((r: any) => r.id)).toEqual([main]);
    await heard(1, 5, 0);
    expect((await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { supportCount } } }`, { id: main }, somchai.token)).supportReport.report.supportCount).toBe(1);
    await heard(2, 6, 0);
    await staffStep(phraNakhon, 'mergeReport', { reportId: his.report.id, survivorId: main });
    await heard(3, 8, 0);

    // 4. The lights are on Dusit's side of the canal: Phra Nakhon forwards the report, and Dusit's 24 hours to accept begin.
    await staffStep(phraNakhon, 'forwardReport', { reportId: main, toDistrictCode: '1002', note: 'เสาไฟอยู่ฝั่งเขตดุสิต' });
    await heard(4, 9, 1);

    // 5. A day and an hour pass without Dusit accepting it: the deadline clock marks the breach.
    clock.now = () => new Date(realNow().getTime() + 25 * HOUR);
    await api.server.app.get(ReportDeadlineClock).tick();
    await heard(4, 9, 2);
    await Promise.all([refresh(dusit), refresh(jane)]);

    // 6. Dusit accepts it late and resolves it, with a photo of the lit street.
    await staffStep(dusit, 'acceptReport', { reportId: main });
    await heard(5, 9, 3);
    const after = await uploadPhoto(api, dusit.token);
    await staffStep(dusit, 'resolveReport', { reportId: main, note: 'เปลี่ยนหลอดไฟแล้ว', photoIds: [after] });
    await heard(6, 9, 4);

    // 7. Jane rates the work; the next evening the lights are dark again, and she reopens it.
    await api.ok(`mutation($id: ID!) { rateReport(input: { reportId: $id, rating: 2, comment: "Fixed late" }) { report { id } } }`, { id: main }, jane.token);
    await heard(7, 9, 5);
    await api.ok(`mutation($id: ID!) { reopenReport(input: { reportId: $id, reason: "The lights are off again" }) { report { status } } }`, { id: main }, jane.token);

    // Jane heard every step of her report, and nothing only the staff may know: not the breach, not the deadlines,
    // not the caller the staff filed for.
    await heard(8, 9, 6);
    const janeEvents = janeWatch.events;
    const seen = (e: SubscriptionEvent<any>) => [e.data!.reportUpdated.kind, e.data!.reportUpdated.report.status, e.data!.reportUpdated.report.supportCount, e.data!.reportUpdated.report.district.code];
    expect(janeEvents.map(seen)).toEqual([
      ['DUPLICATE_MERGED', 'RECEIVED', 0, '1001'],
      ['SUPPORTED', 'RECEIVED', 1, '1001'],
      ['DUPLICATE_MERGED', 'RECEIVED', 1, '1001'],
      ['FORWARDED', 'RECEIVED', 1, '1002'],
      ['STATUS_CHANGED', 'ACCEPTED', 1, '1002'],
      ['STATUS_CHANGED', 'RESOLVED', 1, '1002'],
      ['RATED', 'RESOLVED', 1, '1002'],
      ['STATUS_CHANGED', 'IN_PROGRESS', 1, '1002'],
    ]);
    for (const event of janeEvents) {
      expect(event.data!.reportUpdated.report).toMatchObject({ id: main, caller: null, deadlines: null, breaches: null });
      expect(event.errors!.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    }
    expect(janeEvents[5].data!.reportUpdated.report.history.at(-1)).toEqual({ to: 'RESOLVED', photos: [{ id: after }] });
    expect(janeEvents[6].data!.reportUpdated.report.rating).toEqual({ rating: 2 });
    expect(JSON.stringify(janeEvents)).not.toContain('สมศรี');

    // Phra Nakhon's queue: the three reports arriving, the two duplicates leaving into Jane's, the "me too", and the
    // forward out, after which the report's deadlines are Dusit's business, not theirs.
    const row = (e: SubscriptionEvent<any>) => [e.data!.reportQueueUpdated.kind, e.data!.reportQueueUpdated.report.id, e.data!.reportQueueUpdated.report.status];
    const phraNakhonEvents = queues.phraNakhon.events;
    expect(phraNakhonEvents.map(row)).toEqual([
      ['NEW', main, 'RECEIVED'],
      ['NEW', call, 'RECEIVED'],
      ['MERGED', call, 'MERGED'],
      ['CHANGED', main, 'RECEIVED'],
      ['NEW', his.report.id, 'RECEIVED'],
      ['CHANGED', main, 'RECEIVED'],
      ['MERGED', his.report.id, 'MERGED'],
      ['CHANGED', main, 'RECEIVED'],
      ['FORWARDED_OUT', main, 'RECEIVED'],
    ]);
    expect(phraNakhonEvents[1].data!.reportQueueUpdated.report.caller).toEqual({ name: 'คุณสมศรี มีสุข' });
    expect(phraNakhonEvents[8].data!.reportQueueUpdated.report.deadlines).toBeNull();

    // Dusit's queue: the report forwarded in, its breach, then each step to the reopen.
    const dusitEvents = queues.dusit.events;
    expect(dusitEvents.map(row)).toEqual([
      ['FORWARDED_IN', main, 'RECEIVED'],
      ['BREACHED', main, 'RECEIVED'],
      ['CHANGED', main, 'ACCEPTED'],
      ['CHANGED', main, 'RESOLVED'],
      ['CHANGED', main, 'RESOLVED'],
      ['CHANGED', main, 'IN_PROGRESS'],
    ]);
    expect(dusitEvents.map((e) => e.data!.reportQueueUpdated.report.deadlines.overdue)).toEqual([false, true, false, false, false, false]);

    // Dusit's staff see the breach on the report; it stays in their queue, worked again after the reopen.
    const report = (await api.ok(`query($id: ID!) { report(id: $id) { status breaches { kind } } }`, { id: main }, dusit.token)).report;
    expect(report).toEqual({ status: 'IN_PROGRESS', breaches: [{ kind: 'ACCEPT' }] });
    expect((await api.ok(`{ reportQueue(districtCode: "1002") { edges { node { id } } } }`, {}, dusit.token)).reportQueue.edges).toEqual([{ node: { id: main } }]);
    await Promise.all([phraNakhonWs.dispose(), dusitWs.dispose(), janeWs.dispose()]);
  });
});
