import { Client } from 'pg';
import { AuditService } from '../../src/audit/audit.service';
import { Account, loginAdmin, makeHost, register, reportInput } from '../support/factories';
import { TestServer } from '../support/test-server';
import { bulkResidents, cast, openRound, roundInput } from '../support/voting';

const LOG = `query($f: AuditFilter, $n: Int) { auditLog(filter: $f, first: $n) { totalCount edges { node { districtCode action subject outcome errorCode requestId chainSeq actor { id } } } } }`;

/** A district's chain once the chainer (which runs every second by itself) has run over everything written so far. */
async function chained(api: TestServer, district: string): Promise<{ valid: boolean; checked: number; firstBrokenSeq: number | null; pending: number }> {
  await api.server.app.get(AuditService).chainer.run();
  return (await api.ok(`query($d: String!) { verifyAuditChain(districtCode: $d) { valid checked firstBrokenSeq pending } }`, { d: district })).verifyAuditChain;
}

describe('audit trail', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let otherHost: Account;

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    otherHost = await makeHost(api, admin, '1001');
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('records every state-changing mutation with actor, action, subject, request id and outcome, refusals included', async () => {
    const author = await register(api, { password: 'a very secret passphrase 1' });
    const created = await api.ok(
      `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`,
      { i: { districtCode: '1007', title: 'ศาลาริมน้ำ', summary: 's', body: 'b', category: 'CULTURE' } },
      author.token,
    );
    const id = created.createProposal.proposal.id;
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, author.token);
    const refused = await api.gql(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Testing the trail" }) { proposal { id } } }`, { id }, author.token);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const log = (await api.ok(LOG, { f: { districtCode: '1007' }, n: 10 }, host.token)).auditLog.edges.map((e: any) => e.node);
    expect(log.slice(0, 3).map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['hideProposal', 'REFUSED', 'FORBIDDEN', id, author.id],
      ['publishProposal', 'SUCCESS', null, id, author.id],
      ['createProposal', 'SUCCESS', null, id, author.id],
    ]);
    expect(log[0].requestId).toEqual(expect.any(String));

    // City-wide actions (registration, sign-in) go to the city chain, without passwords or tokens.
    const city = await db.query(`SELECT row_to_json(a)::text AS row, action FROM audit_entries a WHERE district_code = '0000' AND subject = $1`, [author.id]);
    expect(city.rows.map((r) => r.action)).toContain('register');
    expect(city.rows.length).toBeGreaterThan(0);
    for (const { row } of city.rows) {
      expect(row).not.toContain('a very secret passphrase');
      expect(row).not.toContain(author.refreshToken);
      expect(row).not.toContain(author.token);
    }
  });

  it('records residents’ reports in the trail of the district that owns them, refusals included', async () => {
    const reporter = await register(api);
    const filed = await api.ok(`mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }`, { i: reportInput({ districtCode: '1007' }) }, reporter.token);
    const id = filed.submitReport.report.id;
    const accept = `mutation($id: ID!) { acceptReport(input: { reportId: $id }) { report { id } } }`;
    expect((await api.gql(accept, { id }, otherHost.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.ok(accept, { id }, host.token);
    const log = (await api.ok(LOG, { f: { districtCode: '1007' }, n: 3 }, host.token)).auditLog.edges.map((e: any) => e.node);
    expect(log.map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['acceptReport', 'SUCCESS', null, id, host.id],
      ['acceptReport', 'REFUSED', 'FORBIDDEN', id, otherHost.id],
      ['submitReport', 'SUCCESS', null, id, reporter.id],
    ]);
  });

  it('records announcements in the trail of their district (city-wide ones in the city chain), refusals included', async () => {
    const publish = `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`;
    const content = { kind: 'NOTICE', titleTh: 'ปิดถนนชั่วคราว', bodyTh: 'ปิดถนนเพื่อซ่อมท่อ' };
    const id = (await api.ok(publish, { i: { districtCode: '1007', ...content } }, host.token)).publishAnnouncement.announcement.id;
    const pin = `mutation($id: ID!) { pinAnnouncement(input: { announcementId: $id }) { announcement { id } } }`;
    expect((await api.gql(pin, { id }, otherHost.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.ok(pin, { id }, host.token);
    await api.ok(`mutation($i: EditAnnouncementInput!) { editAnnouncement(input: $i) { announcement { id } } }`, { i: { announcementId: id, ...content, titleTh: 'ปิดถนน (แก้ไข)' } }, host.token);
    await api.ok(`mutation($id: ID!) { withdrawAnnouncement(input: { announcementId: $id, reason: "ผิดพลาด" }) { announcement { id } } }`, { id }, host.token);
    const log = (await api.ok(LOG, { f: { districtCode: '1007' }, n: 5 }, host.token)).auditLog.edges.map((e: any) => e.node);
    expect(log.map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['withdrawAnnouncement', 'SUCCESS', null, id, host.id],
      ['editAnnouncement', 'SUCCESS', null, id, host.id],
      ['pinAnnouncement', 'SUCCESS', null, id, host.id],
      ['pinAnnouncement', 'REFUSED', 'FORBIDDEN', id, otherHost.id],
      ['publishAnnouncement', 'SUCCESS', null, id, host.id],
    ]);
    expect((await api.gql(publish, { i: content }, host.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const city = (await api.ok(publish, { i: content }, admin.token)).publishAnnouncement.announcement.id;
    const cityLog = (await api.ok(LOG, { f: { districtCode: '0000' }, n: 2 }, admin.token)).auditLog.edges.map((e: any) => e.node);
    expect(cityLog.map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['publishAnnouncement', 'SUCCESS', null, city, admin.id],
      ['publishAnnouncement', 'REFUSED', 'FORBIDDEN', null, host.id],
    ]);
  });

  it('records issuing and revoking Open311 keys in the city chain, never the key itself', async () => {
    const issued = (await api.ok(`mutation { issueOpen311Key(input: { name: "Audit app", contact: "dev@app.example" }) { apiKey key { id } } }`, {}, admin.token)).issueOpen311Key;
    const revoke = `mutation($id: ID!) { revokeOpen311Key(input: { open311KeyId: $id }) { key { id } } }`;
    expect((await api.gql(revoke, { id: issued.key.id }, host.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.ok(revoke, { id: issued.key.id }, admin.token);
    const log = (await api.ok(LOG, { f: { districtCode: '0000' }, n: 3 }, admin.token)).auditLog.edges.map((e: any) => e.node);
    expect(log.map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['revokeOpen311Key', 'SUCCESS', null, issued.key.id, admin.id],
      ['revokeOpen311Key', 'REFUSED', 'FORBIDDEN', issued.key.id, host.id],
      ['issueOpen311Key', 'SUCCESS', null, issued.key.id, admin.id],
    ]);
    const rows = await db.query(`SELECT row_to_json(a)::text AS row FROM audit_entries a WHERE action LIKE '%Open311Key'`);
    for (const { row } of rows.rows) expect(row).not.toContain(issued.apiKey);
  });

  it('records a proposal citing reports in the proposal’s district trail, with the proposal as subject, refusals included', async () => {
    const author = await register(api);
    const outsider = await register(api);
    const report = (await api.ok(`mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }`, { i: reportInput({ districtCode: '1001' }) }, outsider.token)).submitReport.report.id;
    const created = await api.ok(
      `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`,
      { i: { districtCode: '1007', title: 'ไฟส่องสว่างริมคลอง', summary: 'ไฟส่องสว่างริมคลอง', body: 'ไฟดับทั้งแนว', category: 'SAFETY' } },
      author.token,
    );
    const id = created.createProposal.proposal.id;
    await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id }, author.token);
    const cite = `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { id } } }`;
    expect((await api.gql(cite, { i: { proposalId: id, reportIds: [report] } }, outsider.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.ok(cite, { i: { proposalId: id, reportIds: [report] } }, author.token);
    await api.ok(`mutation($i: UnciteReportsInput!) { unciteReports(input: $i) { proposal { id } } }`, { i: { proposalId: id, reportIds: [report] } }, author.token);
    const log = (await api.ok(LOG, { f: { districtCode: '1007' }, n: 3 }, host.token)).auditLog.edges.map((e: any) => e.node);
    expect(log.map((e: any) => [e.action, e.outcome, e.errorCode, e.subject, e.actor?.id])).toEqual([
      ['unciteReports', 'SUCCESS', null, id, author.id],
      ['citeReports', 'SUCCESS', null, id, author.id],
      ['citeReports', 'REFUSED', 'FORBIDDEN', id, outsider.id],
    ]);
  });

  it('lets hosts read only their districts’ trails, administrators everything', async () => {
    expect((await api.gql(LOG, { f: { districtCode: '1007' } }, otherHost.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const mine = (await api.ok(LOG, { n: 100 }, otherHost.token)).auditLog.edges.map((e: any) => e.node.districtCode);
    expect(new Set(mine)).toEqual(new Set(mine.length ? ['1001'] : []));
    expect((await api.gql(LOG, {}, (await register(api)).token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(LOG, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const all = (await api.ok(LOG, { n: 100 }, admin.token)).auditLog.edges.map((e: any) => e.node.districtCode);
    expect(all).toEqual(expect.arrayContaining(['0000', '1007']));
  });

  it('lets node(id:) fetch an entry as auditLog shows it: to the hosts of its district and to administrators', async () => {
    const newest = async (district: string) => (await api.ok(`query($d: String) { auditLog(filter: { districtCode: $d }, first: 1) { edges { node { id action } } } }`, { d: district }, admin.token)).auditLog.edges[0].node;
    const entry = await newest('1007'); // at least host's appointment
    const cityEntry = await newest('0000'); // at least the sign-ins
    const query = `query($id: ID!) { node(id: $id) { __typename id ... on AuditEntry { action districtCode } } }`;
    const fetch = async (id: string, token?: string) => (await api.ok(query, { id }, token)).node;
    expect(await fetch(entry.id, host.token)).toEqual({ __typename: 'AuditEntry', id: entry.id, action: entry.action, districtCode: '1007' });
    expect(await fetch(entry.id, admin.token)).toEqual({ __typename: 'AuditEntry', id: entry.id, action: entry.action, districtCode: '1007' });
    expect(await fetch(cityEntry.id, admin.token)).toEqual({ __typename: 'AuditEntry', id: cityEntry.id, action: cityEntry.action, districtCode: '0000' });
    for (const token of [otherHost.token, (await register(api)).token, undefined]) {
      expect(await fetch(entry.id, token)).toBeNull();
      expect(await fetch(cityEntry.id, token)).toBeNull();
    }
    expect(await fetch(cityEntry.id, host.token)).toBeNull();
    // An entry's number in any other shape is not an entry's id.
    for (const id of ['AuditEntry:0', 'AuditEntry:-1', 'AuditEntry:1e3', 'AuditEntry:99999999999999999999']) {
      expect((await api.gql(query, { id: Buffer.from(id).toString('base64url') }, admin.token)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('never names the voter of a ballot, nor its choice', async () => {
    const [voter] = await bulkResidents(api, '1007', 1);
    const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { secret: true }));
    expect((await cast(api, voter, round.id, [round.options[1].id])).errors).toBeUndefined();
    const entries = await db.query(`SELECT row_to_json(a)::text AS row, actor_id FROM audit_entries a WHERE action = 'castBallot'`);
    expect(entries.rows).toHaveLength(1);
    expect(entries.rows[0].actor_id).toBeNull();
    expect(entries.rows[0].row).not.toContain(round.options[1].id);
  });

  it('writes the entry in the transaction of the change: a change rolled back leaves only its refusal', async () => {
    const author = await register(api);
    await db.query(`CREATE OR REPLACE FUNCTION fail_transition() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER fail_transition BEFORE INSERT ON proposal_transitions FOR EACH ROW EXECUTE FUNCTION fail_transition()`);
    try {
      const res = await api.gql(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: 'ล้มเหลว', summary: 's', body: 'b', category: 'OTHER' } }, author.token);
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.query(`DROP TRIGGER fail_transition ON proposal_transitions`);
    }
    const rows = await db.query(`SELECT outcome, error_code FROM audit_entries WHERE action = 'createProposal' AND actor_id = $1`, [Buffer.from(author.id, 'base64url').toString().split(':')[1]]);
    expect(rows.rows).toEqual([{ outcome: 'REFUSED', error_code: 'INTERNAL_SERVER_ERROR' }]);
  });

  it('extends each chain run after run of the chainer, never restarting it', async () => {
    const author = await register(api);
    const propose = (title: string) =>
      api.ok(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title, summary: 's', body: 'b', category: 'OTHER' } }, author.token);
    await propose('ก่อน');
    const before = await chained(api, '1007');
    await propose('หลัง');
    const after = await chained(api, '1007');
    expect(after).toMatchObject({ valid: true, pending: 0 });
    expect(after.checked).toBe(before.checked + 1);
  });

  it('answers each verification from one moment: what it checked and what is pending add up, while the chainer runs', async () => {
    // The chainer's timer waits while entries are written; then it runs while verifications go on,
    // several at once so that on PostgreSQL's many connections some straddle the chainer's commit.
    const chainer = api.server.app.get(AuditService).chainer;
    const author = await register(api);
    const rounds: { total: number; answers: { checked: number; pending: number }[] }[] = [];
    chainer.stop();
    try {
      await chainer.run(); // whatever it had begun ends first
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 5; i++) {
          await api.ok(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: `ร่าง ${round}.${i}`, summary: 's', body: 'b', category: 'OTHER' } }, author.token);
        }
        const total = Number((await db.query(`SELECT count(*) AS n FROM audit_entries WHERE district_code = '1007'`)).rows[0].n);
        const answers: { checked: number; pending: number }[] = [];
        const verify = async () => answers.push((await api.ok(`{ verifyAuditChain(districtCode: "1007") { checked pending } }`)).verifyAuditChain);
        await verify();
        let chaining = true;
        void chainer.run().then(() => (chaining = false));
        while (chaining) await Promise.all([verify(), verify(), verify()]);
        await verify();
        rounds.push({ total, answers });
      }
    } finally {
      chainer.start();
    }
    for (const { total, answers } of rounds) {
      expect(answers[0].pending).toBeGreaterThan(0);
      expect(answers.at(-1)!.pending).toBe(0);
      expect(answers.filter((a) => a.checked + a.pending !== total)).toEqual([]);
    }
  });

  it('chains each district’s entries by hash, so that tampering is detected', async () => {
    const intact = await chained(api, '1007');
    expect(intact).toMatchObject({ valid: true, firstBrokenSeq: null, pending: 0 });
    expect(intact.checked).toBeGreaterThan(3);
    expect((await chained(api, '0000')).valid).toBe(true);
    // Someone with database access rewrites history.
    await db.query(`UPDATE audit_entries SET action = 'nothingHappened' WHERE district_code = '1007' AND chain_seq = 2`);
    const broken = (await api.ok(`{ verifyAuditChain(districtCode: "1007") { valid firstBrokenSeq } }`)).verifyAuditChain;
    expect(broken).toEqual({ valid: false, firstBrokenSeq: 2 });
  });
});
