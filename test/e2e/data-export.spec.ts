import { Client } from 'pg';
import request from 'supertest';
import { Clock } from '../../src/common/clock/clock';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { DataExportService } from '../../src/privacy/data-export.service';
import { RetentionService } from '../../src/privacy/retention.service';
import { Account, createPublishedProposal, endorseProposal, inviteCoSponsor, loginAdmin, makeHost, makeResident, postComment, register, requestResidency, reviewResidency, submitReport } from '../support/factories';
import { createQuestionnaire } from '../support/questionnaires';
import { askQuestion, attend, hearingInput, moveHearing, scheduleHearing } from '../support/hearings';
import { TestServer } from '../support/test-server';
import { cast, openRound, roundInput } from '../support/voting';

const EXPORT = `mutation { exportMyData(input: {}) { dataExport { id status requestedAt readyAt expiresAt } downloadPath } }`;
const MINE = `{ myDataExports { id status readyAt fetchedAt } }`;

/** Someone who has done a little of everything, with texts of their own to look for. */
interface Person {
  account: Account;
  name: string;
  texts: string[];
  secretReceipt: string;
}

describe('data export: everything held about an account, fetched once', () => {
  let api: TestServer;
  let admin: Account;
  let host: Account;
  let clock: Clock;
  let db: Client;

  beforeAll(async () => {
    // The clock moves days ahead: tokens must outlive it.
    api = await TestServer.start({ env: { ACCESS_TOKEN_TTL: '86400', EXPORT_LINK_HOURS: '1' } });
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    clock = api.server.app.get(Clock);
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  });
  afterEach(() => {
    delete (clock as { now?: unknown }).now;
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  const download = (path: string, token?: string) => {
    const req = request(api.http).get(path);
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  async function exportReady(account: Account): Promise<{ id: string; downloadPath: string }> {
    const asked = (await api.ok(EXPORT, {}, account.token)).exportMyData;
    await api.server.app.get(DataExportService).prepare();
    return { id: asked.dataExport.id, downloadPath: asked.downloadPath };
  }

  it("holds the person's rows, nothing of anyone else's, and no secret choice; the link works once, for its owner", async () => {
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Shade trees' }], { capacity: 10 }));
    await moveHearing(api, host, hearing.id, 'openHearing');
    const secret = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Trees' }, { label: 'Lamps' }], { secret: true, title: 'Secret: trees or lamps' }));
    const open = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Benches' }, { label: 'Bins' }], { secret: false, title: 'Open: benches or bins' }));

    const people: Person[] = [];
    const proposals: string[] = [];
    const reports: string[] = [];
    for (const [name, tag] of [
      ['Anong Rattanakosin', 'alpha'],
      ['Boonmee Srisuk', 'bravo'],
    ]) {
      const account = await register(api, { displayName: name });
      const texts = [`residency note ${tag}`, `proposal title ${tag}`, `comment ${tag} before edit`, `comment ${tag} after edit`, `question ${tag} about the trees`, `report ${tag}: a broken footpath`];
      const residency = await requestResidency(api, account, '1007', texts[0]);
      await reviewResidency(api, host, residency, 'APPROVE');
      proposals.push(await createPublishedProposal(api, account, { title: texts[1] }));
      reports.push(await submitReport(api, account, { description: texts[5] }));
      people.push({ account, name, texts, secretReceipt: '' });
    }
    const [alpha, bravo] = people;
    const [alphaProposal, bravoProposal] = proposals;
    const [alphaReport, bravoReport] = reports;
    for (const [me, other, theirs, theirReport] of [
      [alpha, bravo, bravoProposal, bravoReport],
      [bravo, alpha, alphaProposal, alphaReport],
    ] as const) {
      await api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: theirReport }, me.account.token);
      const comment = await postComment(api, me.account, theirs, { body: me.texts[2] });
      await api.ok(`mutation($i: EditCommentInput!) { editComment(input: $i) { comment { id } } }`, { i: { commentId: comment, body: me.texts[3] } }, me.account.token);
      // A reply to the other's proposal discussion notifies nobody; an invitation to co-sponsor notifies the other.
      await inviteCoSponsor(api, me.account, await createPublishedProposalDraft(me), other.account);
      await endorseProposal(api, me.account, theirs);
      await attend(api, host, hearing.id, me.account);
      await askQuestion(api, me.account, hearing.id, me.texts[4]);
      const ballot = await cast(api, me.account, secret.id, [secret.options[me === alpha ? 0 : 1].id]);
      me.secretReceipt = ballot.data!.castBallot.receipt.receipt;
      await cast(api, me.account, open.id, [open.options[me === alpha ? 0 : 1].id]);
    }

    async function createPublishedProposalDraft(p: Person): Promise<string> {
      return (await api.ok(`mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`, { i: { districtCode: '1007', title: `draft of ${p.name}`, summary: 's', body: 'b', category: 'ECONOMY' } }, p.account.token))
        .createProposal.proposal.id;
    }

    const { id, downloadPath } = await exportReady(alpha.account);
    expect(downloadPath).toMatch(/^\/exports\/[A-Za-z0-9_-]{43}$/);
    expect((await api.ok(`query($id: ID!) { node(id: $id) { ... on DataExport { status readyAt expiresAt } } }`, { id }, alpha.account.token)).node).toMatchObject({ status: 'READY' });

    // Someone else: cannot see it, and their credentials do not open the link (nor use it up).
    expect((await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id }, bravo.account.token)).node).toBeNull();
    expect((await api.ok(MINE, {}, bravo.account.token)).myDataExports).toEqual([]);
    const stolen = await download(downloadPath, bravo.account.token);
    expect(stolen.status).toBe(404);
    expect(stolen.body.errors[0].extensions.code).toBe('NOT_FOUND');

    // The owner (no credentials needed: the link is the key) gets it once, as a named JSON file.
    const res = await download(downloadPath);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?data-export-\d{4}-\d{2}-\d{2}\.json"?$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const text: string = res.text;
    const file = JSON.parse(text);

    const alphaId = fromGlobalId(alpha.account.id, 'User');
    expect(file.userId).toBe(alphaId);
    expect(file.profile).toMatchObject({ id: alphaId, email: alpha.account.email, display_name: alpha.name });
    expect(file.profile.password_hash).toBeUndefined();
    for (const own of alpha.texts) expect(text).toContain(own);
    expect(file.residencyRequests).toHaveLength(1);
    expect(file.proposals.map((p: { title: string }) => p.title).sort()).toEqual([alpha.texts[1], `draft of ${alpha.name}`].sort());
    expect(file.comments).toHaveLength(1);
    expect(file.comments[0]).toMatchObject({ body: alpha.texts[3], edits: [expect.objectContaining({ previous_body: alpha.texts[2] })] });
    expect(file.endorsements).toHaveLength(1);
    expect(file.coSponsorships).toHaveLength(1);
    expect(file.hearingRegistrations).toEqual([expect.objectContaining({ checked_in_at: expect.any(String) })]);
    expect(file.hearingQuestions).toHaveLength(1);
    expect(file.reports).toEqual([expect.objectContaining({ id: fromGlobalId(alphaReport, 'Report'), description: alpha.texts[5] })]);
    expect(file.reportSupports).toEqual([expect.objectContaining({ report_id: fromGlobalId(bravoReport, 'Report') })]);
    expect(file.notifications.map((n: { kind: string }) => n.kind)).toContain('COSPONSOR_INVITATION');
    expect(file.sessions.length).toBeGreaterThan(0);
    expect(file.sessions[0].token_hash).toBeUndefined();
    expect(file.dataExports).toEqual([expect.objectContaining({ status: 'PREPARING' })]);
    // The audit trail records what the person did, but a ballot under nobody's name (README, Audit trail).
    expect(file.auditTrail.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['requestResidency', 'askQuestion', 'editComment']));
    expect(file.auditTrail.map((a: { action: string }) => a.action)).not.toContain('castBallot');

    // Both rounds are listed; only the open round's choice is in it.
    const rounds = Object.fromEntries(file.votingRounds.map((r: { title: string }) => [r.title, r]));
    expect(rounds['Secret: trees or lamps']).toMatchObject({ secret: true, open_ballot: null });
    expect(rounds['Open: benches or bins']).toMatchObject({ secret: false, open_ballot: { choices: [0] } });
    expect(text).not.toContain(alpha.secretReceipt);
    expect(text).not.toContain(fromGlobalId(secret.options[0].id, 'VotingOption'));

    // Nothing of the other person: their id, email, name, texts, receipt.
    const bravoId = fromGlobalId(bravo.account.id, 'User');
    for (const theirs of [bravoId, bravo.account.id, bravo.account.email, bravo.name, bravo.secretReceipt, ...bravo.texts]) expect([theirs, text.includes(theirs)]).toEqual([theirs, false]);

    // Used: a second fetch, by anyone, is 410 with a clear reason; the status says when it was fetched.
    const again = await download(downloadPath);
    expect(again.status).toBe(410);
    expect(again.body.errors[0].extensions.code).toBe('GONE');
    expect(again.body.errors[0].message).toMatch(/already been used|ถูกใช้ไปแล้ว/);
    expect((await api.ok(MINE, {}, alpha.account.token)).myDataExports[0]).toMatchObject({ id, status: 'FETCHED', fetchedAt: expect.any(String) });
    // A made-up link is unknown.
    expect((await download('/exports/' + 'x'.repeat(43))).status).toBe(404);
    expect((await download('/exports/short')).status).toBe(404);
  });

  it('holds the answers of a named questionnaire, and of an anonymous one only that the person took part', async () => {
    const resident = await makeResident(api, admin, '1007');
    const answered: Record<string, string> = {};
    for (const anonymity of ['NAMED', 'ANONYMOUS'] as const) {
      const q = await createQuestionnaire(api, host, '1007', { open: true, anonymity, titleTh: `แบบสอบถาม ${anonymity}` });
      const text = `ความเห็นส่วนตัว ${anonymity} ${Math.random().toString(36).slice(2)}`;
      await api.ok(
        `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) { receipt } }`,
        { i: { questionnaireId: q.id, idempotencyKey: `export-${anonymity}-${Date.now()}`, answers: [{ questionId: q.questionIds[0], optionIds: [q.optionIds[0]] }, { questionId: q.questionIds[2], text }] } },
        resident.token,
      );
      answered[anonymity] = text;
    }
    const res = await download((await exportReady(resident)).downloadPath);
    expect(res.status).toBe(200);
    const file = JSON.parse(res.text);
    const byTitle = Object.fromEntries(file.questionnaires.map((q: { title_th: string }) => [q.title_th, q]));
    expect(byTitle['แบบสอบถาม NAMED']).toMatchObject({ anonymity: 'NAMED', named_response: { answers: expect.arrayContaining([expect.objectContaining({ text_value: answered.NAMED })]) } });
    expect(byTitle['แบบสอบถาม ANONYMOUS']).toMatchObject({ anonymity: 'ANONYMOUS', named_response: null });
    expect(res.text).toContain(answered.NAMED);
    expect(res.text).not.toContain(answered.ANONYMOUS);
  });

  it('expires a link not used in time, and purges finished exports later', async () => {
    const person = await register(api, { displayName: 'Chanida' });
    const { id, downloadPath } = await exportReady(person);
    const readyAt = Date.now();
    clock.now = () => new Date(readyAt + 2 * 3600_000);
    const late = await download(downloadPath);
    expect(late.status).toBe(410);
    expect(late.body.errors[0].message).toMatch(/expired|หมดอายุ/);
    await api.server.app.get(RetentionService).purge();
    expect((await api.ok(`query($id: ID!) { node(id: $id) { ... on DataExport { status } } }`, { id }, person.token)).node).toEqual({ status: 'EXPIRED' });
    // Finished exports are kept 30 days (RETENTION_FINISHED_EXPORTS_DAYS), then go.
    const rows = async () => (await db.query(`SELECT status FROM data_exports WHERE id = $1`, [fromGlobalId(id, 'DataExport')])).rows;
    clock.now = () => new Date(readyAt + 29 * 86_400_000);
    await api.server.app.get(RetentionService).purge();
    expect(await rows()).toEqual([{ status: 'EXPIRED' }]);
    clock.now = () => new Date(readyAt + 32 * 86_400_000);
    await api.server.app.get(RetentionService).purge();
    expect(await rows()).toEqual([]);
  });

  it('answers 409 while the file is being prepared (without using the link up), and prepares one export at a time per account', async () => {
    const person = await register(api, { displayName: 'Dao' });
    const { id, downloadPath } = await exportReady(person);
    // The test chooses when the job's passes run: its timer stops, and a pass under way ends first.
    const exports = api.server.app.get(DataExportService);
    exports.onModuleDestroy();
    try {
      await exports.prepare();
      // Back to the state between asking and the job's pass.
      await db.query(`UPDATE data_exports SET status = 'PREPARING', content = NULL, ready_at = NULL, expires_at = NULL WHERE id = $1`, [fromGlobalId(id, 'DataExport')]);
      const early = await download(downloadPath);
      expect(early.status).toBe(409);
      expect(early.body.errors[0].extensions.code).toBe('ILLEGAL_STATE');
      expect((await api.gql(EXPORT, {}, person.token)).errors?.[0].extensions?.code).toBe('CONFLICT');
      await exports.prepare();
      expect((await download(downloadPath)).status).toBe(200);
      expect((await download(downloadPath)).status).toBe(410);
    } finally {
      exports.onApplicationBootstrap();
    }
  });

  it('needs a signed-in account', async () => {
    expect((await api.gql(EXPORT)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.gql(MINE)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
