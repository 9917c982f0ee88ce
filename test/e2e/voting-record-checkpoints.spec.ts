import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BallotRecordCheckpoints1796367000002 } from '../../migrations/1796367000002-BallotRecordCheckpoints';
import { Account, loginAdmin, makeHost } from '../support/factories';
import { TestServer } from '../support/test-server';
import { closeRound, fetchRecord, openRound, recount, roundInput } from '../support/voting';

/**
 * The published ballot record of a round larger than one checkpoint (README, "Voting": the record; migration
 * 1796367000002): closing writes no ballot row, yet every page of the record, backwards and forwards,
 * ballots.json and every receipt's place in it chain exactly as a recount from the first entry says,
 * across the checkpoints at 1,000 and 2,000. The migration undone writes the old columns from the same
 * chain, and redone gives the same record.
 */

const BALLOTS = 2345;
const RECORD = `query($r: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  ballotRecord(roundId: $r, first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { position receiptHash choices choicePositions previousHash entryHash } } } }`;
const VERIFY = `query($r: ID!, $c: String!) { verifyReceipt(roundId: $r, receipt: $c) { counted recordPosition entryHash } }`;

describe('the ballot record, placed from checkpoints', () => {
  let api: TestServer;
  let db: Client;
  let host: Account;
  let round: { id: string; options: { id: string; position: number }[] };
  let roundUuid: string;
  /** The receipt given for each receipt hash, to ask verifyReceipt with. */
  const receipts = new Map<string, string>();

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    const admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    round = await openRound(api, host, roundInput('1007', 'RANKED_CHOICE', [{ label: 'สวนสาธารณะ' }, { label: 'ทางจักรยาน' }, { label: 'ไฟถนน' }]));
    roundUuid = Buffer.from(round.id, 'base64url').toString().split(':')[1];
    // 2,345 ballots straight into the box (casting them one by one would take minutes): each a ranking of the three options, under its own slot and receipt.
    const rows: { slot: string; receipt_hash: string; choices: number[] }[] = [];
    const rankings = [[0, 1, 2], [1, 0], [2], [2, 1, 0], [0, 2], [1]];
    for (let i = 0; i < BALLOTS; i++) {
      const receipt = randomBytes(10).toString('hex').toUpperCase();
      const receiptHash = createHash('sha256').update(receipt).digest('hex');
      receipts.set(receiptHash, receipt);
      rows.push({ slot: randomBytes(32).toString('hex'), receipt_hash: receiptHash, choices: rankings[i % rankings.length] });
    }
    await db.query(
      `INSERT INTO ballots (round_id, slot, receipt_hash, choices) SELECT $1, r.slot, r.receipt_hash, ARRAY(SELECT jsonb_array_elements_text(r.choices)::smallint)
         FROM jsonb_to_recordset($2::jsonb) AS r(slot text, receipt_hash text, choices jsonb)`,
      [roundUuid, JSON.stringify(rows)],
    );
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('closing writes no ballot row, only a checkpoint every 1,000 entries; the record recounts from its first entry to its head', async () => {
    const before = (await db.query(`SELECT id, xmin::text AS version FROM ballots WHERE round_id = $1 ORDER BY id`, [roundUuid])).rows;
    await closeRound(api, host, round.id);
    expect((await db.query(`SELECT id, xmin::text AS version FROM ballots WHERE round_id = $1 ORDER BY id`, [roundUuid])).rows).toEqual(before);
    const checkpoints = (await db.query(`SELECT position FROM ballot_record_checkpoints WHERE round_id = $1 ORDER BY position`, [roundUuid])).rows;
    expect(checkpoints.map((c) => c.position)).toEqual([0, 1000, 2000]);

    const { record, count } = await recount(api, round.id);
    expect(record.map((entry) => entry.position)).toEqual([...Array(BALLOTS).keys()]);
    expect([...record.map((entry) => entry.receiptHash)].sort()).toEqual([...receipts.keys()].sort());
    const results = await api.ok(`query($r: ID!) { votingRound(id: $r) { results { ballots winners } } }`, { r: round.id });
    expect(results.votingRound.results).toEqual({ ballots: BALLOTS, winners: count.winners });
  });

  it('ballots.json, pages read backwards and the receipts’ places agree with the record, across the checkpoints', async () => {
    const record = await fetchRecord(api, round.id);
    const json = (await fetch(`${api.url}/voting-rounds/${round.id}/ballots.json`).then((r) => r.json())) as { entries: unknown[] };
    expect(json.entries).toEqual(record);

    // Backwards from entry 1,010: the 50 before it, 960 to 1,009, across the checkpoint at 1,000.
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) cursor = (await api.ok(RECORD, { r: round.id, first: 100, after: cursor })).ballotRecord.pageInfo.endCursor;
    // `cursor` is entry 999's; the next page starts at 1,000.
    const across = (await api.ok(RECORD, { r: round.id, first: 20, after: cursor })).ballotRecord;
    expect(across.edges.map((e: any) => e.node)).toEqual(record.slice(1000, 1020));
    const at1010 = across.edges[10].cursor;
    const back = (await api.ok(RECORD, { r: round.id, last: 50, before: at1010 })).ballotRecord;
    expect(back.edges.map((e: any) => e.node)).toEqual(record.slice(960, 1010));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const tail = (await api.ok(RECORD, { r: round.id, last: 3 })).ballotRecord;
    expect(tail.edges.map((e: any) => e.node)).toEqual(record.slice(BALLOTS - 3));

    for (const position of [0, 1, 999, 1000, 1001, 1999, 2000, BALLOTS - 1]) {
      const entry = record[position];
      const check = await api.ok(VERIFY, { r: round.id, c: receipts.get(entry.receiptHash)!.toLowerCase() });
      expect({ position, check: check.verifyReceipt }).toEqual({ position, check: { counted: true, recordPosition: position, entryHash: entry.entryHash } });
    }
  });

  it('the migration undone writes each ballot’s place and hash from the chain; redone, the record is the same', async () => {
    const record = await fetchRecord(api, round.id);
    const checkpoints = (await db.query(`SELECT * FROM ballot_record_checkpoints ORDER BY round_id, position`)).rows;
    const runner = api.server.app.get(DataSource).createQueryRunner();
    try {
      await new BallotRecordCheckpoints1796367000002().down(runner);
      const columns = (await db.query(`SELECT record_position AS position, receipt_hash, record_hash FROM ballots WHERE round_id = $1 ORDER BY record_position`, [roundUuid])).rows;
      expect(columns).toEqual(record.map((entry) => ({ position: entry.position, receipt_hash: entry.receiptHash, record_hash: entry.entryHash })));
      await new BallotRecordCheckpoints1796367000002().up(runner);
    } finally {
      await runner.release();
    }
    expect((await db.query(`SELECT * FROM ballot_record_checkpoints ORDER BY round_id, position`)).rows).toEqual(checkpoints);
    expect(await fetchRecord(api, round.id)).toEqual(record);
  });
});
