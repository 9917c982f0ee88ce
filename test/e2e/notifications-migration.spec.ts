import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { StructuredNotifications1796278627962 } from '../../migrations/1796278627962-StructuredNotifications';
import { Account, createPublishedProposal, hideProposal, loginAdmin, makeHost, makeResident, register } from '../support/factories';
import { hearingInput, registerFor, scheduleHearing } from '../support/hearings';
import { TestServer } from '../support/test-server';

const rawId = (account: Account) => Buffer.from(account.id, 'base64url').toString().split(':')[1];

/**
 * The migration that made notifications structured, taken back to the English text the code used to
 * store and forward again: every shape the old code wrote becomes the same values, and reads the same.
 */
describe('structured notifications migration', () => {
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

  it('turns the English each kind stored into values, keeps what it cannot read as it was, and reads the same afterwards', async () => {
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, '1007');
    const author = await register(api);
    const proposal = await createPublishedProposal(api, author, { districtCode: '1007' });
    await api.ok(`mutation { setEndorsementThreshold(input: { districtCode: "1007", threshold: 1 }) { district { code } } }`, {}, admin.token);
    await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: proposal }, (await makeResident(api, admin, '1007')).token);
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'งบประมาณ', proposalId: proposal }], { title: 'แผนชุมชน', venue: 'ห้องประชุม 2' }));
    await registerFor(api, author, hearing.id);
    await api.ok(`mutation($i: RescheduleHearingInput!) { rescheduleHearing(input: $i) { hearing { id } } }`, { i: { hearingId: hearing.id, startsAt: '2031-01-15T02:30:00.000Z', endsAt: '2031-01-15T05:00:00.000Z' } }, host.token);
    await api.ok(`mutation($h: ID!) { cancelHearing(input: { hearingId: $h, reason: "น้ำท่วม" }) { hearing { status } } }`, { h: hearing.id }, host.token);
    await hideProposal(api, admin, proposal, 'ข้อมูลส่วนบุคคล');

    const read = async () => {
      const data = await api.ok(`query($id: ID!) { notifications(first: 20) { edges { node { id kind title body } } } proposal(id: $id) { statusHistory { to note } } }`, { id: proposal }, author.token);
      return { notifications: data.notifications.edges.map((e: any) => e.node), history: data.proposal?.statusHistory ?? null };
    };
    const before = await read();
    const storedBefore = await db.query(`SELECT id, "values" FROM notifications ORDER BY id`);
    const transitionsBefore = await db.query(`SELECT id, note, note_message FROM proposal_transitions ORDER BY id`);

    const migration = new StructuredNotifications1796278627962();
    const runner = api.server.app.get(DataSource).createQueryRunner();
    try {
      await migration.down(runner);
      const old = await db.query(`SELECT kind, detail FROM notifications WHERE user_id = $1 ORDER BY created_at, kind`, [rawId(author)]);
      // Down writes back exactly what the old code stored.
      expect(old.rows).toEqual([
        { kind: 'PROPOSAL_STATUS_CHANGED', detail: "PUBLISHED → QUALIFIED: 1 endorsements reached the district's threshold of 1" },
        { kind: 'PROPOSAL_STATUS_CHANGED', detail: 'QUALIFIED → IN_HEARING: On the agenda of the hearing “แผนชุมชน”' },
        { kind: 'HEARING_RESCHEDULED', detail: '2031-01-15T02:30:00.000Z – 2031-01-15T05:00:00.000Z, ห้องประชุม 2' },
        { kind: 'HEARING_CANCELLED', detail: 'น้ำท่วม' },
        { kind: 'PROPOSAL_STATUS_CHANGED', detail: 'IN_HEARING → QUALIFIED: The hearing “แผนชุมชน” was cancelled' },
        { kind: 'PROPOSAL_STATUS_CHANGED', detail: 'QUALIFIED → HIDDEN: ข้อมูลส่วนบุคคล' },
      ]);
      // A text the old code could have left in a shape nobody reads any more.
      await db.query(`INSERT INTO notifications (user_id, kind, detail, created_at) VALUES ($1, 'PROPOSAL_STATUS_CHANGED', 'Something said in an older way', now() - interval '1 day')`, [rawId(author)]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    const after = await read();
    expect(after.history).toEqual(before.history);
    expect(after.notifications.slice(0, before.notifications.length)).toEqual(before.notifications);
    expect(after.notifications.at(-1)).toMatchObject({ kind: 'PROPOSAL_STATUS_CHANGED', title: 'สถานะข้อเสนอของคุณมีการเปลี่ยนแปลง', body: 'Something said in an older way' });
    const storedAfter = await db.query(`SELECT id, "values" FROM notifications WHERE id = ANY($1) ORDER BY id`, [storedBefore.rows.map((r) => r.id)]);
    expect(storedAfter.rows).toEqual(storedBefore.rows);
    expect((await db.query(`SELECT id, note, note_message FROM proposal_transitions ORDER BY id`)).rows).toEqual(transitionsBefore.rows);
  });
});
