import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { toGlobalId } from '../../src/common/relay/global-id';
import { DOMAIN_TABLES, tableFingerprint } from '../support/fingerprint';
import {
  Account,
  createProposal,
  createPublishedProposal,
  inviteCoSponsor,
  loginAdmin,
  makeHost,
  makeResident,
  publishProposal,
  register,
  submitReport,
} from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';
import { cast, closeRound, moveRound, openRound, roundInput } from '../support/voting';

const CITE = `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { id relatedReports(first: 20) { totalCount nodes { id } } } } }`;
const UNCITE = `mutation($i: UnciteReportsInput!) { unciteReports(input: $i) { proposal { id relatedReports(first: 20) { totalCount nodes { id } } } } }`;
const CITED_BY = `query($id: ID!) { report(id: $id) { citedBy(first: 10) { totalCount nodes { id status } } } }`;
const INBOX = `{ notifications(first: 50) { edges { node { kind title body proposal { id } actor { id } } } } }`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? 'OK';

/** From reports to a plan: a proposal cites reports, and the people behind them hear how the plan goes. */
describe('reports cited by a proposal', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  /** A host of Pathum Wan (1007), the proposal's district: supports report 3, adopts and completes the plan. */
  let host: Account;
  /** Writes the plan, and supports report 1. */
  let author: Account;
  /** Co-sponsors the plan and reported report 3. */
  let coAuthor: Account;
  /** Reported report 1 (reads English) and report 2 (reads Thai). */
  let reporterA: Account;
  let reporterB: Account;
  /** Said "me too" on reports 1 and 2. */
  let shared: Account;
  /** Has nothing to do with any of it. */
  let outsider: Account;
  let reports: string[];

  const cite = (proposalId: string, reportIds: string[], who?: Account) => api.gql(CITE, { i: { proposalId, reportIds } }, who?.token);
  const citedBy = async (reportId: string, who?: Account) => (await api.ok(CITED_BY, { id: reportId }, who?.token)).report.citedBy;
  const notices = async (who: Account) =>
    (await api.ok(INBOX, {}, who.token)).notifications.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'CITING_PROPOSAL_CHANGED');
  const support = (reportId: string, who: Account) => api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: reportId }, who.token);

  beforeAll(async () => {
    api = await TestServer.start({ env: { REPORTS_PER_HOUR: '1000' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    author = await register(api, { displayName: 'ผู้เขียนแผน', locale: 'th' });
    coAuthor = await register(api, { displayName: 'Co-author', locale: 'en' });
    reporterA = await register(api, { displayName: 'Reporter A', locale: 'en' });
    reporterB = await register(api, { displayName: 'ผู้แจ้ง บี', locale: 'th' });
    shared = await register(api, { displayName: 'ผู้สนับสนุนสองเรื่อง', locale: 'th' });
    outsider = await register(api, { displayName: 'Outsider', locale: 'en' });
    // Reports of two districts: a plan of 1007 may cite a problem reported in 1001 (across the border, or forwarded since).
    reports = [
      await submitReport(api, reporterA, { districtCode: '1001' }),
      await submitReport(api, reporterB, { districtCode: '1007', categoryCode: 'FOOTPATHS', description: 'ทางเท้าหน้าตลาดสามย่านแตกเป็นหลุม' }),
      await submitReport(api, coAuthor, { districtCode: '1001', categoryCode: 'FLOODING_AND_DRAINAGE', description: 'น้ำท่วมขังซอยทุกครั้งที่ฝนตก' }),
    ];
    await support(reports[0], shared);
    await support(reports[1], shared);
    await support(reports[0], author);
    await support(reports[2], host);
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('tells the reporters and supporters of the cited reports when the plan is published, adopted and completed: once each, in their language, never the actor nor the plan’s own', async () => {
    const proposalId = await createProposal(api, author, { districtCode: '1007', title: 'ทางเดินและการระบายน้ำย่านสามย่าน' });
    await inviteCoSponsor(api, author, proposalId, coAuthor);
    await api.ok(`mutation($id: ID!) { respondToCoSponsorInvitation(input: { proposalId: $id, accept: true }) { proposal { id } } }`, { id: proposalId }, coAuthor.token);
    // The author cites two reports, the co-sponsor the third; citing one again changes nothing.
    expect(code(await cite(proposalId, [reports[0], reports[1]], author))).toBe('OK');
    const both = await cite(proposalId, [reports[2], reports[0]], coAuthor);
    expect(both.data!.citeReports.proposal.relatedReports).toEqual({ totalCount: 3, nodes: reports.map((id) => ({ id })) });

    // A draft citing reports shows only to its author and co-sponsors: not to the reporters, a host, or anyone else.
    for (const who of [undefined, reporterA, shared, host, outsider, admin]) expect(await citedBy(reports[0], who)).toEqual({ totalCount: 0, nodes: [] });
    for (const who of [author, coAuthor]) expect(await citedBy(reports[0], who)).toEqual({ totalCount: 1, nodes: [{ id: proposalId, status: 'DRAFT' }] });
    // Nobody is told while it is a draft.
    for (const who of [reporterA, reporterB, shared, host]) expect(await notices(who)).toEqual([]);

    // Published by its author: the people behind the reports hear it, live as well as stored.
    const ws = api.wsClient(shared.token);
    const live = await api.listen(() => new Subscription(ws, `subscription { notifications { kind title proposal { id } } }`));
    await publishProposal(api, author, proposalId);
    const pushed = await live.waitForEvent((e) => e.data?.notifications.kind === 'CITING_PROPOSAL_CHANGED');
    expect(pushed.data!.notifications).toEqual({ kind: 'CITING_PROPOSAL_CHANGED', title: 'แผนที่อ้างถึงเรื่องที่คุณติดตามมีสถานะ “เผยแพร่แล้ว”', proposal: { id: proposalId } });
    live.close();
    await ws.dispose();

    const published = {
      th: { kind: 'CITING_PROPOSAL_CHANGED', title: 'แผนที่อ้างถึงเรื่องที่คุณติดตามมีสถานะ “เผยแพร่แล้ว”', body: 'ข้อเสนอแผนพัฒนาชุมชนที่อ้างถึงเรื่องที่คุณแจ้งหรือสนับสนุนได้เผยแพร่แล้ว คุณอ่าน แสดงความคิดเห็น และสนับสนุนได้', proposal: { id: proposalId }, actor: { id: author.id } },
      en: { kind: 'CITING_PROPOSAL_CHANGED', title: 'A plan citing a report you follow is now “Published”', body: 'A community plan that cites a report you made or support has been published: you can read it, discuss it and endorse it.', proposal: { id: proposalId }, actor: { id: author.id } },
    };
    expect(await notices(reporterA)).toEqual([published.en]);
    expect(await notices(reporterB)).toEqual([published.th]);
    // Behind two of the cited reports, told once.
    expect(await notices(shared)).toEqual([published.th]);
    expect(await notices(host)).toEqual([published.th]);
    // The author (who published it) and the co-author (told as the plan's own, PROPOSAL_STATUS_CHANGED) are not told again.
    expect(await notices(author)).toEqual([]);
    expect(await notices(coAuthor)).toEqual([]);
    expect((await api.ok(INBOX, {}, coAuthor.token)).notifications.edges.map((e: any) => e.node.kind)).toContain('PROPOSAL_STATUS_CHANGED');
    expect(await notices(outsider)).toEqual([]);
    // Published, it shows to everyone on each report it cites.
    for (const id of reports) expect(await citedBy(id)).toEqual({ totalCount: 1, nodes: [{ id: proposalId, status: 'PUBLISHED' }] });

    // Adopted: endorsed to the district's threshold, voted on, certified by the host (who is told nothing of their own act).
    await api.ok(`mutation { setEndorsementThreshold(input: { districtCode: "1007", threshold: 1 }) { district { code } } }`, {}, host.token);
    const voter = await makeResident(api, admin, '1007');
    await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposalId }, voter.token);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ proposalId }, { label: 'ไม่เห็นชอบ' }]));
    expect((await cast(api, voter, round.id, [round.options[0].id])).errors).toBeUndefined();
    await closeRound(api, host, round.id);
    await moveRound(api, host, round.id, 'certifyVotingRound');
    expect((await api.ok(`query($id: ID!) { proposal(id: $id) { status } }`, { id: proposalId })).proposal.status).toBe('ADOPTED');

    const adopted = {
      th: { title: 'แผนที่อ้างถึงเรื่องที่คุณติดตามมีสถานะ “ได้รับการรับรอง”', body: 'สำนักงานเขตรับรองแผนที่อ้างถึงเรื่องที่คุณแจ้งหรือสนับสนุนแล้ว และจะติดตามความคืบหน้าจนแล้วเสร็จ' },
      en: { title: 'A plan citing a report you follow is now “Adopted”', body: 'The district adopted a plan that cites a report you made or support; its progress will be reported until it is done.' },
    };
    const latest = async (who: Account) => (await notices(who)).map((n: any) => ({ title: n.title, body: n.body }));
    expect(await latest(reporterA)).toEqual([adopted.en, { title: published.en.title, body: published.en.body }]);
    expect(await latest(reporterB)).toEqual([adopted.th, { title: published.th.title, body: published.th.body }]);
    expect(await latest(shared)).toEqual([adopted.th, { title: published.th.title, body: published.th.body }]);
    expect(await notices(host)).toHaveLength(1);
    for (const who of [author, coAuthor, outsider, voter]) expect(await notices(who)).toEqual([]);

    // Completed: the host's progress report at 100% starts the work and completes it; only the completion is told.
    await api.ok(`mutation($i: PostProgressUpdateInput!) { postProgressUpdate(input: $i) { proposal { status } } }`, { i: { proposalId, text: 'ปรับปรุงทางเท้าและท่อระบายน้ำแล้วเสร็จ', percent: 100 } }, host.token);
    const completed = {
      th: { title: 'แผนที่อ้างถึงเรื่องที่คุณติดตามมีสถานะ “ดำเนินการแล้วเสร็จ”', body: 'สำนักงานเขตรายงานว่าแผนที่อ้างถึงเรื่องที่คุณแจ้งหรือสนับสนุนดำเนินการแล้วเสร็จ' },
      en: { title: 'A plan citing a report you follow is now “Completed”', body: 'The district reports that a plan citing a report you made or support has been completed.' },
    };
    expect((await latest(reporterA))[0]).toEqual(completed.en);
    for (const who of [reporterA, reporterB, shared]) expect(await notices(who)).toHaveLength(3);
    expect((await latest(reporterB))[0]).toEqual(completed.th);
    expect((await latest(shared))[0]).toEqual(completed.th);
    expect(await notices(host)).toHaveLength(1);
    for (const who of [author, coAuthor, outsider, voter]) expect(await notices(who)).toEqual([]);

    // In the database too: one row per person and step, whatever the number of reports they are behind.
    const rows = await db.query(`SELECT user_id, count(*)::int AS n FROM notifications WHERE kind = 'CITING_PROPOSAL_CHANGED' GROUP BY user_id`);
    expect(rows.rows.map((r) => r.n).sort()).toEqual([1, 3, 3, 3]);

    // Past editing (adopted and on), the citations are final.
    expect(code(await cite(proposalId, [await submitReport(api, outsider)], author))).toBe('ILLEGAL_STATE');
    expect(code(await api.gql(UNCITE, { i: { proposalId, reportIds: [reports[0]] } }, author.token))).toBe('ILLEGAL_STATE');
  });

  describe('who may cite, and what', () => {
    let draft: string;
    let published: string;
    let invitee: Account;

    beforeAll(async () => {
      draft = await createProposal(api, author, { districtCode: '1007', title: 'ไฟส่องสว่างซอยจุฬา 12' });
      published = await createPublishedProposal(api, author, { districtCode: '1007', title: 'ลานกีฬาชุมชนบ้านครัว' });
      invitee = await register(api, { displayName: 'Invited, not yet accepted' });
      await inviteCoSponsor(api, author, published, invitee);
    });

    it('refuses everyone but the author and accepted co-sponsors, and changes nothing when it does', async () => {
      const report = await submitReport(api, outsider);
      const before = JSON.stringify(await tableFingerprint(db, DOMAIN_TABLES));
      expect(code(await cite(published, [report]))).toBe('UNAUTHENTICATED');
      // A draft is NOT_FOUND to those who may not see it; a published plan FORBIDDEN to those who may not edit it.
      expect(code(await cite(draft, [report], outsider))).toBe('NOT_FOUND');
      expect(code(await cite(draft, [report], host))).toBe('NOT_FOUND');
      for (const who of [outsider, reporterA, host, admin, invitee]) expect(code(await cite(published, [report], who))).toBe('FORBIDDEN');
      expect(code(await api.gql(UNCITE, { i: { proposalId: published, reportIds: [report] } }, outsider.token))).toBe('FORBIDDEN');
      expect(JSON.stringify(await tableFingerprint(db, DOMAIN_TABLES))).toBe(before);
      // Those following the proposal see its citations change live.
      const ws = api.wsClient();
      const watcher = await api.listen(
        () => new Subscription(ws, `subscription($id: ID!) { proposalUpdated(proposalId: $id) { kind proposal { id relatedReports { nodes { id } } } } }`, { id: published }),
      );
      expect(code(await cite(published, [report], author))).toBe('OK');
      const event = await watcher.waitForEvent((e) => e.data?.proposalUpdated.kind === 'CITATIONS_CHANGED');
      expect(event.data!.proposalUpdated.proposal).toEqual({ id: published, relatedReports: { nodes: [{ id: report }] } });
      watcher.close();
      await ws.dispose();
      expect(await citedBy(report, outsider)).toEqual({ totalCount: 1, nodes: [{ id: published, status: 'PUBLISHED' }] });
    });

    it('answers bad ids with their documented codes and cites none of the list', async () => {
      const good = await submitReport(api, outsider);
      const problem = async (reportIds: string[]) => {
        const res = await cite(draft, reportIds, author);
        return { code: code(res), fields: (res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field) };
      };
      // An id of another type, a malformed one, a repeat, none, too many at once: BAD_USER_INPUT naming each.
      expect(await problem([good, published])).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.reportIds[1]'] });
      expect(await problem(['not-an-id'])).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.reportIds[0]'] });
      expect(await problem([good, good])).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.reportIds[1]'] });
      expect(await problem([])).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.reportIds'] });
      expect(await problem(Array.from({ length: 21 }, () => toGlobalId('Report', randomUUID())))).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.reportIds'] });
      // A report that does not exist: NOT_FOUND, and the good one beside it is not cited either.
      expect(await problem([good, toGlobalId('Report', randomUUID())])).toEqual({ code: 'NOT_FOUND', fields: undefined });
      expect(code(await cite(toGlobalId('Proposal', randomUUID()), [good], author))).toBe('NOT_FOUND');
      expect(code(await cite(good, [good], author))).toBe('BAD_USER_INPUT');
      const read = await api.ok(`query($id: ID!) { proposal(id: $id) { relatedReports { totalCount } } }`, { id: draft }, author.token);
      expect(read.proposal.relatedReports.totalCount).toBe(0);
    });

    it('cites at most 20 reports in all, and stops citing one on request', async () => {
      const many: string[] = [];
      for (let i = 0; i < 21; i++) many.push(await submitReport(api, outsider, { description: `ไฟดับจุดที่ ${i + 1} ริมคลองผดุงกรุงเกษม` }));
      expect(code(await cite(draft, many.slice(0, 20), author))).toBe('OK');
      const over = await cite(draft, [many[20]], author);
      expect(code(over)).toBe('BAD_USER_INPUT');
      expect(over.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'input.reportIds' })]);
      // Citing one already cited is no new citation.
      expect(code(await cite(draft, [many[0]], author))).toBe('OK');

      const dropped = await api.ok(UNCITE, { i: { proposalId: draft, reportIds: [many[0], reports[0]] } }, author.token);
      expect(dropped.unciteReports.proposal.relatedReports.totalCount).toBe(19);
      expect(await citedBy(many[0], author)).toEqual({ totalCount: 0, nodes: [] });
      expect(code(await cite(draft, [many[20]], author))).toBe('OK');
      // Pages through the citations in the order they were made.
      const page = await api.ok(`query($id: ID!) { proposal(id: $id) { relatedReports(first: 5) { pageInfo { hasNextPage } nodes { id } } } }`, { id: draft }, author.token);
      expect(page.proposal.relatedReports).toEqual({ pageInfo: { hasNextPage: true }, nodes: many.slice(1, 6).map((id) => ({ id })) });
    });
  });
});
