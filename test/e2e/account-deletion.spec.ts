import type { Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import request from 'supertest';
import { AuditService } from '../../src/audit/audit.service';
import { Clock } from '../../src/common/clock/clock';
import { Mailer } from '../../src/mail/mailer';
import { DataExportService } from '../../src/privacy/data-export.service';
import { Account, createProposal, createPublishedProposal, loginAdmin, makeHost, postComment, register, requestResidency, reviewResidency, uniqueEmail } from '../support/factories';
import { askQuestion, askToSpeak, attend, endSpeech, giveFloor, hearingInput, scheduleHearing } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';
import { cast, closeRound, fetchRecord, openRound, RESULTS, roundInput } from '../support/voting';

const PASSWORD = 'erase me completely, please';
const DELETE = `mutation($i: DeleteMyAccountInput!) { deleteMyAccount(input: $i) { deleted user { id displayName email kind } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }`;
const MINUTE = 60_000;
const DELETED_TH = 'บัญชีที่ถูกลบ';
const DELETED_EN = 'Deleted account';

/** The raw database id inside a global id. */
const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/**
 * The right to erasure (PDPA): a resident who proposed, commented, spoke at a hearing and voted deletes
 * the account. Afterwards nothing the platform answers, serves for download or stores names them, links
 * back to their id, or lets their tokens in; what others rely on (the published plan, the minutes, the
 * tallies, the audit chain) reads as before, signed "deleted account".
 */
describe('deleting an account', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let clock: Clock;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    // The clock moves hours ahead for the hearing: tokens must outlive it.
    api = await TestServer.start({ env: { ACCESS_TOKEN_TTL: '86400' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    clock = api.server.app.get(Clock);
  });
  afterEach(() => {
    delete (clock as { now?: unknown }).now;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await db.end();
    await api.stop();
  });

  /** A GraphQL request in a given language (Accept-Language), as a browser sends it. */
  async function gqlIn(language: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
    let req = request(api.http).post('/graphql').set('content-type', 'application/json').set('accept-language', language);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  async function resident(displayName: string, password = PASSWORD, note?: string): Promise<Account> {
    const person = await register(api, { displayName, password, email: uniqueEmail('erasable') });
    const residency = await requestResidency(api, person, '1007', note);
    expect((await reviewResidency(api, host, residency, 'APPROVE')).errors).toBeUndefined();
    return person;
  }

  it('refuses anonymous requests, wrong and missing passwords, hosts and the last administrator, each with its code', async () => {
    const person = await register(api, { password: PASSWORD });
    const code = async (token: string | undefined, input: Record<string, unknown>) => (await api.gql(DELETE, { i: input }, token)).errors?.[0].extensions?.code;

    expect(await code(undefined, { password: PASSWORD })).toBe('UNAUTHENTICATED');
    expect(await code(person.token, { password: 'not my password at all' })).toBe('FORBIDDEN');
    expect(await code(person.token, { password: '' })).toBe('BAD_USER_INPUT');
    expect(await code(person.token, { password: 'x'.repeat(10_000) })).toBe('FORBIDDEN');
    // Still an account: nothing was erased by the refusals.
    expect((await api.ok(`{ me { id email } }`, {}, person.token)).me).toEqual({ id: person.id, email: person.email });

    // A host hands the district over first.
    const hostPassword = 'I host Pathum Wan today';
    const aHost = await register(api, { password: hostPassword, displayName: 'Somying' });
    await api.ok(`mutation($u: ID!) { appointHost(input: { userId: $u, districtCode: "1007" }) { user { id } } }`, { u: aHost.id }, admin.token);
    const refused = await api.gql(DELETE, { i: { password: hostPassword } }, aHost.token);
    expect(refused.errors?.[0].extensions?.code).toBe('HANDOVER_REQUIRED');
    await api.ok(`mutation($u: ID!) { removeHost(input: { userId: $u, districtCode: "1007" }) { user { id } } }`, { u: aHost.id }, admin.token);
    expect((await api.ok(DELETE, { i: { password: hostPassword } }, aHost.token)).deleteMyAccount.deleted).toBe(true);

    // The only administrator appoints another before leaving; then either may go, not both.
    expect(await code(admin.token, { password: 'Sao-Chingcha-1784!' })).toBe('HANDOVER_REQUIRED');
    const secondPassword = 'second administrator of the city';
    const second = await register(api, { password: secondPassword, displayName: 'Nattaya' });
    await db.query(`UPDATE users SET is_admin = true WHERE id = $1`, [rawId(second.id)]);
    expect((await api.ok(DELETE, { i: { password: secondPassword } }, second.token)).deleteMyAccount.deleted).toBe(true);
    expect(await code(admin.token, { password: 'Sao-Chingcha-1784!' })).toBe('HANDOVER_REQUIRED');
    expect((await api.ok(`{ me { isAdmin } }`, {}, admin.token)).me.isAdmin).toBe(true);
  });

  it('erases a resident who proposed, commented, spoke, asked, registered and voted, and leaves nothing that shows them', async () => {
    const displayName = 'Pimchanok Erasewong';
    const person = await resident(displayName, PASSWORD, '99/1 Soi Chula 12, Wang Mai');
    const other = await resident('Kittisak Staysalot');
    const oldUserId = rawId(person.id);

    // Proposals: a draft, and a published plan others commented on.
    const draft = await createProposal(api, person, { title: 'A draft nobody saw' });
    const plan = await createPublishedProposal(api, person, { title: 'Lights for the canal path' });
    // Comments: theirs with replies by others, and a reply of theirs to another's comment.
    const theirs = await postComment(api, person, plan, { body: 'I will water the trees myself.' });
    const reply = await postComment(api, other, plan, { body: 'I will help you.', parentId: theirs });
    const othersComment = await postComment(api, other, plan, { body: 'Lights must be solar.' });
    await postComment(api, person, plan, { body: 'Agreed, solar it is.', parentId: othersComment });

    // A hearing on the plan: registered, checked in, a statement on the record, a question.
    const t = Date.now();
    const setClock = (at: number) => (clock.now = () => new Date(at));
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal lights', proposalId: plan }], { startsAt: new Date(t + 30 * MINUTE).toISOString(), endsAt: new Date(t + 180 * MINUTE).toISOString() }));
    const h = hearing.id;
    const move = (mutation: string) => api.ok(`mutation($h: ID!) { ${mutation}(input: { hearingId: $h }) { hearing { id } } }`, { h }, host.token);
    setClock(t + 10 * MINUTE);
    await move('openHearing');
    const registration = await attend(api, host, h, person);
    await attend(api, host, h, other);
    setClock(t + 35 * MINUTE);
    await move('startHearingSession');
    await askToSpeak(api, person, h);
    await giveFloor(api, host, h);
    await endSpeech(api, person, h);
    const statement = (await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id } } }`, { h })).hearing.statements[0].id;
    await api.ok(`mutation($i: RecordStatementInput!) { recordStatement(input: $i) { statement { id } } }`, { i: { statementId: statement, text: 'We need lights by the pier.' } }, host.token);
    const question = await askQuestion(api, person, h, 'Who pays for the electricity?');
    setClock(t + 150 * MINUTE);
    await api.ok(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents support the lights." }) { hearing { id } } }`, { h }, host.token);
    delete (clock as { now?: unknown }).now;

    // Votes: a secret round and an open one, each closed with its result published.
    const rounds = [];
    for (const secret of [true, false]) {
      const round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { secret }));
      for (const [voter, choice] of [[person, 0], [other, 1]] as const) expect((await cast(api, voter, round.id, [round.options[choice].id])).errors).toBeUndefined();
      await closeRound(api, host, round.id);
      rounds.push(round.id);
    }
    const resultsBefore = await Promise.all(rounds.map((r) => api.ok(RESULTS, { r })));
    const recordsBefore = await Promise.all(rounds.map((r) => fetchRecord(api, r)));

    // A second session, and a live socket on it.
    const phone = (await api.ok(LOGIN, { input: { email: person.email, password: PASSWORD } })).login;
    const socket = api.wsClient(phone.accessToken);
    sockets.push(socket);
    const closed = new Promise<number>((resolve) => socket.on('closed', (event: any) => resolve(event.code)));
    await api.listen(() => new Subscription(socket, `subscription { residencyUpdated { status } }`));
    expect((await api.ok(`{ notifications(first: 10) { totalCount } }`, {}, person.token)).notifications.totalCount).toBeGreaterThan(0);

    // A copy of their data prepared for download, and a reset link they asked for.
    await api.ok(`mutation { exportMyData(input: {}) { downloadPath } }`, {}, person.token);
    await api.server.app.get(DataExportService).prepare();
    await api.ok(`mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) { accepted } }`, { i: { email: person.email } });
    await api.server.app.get(Mailer).idle();
    for (const table of ['data_exports', 'password_reset_tokens']) {
      expect({ table, rows: (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [oldUserId])).rows[0].n }).toEqual({ table, rows: 1 });
    }

    // ---- the erasure ------------------------------------------------------------------------------
    const erased = (await api.ok(DELETE, { i: { password: PASSWORD } }, person.token)).deleteMyAccount;
    expect(erased).toEqual({ deleted: true, user: { id: expect.any(String), displayName: DELETED_TH, email: null, kind: 'PERSON' } });
    const pseudonymId = erased.user.id;
    expect(pseudonymId).not.toBe(person.id);
    expect(rawId(pseudonymId)).not.toBe(oldUserId);
    expect(await closed).toBe(4401);

    // ---- no way back in --------------------------------------------------------------------------
    for (const token of [person.token, phone.accessToken]) {
      expect((await api.gql(`{ me { id } }`, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await api.gql(DELETE, { i: { password: PASSWORD } }, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    for (const refreshToken of [person.refreshToken, phone.refreshToken]) {
      expect((await api.gql(REFRESH, { t: refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await api.gql(LOGIN, { input: { email: person.email, password: PASSWORD } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // A new WebSocket with the old access token is closed at once.
    const late = api.wsClient(person.token);
    sockets.push(late);
    expect(await new Promise<{ code: number; reason: string }>((resolve) => late.on('closed', (event: any) => resolve({ code: event.code, reason: event.reason })))).toEqual({
      code: 4401,
      reason: expect.stringMatching(/^Unauthorized/),
    });
    // The email is free again: someone may register with it, and it is another account.
    const again = await register(api, { email: person.email, password: 'a new person with the old address' });
    expect(again.id).not.toBe(person.id);
    await api.ok(DELETE, { i: { password: 'a new person with the old address' } }, again.token);

    // ---- everything that could show them ----------------------------------------------------------
    const seen: string[] = [];
    const look = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const data = await api.ok(query, variables, token);
      seen.push(JSON.stringify(data));
      return data;
    };
    const USER = `id displayName email`;
    expect((await look(`query($id: ID!) { node(id: $id) { id } }`, { id: person.id }, admin.token)).node).toBeNull();
    expect((await look(`query($id: ID!) { node(id: $id) { ... on User { ${USER} residency { id } hostedDistricts { code } } } }`, { id: pseudonymId }, admin.token)).node).toEqual({
      id: pseudonymId, displayName: DELETED_TH, email: null, residency: null, hostedDistricts: [],
    });
    expect((await look(`query($id: ID!) { node(id: $id) { id } }`, { id: draft }, admin.token)).node).toBeNull();

    // The published plan reads as before, by "deleted account", in the reader's language.
    const PLAN = `query($p: ID!) { proposal(id: $p) { title status author { ${USER} } } comments(subjectId: $p, first: 20) { edges { node { id body author { ${USER} } replies { id body author { ${USER} } } } } } }`;
    const data = await look(PLAN, { p: plan }, admin.token);
    const read = { ...data.proposal, comments: data.comments };
    expect(read.title).toBe('Lights for the canal path');
    expect(read.author).toEqual({ id: pseudonymId, displayName: DELETED_TH, email: null });
    expect((await gqlIn('en', PLAN, { p: plan })).proposal.author.displayName).toBe(DELETED_EN);
    const thread = read.comments.edges.map((e: any) => e.node);
    const mine = thread.find((c: any) => c.id === theirs);
    expect(mine).toMatchObject({ body: 'I will water the trees myself.', author: { id: pseudonymId, displayName: DELETED_TH } });
    expect(mine.replies).toEqual([{ id: reply, body: 'I will help you.', author: { id: other.id, displayName: 'Kittisak Staysalot', email: other.email } }]);
    expect((await look(`query($a: ID!) { proposals(first: 10, filter: { authorId: $a }) { edges { node { id } } } }`, { a: person.id })).proposals.edges).toEqual([]);
    expect((await look(`query($a: ID!) { proposals(first: 10, filter: { authorId: $a }) { edges { node { id } } } }`, { a: pseudonymId })).proposals.edges).toEqual([{ node: { id: plan } }]);
    for (const id of [theirs, statement, question, registration]) expect((await look(`query($id: ID!) { node(id: $id) { id } }`, { id }, admin.token)).node).not.toBeNull();

    // The hearing's record: their statement and question stay, signed "deleted account".
    const HEARING = `query($h: ID!) { hearing(id: $h) { statements { text speaker { ${USER} } } questions { text author { ${USER} } } registrations { checkedInAt user { ${USER} } } } }`;
    const record = (await look(HEARING, { h }, host.token)).hearing;
    expect(record.statements).toEqual([{ text: 'We need lights by the pier.', speaker: { id: pseudonymId, displayName: DELETED_TH, email: null } }]);
    expect(record.questions).toEqual([{ text: 'Who pays for the electricity?', author: { id: pseudonymId, displayName: DELETED_TH, email: null } }]);
    expect(record.registrations.map((r: any) => r.user.id)).toEqual([pseudonymId, other.id]);
    const MINUTES = `query($h: ID!) { minutes(hearingId: $h) { markdown statements { speaker { ${USER} } } unansweredQuestions { author { ${USER} } } } }`;
    const minutesTh = (await look(MINUTES, { h })).minutes;
    expect(minutesTh.markdown).toContain(DELETED_TH);
    expect(minutesTh.markdown).toContain('We need lights by the pier.');
    expect((await gqlIn('en', MINUTES, { h })).minutes.markdown).toContain(DELETED_EN);

    // Votes: every tally, turnout and record entry as it was; the downloads too.
    for (const [i, r] of rounds.entries()) {
      expect(await look(RESULTS, { r })).toEqual(resultsBefore[i]);
      expect(await fetchRecord(api, r)).toEqual(recordsBefore[i]);
      for (const file of ['results.json', 'results.csv', 'ballots.json', 'ballots.csv']) {
        const res = await fetch(`${api.url}/voting-rounds/${r}/${file}`);
        seen.push(await res.text());
      }
    }

    // The other person's notifications of their reply: by "deleted account".
    const notes = (await look(`{ notifications(first: 50) { edges { node { kind actor { ${USER} } } } } }`, {}, other.token)).notifications.edges.map((e: any) => e.node);
    expect(notes.filter((n: any) => n.actor?.id === pseudonymId).length).toBeGreaterThan(0);
    expect(notes.every((n: any) => !n.actor || n.actor.id === pseudonymId || n.actor.id === other.id || n.actor.id === host.id)).toBe(true);

    // The audit trail keeps the actions, under the pseudonym, and its chains still verify.
    const audit = api.server.app.get(AuditService);
    await audit.chainer.run();
    const AUDIT = `query($f: AuditFilter, $after: String) { auditLog(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { action subject actor { ${USER} } } } } }`;
    const entries: any[] = [];
    for (let after: string | null = null; ; ) {
      const page: any = (await look(AUDIT, { f: null, after }, admin.token)).auditLog;
      entries.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(entries.find((e) => e.action === 'deleteMyAccount' && e.actor?.id === pseudonymId)).toMatchObject({ subject: pseudonymId, actor: { displayName: DELETED_TH } });
    expect(entries.filter((e) => e.actor?.id === pseudonymId).map((e) => e.action)).toEqual(expect.arrayContaining(['createProposal', 'postComment', 'askQuestion', 'deleteMyAccount']));
    expect((await look(`query($f: AuditFilter) { auditLog(filter: $f, first: 5) { edges { node { action } } } }`, { f: { actorId: person.id } }, admin.token)).auditLog.edges).toEqual([]);
    expect((await look(`query($f: AuditFilter) { auditLog(filter: $f, first: 100) { edges { node { action } } } }`, { f: { actorId: pseudonymId } }, admin.token)).auditLog.edges.length).toBeGreaterThan(3);
    for (const district of ['0000', '1007']) {
      expect((await api.ok(`query($d: String!) { verifyAuditChain(districtCode: $d) { valid pending } }`, { d: district })).verifyAuditChain).toEqual({ valid: true, pending: 0 });
    }
    expect((await look(`query($s: String) { users(first: 100, search: $s) { edges { node { id } } } }`, { s: null }, admin.token)).users.edges.map((e: any) => e.node.id)).not.toContain(pseudonymId);

    // Nothing any of that showed names them or links to their id.
    for (const text of seen) {
      expect(text).not.toContain(person.email);
      expect(text).not.toContain(displayName);
      expect(text).not.toContain(person.id);
      expect(text).not.toContain(oldUserId);
    }

    // ---- the database ----------------------------------------------------------------------------
    // Every text column of every table: the email, the name and the address they gave are gone.
    const columns: { table_name: string; column_name: string }[] = (
      await db.query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
      )
    ).rows;
    for (const needle of [person.email, displayName, 'Soi Chula 12, Wang Mai']) {
      for (const { table_name: table, column_name: column } of columns) {
        const found = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`, [`%${needle}%`]);
        expect({ table, column, needle, n: found.rows[0].n }).toEqual({ table, column, needle, n: 0 });
      }
    }
    const row = (await db.query(`SELECT email, password_hash, display_name, is_admin, deleted_at, pseudonym FROM users WHERE id = $1`, [oldUserId])).rows[0];
    expect(row).toMatchObject({ password_hash: '', display_name: '', is_admin: false, deleted_at: expect.any(Date), pseudonym: rawId(pseudonymId) });
    expect(row.email).toMatch(/@erased\.invalid$/);
    for (const table of ['refresh_tokens', 'residencies', 'notifications', 'data_exports', 'password_reset_tokens', 'hearing_reminders']) {
      expect({ table, rows: (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [oldUserId])).rows[0].n }).toEqual({ table, rows: 0 });
    }
  });

  it('gives up their seats at hearings to come (the waitlist moves up) and their place in a speaker queue', async () => {
    const person = await register(api, { password: PASSWORD, displayName: 'Chanida Leavesoon' });
    const waiting = await register(api, { displayName: 'Waiting Wichai' });
    const t = Date.now();
    const times = { startsAt: new Date(t + 30 * MINUTE).toISOString(), endsAt: new Date(t + 180 * MINUTE).toISOString() };
    const full = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Bus stop' }], { ...times, capacity: 1 }));
    const live = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Footpath' }], times));
    const REGISTER = `mutation($h: ID!) { registerForHearing(input: { hearingId: $h, mode: IN_PERSON }) { registration { status } } }`;
    expect((await api.ok(REGISTER, { h: full.id }, person.token)).registerForHearing.registration.status).toBe('CONFIRMED');
    expect((await api.ok(REGISTER, { h: full.id }, waiting.token)).registerForHearing.registration.status).toBe('WAITLISTED');
    clock.now = () => new Date(t + 10 * MINUTE);
    await api.ok(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { id } } }`, { h: live.id }, host.token);
    await attend(api, host, live.id, person);
    clock.now = () => new Date(t + 35 * MINUTE);
    await api.ok(`mutation($h: ID!) { startHearingSession(input: { hearingId: $h }) { hearing { id } } }`, { h: live.id }, host.token);
    await askToSpeak(api, person, live.id);
    const QUEUE = `query($h: ID!) { hearing(id: $h) { live { queue { speaker { displayName } } } } }`;
    expect((await api.ok(QUEUE, { h: live.id })).hearing.live.queue).toEqual([{ speaker: { displayName: 'Chanida Leavesoon' } }]);

    await api.ok(DELETE, { i: { password: PASSWORD } }, person.token);

    const seats = (await api.ok(`query($h: ID!) { hearing(id: $h) { registrations { status user { id } } } }`, { h: full.id }, host.token)).hearing.registrations;
    expect(seats.map((r: any) => r.status)).toEqual(['CANCELLED', 'CONFIRMED']);
    expect(seats[1].user.id).toBe(waiting.id);
    expect((await api.ok(QUEUE, { h: live.id })).hearing.live.queue).toEqual([]);
    // Checked in, they stay counted among those who attended.
    expect((await api.ok(`query($h: ID!) { hearing(id: $h) { registrations { checkedInAt } } }`, { h: live.id }, host.token)).hearing.registrations).toEqual([{ checkedInAt: expect.any(String) }]);
  });

  it('removes their comments when asked: the comments show as deleted, the replies of others stay', async () => {
    const person = await register(api, { password: PASSWORD, displayName: 'Wanida Removesall' });
    const other = await register(api, { displayName: 'Somsak Replies' });
    const plan = await createPublishedProposal(api, other, { title: 'A market on Sundays' });
    const theirs = await postComment(api, person, plan, { body: 'Sundays are for rest.' });
    const reply = await postComment(api, other, plan, { body: 'Not for vendors.', parentId: theirs });
    const COUNT = `query($p: ID!) { proposal(id: $p) { commentCount } comments(subjectId: $p, first: 10) { edges { node { id status body author { id } replies { id body author { id } } } } } }`;
    const before = (await api.ok(COUNT, { p: plan })).proposal.commentCount;

    await api.ok(DELETE, { i: { password: PASSWORD, removeComments: true } }, person.token);

    const after = await api.ok(COUNT, { p: plan });
    expect(after.proposal.commentCount).toBe(before - 1);
    expect(after.comments.edges.map((e: any) => e.node)).toEqual([
      { id: theirs, status: 'DELETED', body: null, author: null, replies: [{ id: reply, body: 'Not for vendors.', author: { id: other.id } }] },
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM comments WHERE body ILIKE '%Sundays are for rest%'`)).rows[0].n).toBe(0);
  });
});
