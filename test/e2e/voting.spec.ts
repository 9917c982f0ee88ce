import { Client } from 'pg';
import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { VotingLiveService } from '../../src/voting/voting-live.service';
import { Account, loginAdmin, makeHost, makeResident, register, requestResidency, reviewResidency } from '../support/factories';
import { publishedProposal } from '../support/hearings';
import { Subscription, TestServer } from '../support/test-server';
import { bulkResidents, cast, closeRound, createRound, moveRound, openRound, recount, RESULT_FIELDS, RESULTS, roundInput } from '../support/voting';

/** The name a browser saves a download under (Content-Disposition: attachment). */
const filenameOf = (res: Response) => /^attachment; filename="?([^";]+)"?(?:; filename\*=UTF-8''\S+)?$/.exec(res.headers.get('content-disposition') ?? '')?.[1];
/** The CSVs' headers are in the reader's language (exports.spec): these scripts read the English ones. */
const inEnglish = { headers: { 'accept-language': 'en' } };

describe('voting', () => {
  let api: TestServer;
  let db: Client;
  let admin: Account;
  let host: Account;
  let voters: Account[];

  beforeAll(async () => {
    api = await TestServer.start();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    admin = await loginAdmin(api);
    host = await makeHost(api, admin, '1007');
    voters = await bulkResidents(api, '1007', 40);
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  it('runs an open (not secret) yes/no/abstain question with live turnout and tallies, a receipt for each voter, and a record anyone can recount', async () => {
    // Opened by the host ahead of its time (so the clock job does not open it meanwhile), watched from before it opens.
    const later = { opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString() };
    const round = await createRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }, { label: 'Abstain' }], { resultsVisibility: 'LIVE', secret: false, quorum: 10, ...later }));
    await moveRound(api, host, round.id, 'scheduleVotingRound');
    const ws = api.wsClient();
    const live = await api.listen(() => new Subscription(ws, `subscription($r: ID!) { votingRoundUpdated(roundId: $r) { status turnout results { options { label votes } } } }`, { r: round.id }));
    await moveRound(api, host, round.id, 'openVotingRound');
    await live.waitForEvent((e) => e.data?.votingRoundUpdated.status === 'OPEN');
    const opened = live.events.length;

    // Coalesced: ballots cast between two flushes of the live updates (ten a second) make one update,
    // exact. The flushes wait while the 25 are cast, as if they all came within a tenth of a second.
    const flusher = api.server.app.get(VotingLiveService).flusher;
    const [yes, no, abstain] = round.options.map((o) => o.id);
    const plan = [...Array(15).fill(yes), ...Array(8).fill(no), ...Array(2).fill(abstain)];
    const receipts: string[] = [];
    flusher.stop();
    try {
      for (const [i, choice] of plan.entries()) {
        const res = await cast(api, voters[i], round.id, [choice]);
        expect(res.errors).toBeUndefined();
        receipts.push(res.data!.castBallot.receipt.receipt);
      }
    } finally {
      flusher.start();
    }
    expect(new Set(receipts).size).toBe(25);
    await flusher.run();
    await live.waitFor(opened + 1);
    expect(live.events.slice(opened).map((e) => e.data!.votingRoundUpdated)).toEqual([
      { status: 'OPEN', turnout: 25, results: { options: [{ label: 'Yes', votes: 15 }, { label: 'No', votes: 8 }, { label: 'Abstain', votes: 2 }] } },
    ]);

    await closeRound(api, host, round.id);
    const results = (await api.ok(RESULTS, { r: round.id })).votingRound;
    expect(results).toMatchObject({ status: 'CLOSED', turnout: 25, eligibleVoters: expect.any(Number) });
    expect(results.results).toMatchObject({ method: 'SINGLE_CHOICE', ballots: 25, quorumMet: true, final: true, winners: [yes] });
    expect(results.results.options.map((o: any) => [o.optionId, o.label, o.votes, o.winner])).toEqual([[yes, 'Yes', 15, true], [no, 'No', 8, false], [abstain, 'Abstain', 2, false]]);
    expect(results.results.options[0].share).toBeCloseTo(15 / 25);

    // Each voter finds their ballot in the record, with their choice; a made-up receipt is not there.
    const check = await api.ok(`query($r: ID!, $c: String!) { verifyReceipt(roundId: $r, receipt: $c) { counted choices recordPosition entryHash } }`, { r: round.id, c: receipts[20] });
    expect(check.verifyReceipt).toMatchObject({ counted: true, choices: [no], recordPosition: expect.any(Number) });
    expect((await api.ok(`query($r: ID!) { verifyReceipt(roundId: $r, receipt: "AAAAA-BBBBB-CCCCC-DDDDD") { counted } }`, { r: round.id })).verifyReceipt.counted).toBe(false);

    // A recount from the published record alone gives the certified result.
    const { record, head, count } = await recount(api, round.id);
    expect(record).toHaveLength(25);
    expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { recordHead } }`, { r: round.id })).votingRound.recordHead).toBe(head);
    expect(count.options).toEqual([{ optionId: yes, votes: 15 }, { optionId: no, votes: 8 }, { optionId: abstain, votes: 2 }]);
    expect(count.winners).toEqual(results.results.winners);
    // The receipt's entry in the record names the same option as verifyReceipt.
    expect(record.find((e) => e.position === check.verifyReceipt.recordPosition)).toMatchObject({ choices: [no], choicePositions: [1], entryHash: check.verifyReceipt.entryHash });

    // The downloads give what GraphQL gives: the same results, the same record entries, options by id.
    const { votingRound } = await api.ok(`query($r: ID!) { votingRound(id: $r) { title status method recordHead results { ${RESULT_FIELDS} } } }`, { r: round.id });
    const resultsJson = await fetch(`${api.url}/voting-rounds/${round.id}/results.json`).then((r) => r.json());
    expect(resultsJson).toEqual({ roundId: round.id, ...votingRound });
    const ballotsJson = await fetch(`${api.url}/voting-rounds/${round.id}/ballots.json`).then((r) => r.json());
    expect(ballotsJson).toEqual({ roundId: round.id, recordHead: head, entries: record });
    const ballotsCsv = await fetch(`${api.url}/voting-rounds/${round.id}/ballots.csv`, inEnglish);
    expect(filenameOf(ballotsCsv)).toBe(`voting-round-${round.id}-ballots.csv`);
    const exported = (await ballotsCsv.text()).trim().split('\n');
    expect(exported).toHaveLength(26);
    expect(exported[0]).toBe('position,receipt_hash,choices,choice_positions,previous_hash,entry_hash');
    expect(exported.slice(1)).toEqual(record.map((e) => `${e.position},${e.receiptHash},"${e.choices.join(' ')}","${e.choicePositions.join(' ')}",${e.previousHash},${e.entryHash}`));
    const resultsCsv = await fetch(`${api.url}/voting-rounds/${round.id}/results.csv`, inEnglish);
    expect(filenameOf(resultsCsv)).toBe(`voting-round-${round.id}-results.csv`);
    expect((await resultsCsv.text()).trim().split('\n')).toEqual([
      'option_id,position,label,votes,share,winner',
      `${yes},0,Yes,15,0.600000,true`,
      `${no},1,No,8,0.320000,false`,
      `${abstain},2,Abstain,2,0.080000,false`,
    ]);
    // A browser saves each download under a name of its own.
    for (const file of ['results.json', 'results.csv', 'ballots.json', 'ballots.csv']) {
      const download = await fetch(`${api.url}/voting-rounds/${round.id}/${file}`);
      expect(filenameOf(download)).toBe(`voting-round-${round.id}-${file}`);
      expect(download.headers.get('content-type')).toMatch(file.endsWith('.csv') ? /^text\/csv; charset=utf-8/ : /^application\/json/);
    }
    await ws.dispose();
  });

  it("reads a round's turnout, eligible voters and live results in one SQL statement, and a page of rounds' in a bounded number", async () => {
    const round = await openRound(api, admin, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Lamps' }, { label: 'Benches' }], { resultsVisibility: 'LIVE', secret: false }));
    for (const [i, voter] of voters.slice(0, 3).entries()) expect((await cast(api, voter, round.id, [round.options[i % 2].id])).errors).toBeUndefined();
    let shown: { turnout: number; eligibleVoters: number; results: { final: boolean; options: { votes: number }[] } } | undefined;
    expect(await api.countQueries(async () => (shown = (await api.ok(RESULTS, { r: round.id })).votingRound))).toBe(1);
    expect({ turnout: shown!.turnout, votes: shown!.results.options.map((o) => o.votes), final: shown!.results.final }).toEqual({ turnout: 3, votes: [2, 1], final: false });
    expect(shown!.eligibleVoters).toBeGreaterThanOrEqual(40);
    const page = (n: number) => api.countQueries(() => api.ok(`query($n: Int) { votingRounds(districtCode: "1007", first: $n) { edges { node { turnout eligibleVoters results { ballots options { votes } } } } } }`, { n }));
    const [one, all] = [await page(1), await page(50)];
    expect(all).toBe(one);
  });

  it('ranks by instant runoff, reports every elimination round, and adopts the winner on certification', async () => {
    await api.ok(`mutation { setEndorsementThreshold(input: { districtCode: "1007", threshold: 1 }) { district { code } } }`, {}, host.token);
    const proposals: string[] = [];
    for (const title of ['สวนหย่อม', 'ไฟถนน', 'ลานกีฬา', 'ห้องสมุด']) {
      const id = await publishedProposal(api, '1007', title);
      await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { status } } }`, { id }, (await register(api)).token);
      proposals.push(id);
    }
    const round = await openRound(api, host, roundInput('1007', 'RANKED_CHOICE', proposals.map((proposalId) => ({ proposalId }))));
    const states = await Promise.all(proposals.map((id) => api.ok(`query($id: ID!) { proposal(id: $id) { status } }`, { id })));
    expect(states.map((p) => p.proposal.status)).toEqual(['IN_VOTE', 'IN_VOTE', 'IN_VOTE', 'IN_VOTE']);

    const ws = api.wsClient(voters[0].token);
    const watcher = await api.listen(() => new Subscription(ws, `subscription($r: ID!) { votingRoundUpdated(roundId: $r) { status turnout results { winners rounds { eliminated } } } }`, { r: round.id }));
    const [a, b, c, d] = round.options.map((o) => o.id);
    const ballots: [number, string[]][] = [[8, [a, b]], [7, [b, a]], [4, [c, b]], [2, [d, c, b]]];
    let v = 0;
    for (const [n, ranking] of ballots) for (let i = 0; i < n; i++) expect((await cast(api, voters[v++], round.id, ranking)).errors).toBeUndefined();
    const duplicate = await cast(api, voters[v], round.id, [a, a]);
    expect(duplicate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // While open, an AFTER_CLOSE round shows no result to anyone, administrators included.
    for (const who of [undefined, admin.token, host.token, voters[0].token]) {
      expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { turnout results { ballots } } }`, { r: round.id }, who)).votingRound).toEqual({ turnout: 21, results: null });
    }

    await closeRound(api, host, round.id);
    // Subscribers saw turnout rise with no tallies (AFTER_CLOSE), then the closing with the result.
    await watcher.waitForEvent((e) => e.data?.votingRoundUpdated.status === 'CLOSED');
    const open = watcher.events.filter((e) => e.data!.votingRoundUpdated.status === 'OPEN');
    expect(open.every((e) => e.data!.votingRoundUpdated.results === null)).toBe(true);
    expect(open.length).toBeGreaterThan(0);
    const closing = watcher.events.find((e) => e.data!.votingRoundUpdated.status === 'CLOSED')!.data!.votingRoundUpdated;
    expect(closing.turnout).toBe(21);
    expect(closing.results).toEqual({ winners: [b], rounds: [{ eliminated: [d] }, { eliminated: [c] }, { eliminated: [] }] });
    await ws.dispose();
    const results = (await api.ok(RESULTS, { r: round.id })).votingRound.results;
    expect(results.rounds.map((r: any) => r.eliminated)).toEqual([[d], [c], []]);
    expect(results.rounds[0].counts).toEqual([{ optionId: a, position: 0, votes: 8 }, { optionId: b, position: 1, votes: 7 }, { optionId: c, position: 2, votes: 4 }, { optionId: d, position: 3, votes: 2 }]);
    expect(results.winners).toEqual([b]);
    const { count } = await recount(api, round.id);
    expect(count.winners).toEqual([b]);
    expect(count.rounds!.map((r) => r.eliminated)).toEqual([[d], [c], []]);

    const certified = await api.ok(`mutation($i: CertifyVotingRoundInput!) { certifyVotingRound(input: $i) { votingRound { id status } } }`, { i: { roundId: round.id } }, host.token);
    expect(certified.certifyVotingRound.votingRound).toEqual({ id: round.id, status: 'CERTIFIED' });
    const after = await Promise.all(proposals.map((id) => api.ok(`query($id: ID!) { proposal(id: $id) { status } }`, { id })));
    expect(after.map((p) => p.proposal.status)).toEqual(['REJECTED', 'ADOPTED', 'REJECTED', 'REJECTED']);
  });

  it('funds a participatory budget by votes while options fit, when the most voted does not', async () => {
    const round = await openRound(
      api,
      host,
      roundInput('1007', 'BUDGET', [{ label: 'Flood pumps', cost: 600_000 }, { label: 'Street lights', cost: 300_000 }, { label: 'Playground', cost: 250_000 }, { label: 'Benches', cost: 100_000 }], { budget: 700_000 }),
    );
    const [pumps, lights, playground, benches] = round.options.map((o) => o.id);
    const marks: [number, string[]][] = [[7, [pumps]], [3, [pumps, benches]], [5, [lights, playground]], [1, [benches]]];
    let v = 0;
    for (const [n, chosen] of marks) for (let i = 0; i < n; i++) expect((await cast(api, voters[v++], round.id, chosen)).errors).toBeUndefined();
    const over = await cast(api, voters[v], round.id, [pumps, lights]);
    // The voter's account reads Thai: "... เกินงบประมาณ 700000 บาท" (over the budget of 700000).
    expect(over.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.choices', message: expect.stringContaining('เกินงบประมาณ') }] });
    await closeRound(api, host, round.id);
    const results = (await api.ok(RESULTS, { r: round.id })).votingRound.results;
    // Votes: pumps 10, lights 5, playground 5, benches 4. Pumps (600k) fit; lights (300k) do not fit in 100k; benches do.
    expect(results.options.map((o: any) => o.votes)).toEqual([10, 5, 5, 4]);
    expect(results.winners).toEqual([pumps, benches]);
    expect(results.budget).toEqual({ total: 700_000, allocated: 700_000 });
    // Lights and the playground tie at 5 votes; the cheaper goes first, as a recount from the record agrees.
    expect((await recount(api, round.id)).count.winners).toEqual([pumps, benches]);
  });

  it('limits approval ballots to maxSelections', async () => {
    const round = await openRound(api, host, roundInput('1007', 'APPROVAL', [{ label: 'A' }, { label: 'B' }, { label: 'C' }], { maxSelections: 2 }));
    const [a, b, c] = round.options.map((o) => o.id);
    expect((await cast(api, voters[0], round.id, [a, b, c])).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await cast(api, voters[0], round.id, [a, c])).errors).toBeUndefined();
    const otherRound = await openRound(api, host, roundInput('1007', 'APPROVAL', [{ label: 'X' }, { label: 'Y' }]));
    expect((await cast(api, voters[1], round.id, [otherRound.options[0].id])).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("shows a district's eligible voters as residents are approved, refused, move and are loaded in bulk, and keeps the count at close", async () => {
    const round = await openRound(api, admin, roundInput('1013', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { resultsVisibility: 'LIVE' }));
    // What the round shows, in both places, beside the count of the district's verified residents.
    const shown = async (districtCode: string) => {
      const data = await api.ok(`query($r: ID!) { votingRound(id: $r) { eligibleVoters results { eligibleVoters } } }`, { r: round.id });
      const counted = await db.query(`SELECT count(*) AS n FROM residencies r JOIN users u ON u.id = r.user_id WHERE r.district_code = $1 AND r.status = 'APPROVED' AND u.kind = 'PERSON'`, [districtCode]);
      return { field: data.votingRound.eligibleVoters, results: data.votingRound.results?.eligibleVoters, counted: Number(counted.rows[0].n) };
    };
    const residentsOf = async (districtCode: string) => Number((await db.query(`SELECT eligible_voters FROM district_electorates WHERE district_code = $1`, [districtCode])).rows[0]?.eligible_voters ?? 0);

    expect(await shown('1013')).toEqual({ field: 0, results: 0, counted: 0 });
    const first = await makeResident(api, admin, '1013');
    await makeResident(api, admin, '1013');
    expect(await shown('1013')).toEqual({ field: 2, results: 2, counted: 2 });

    const refused = await register(api);
    await reviewResidency(api, admin, await requestResidency(api, refused, '1013'), 'REJECT');
    await requestResidency(api, await register(api), '1013'); // still pending
    expect(await shown('1013')).toEqual({ field: 2, results: 2, counted: 2 });

    // A move: the approved residency elsewhere supersedes this one.
    expect((await reviewResidency(api, admin, await requestResidency(api, first, '1014'), 'APPROVE')).errors).toBeUndefined();
    expect(await shown('1013')).toEqual({ field: 1, results: 1, counted: 1 });
    expect(await residentsOf('1014')).toBe(1);

    await bulkResidents(api, '1013', 50);
    expect(await shown('1013')).toEqual({ field: 51, results: 51, counted: 51 });

    await closeRound(api, admin, round.id);
    await makeResident(api, admin, '1013');
    expect(await shown('1013')).toEqual({ field: 51, results: 51, counted: 52 });
    expect(await residentsOf('1013')).toBe(52);
  });

  it("fetches an option by its id with node(), wherever its round may be seen: a draft's options only by the district's hosts", async () => {
    const later = { opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString() };
    const round = await createRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Lamps' }, { label: 'Benches' }], later));
    const [lamps] = round.options;
    const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on VotingOption { position label round { id status } } } }`;
    const asNode = { __typename: 'VotingOption', id: lamps.id, position: 0, label: 'Lamps' };
    const seenBy = async (token?: string) => (await api.ok(NODE, { id: lamps.id }, token)).node;

    expect(await seenBy(host.token)).toEqual({ ...asNode, round: { id: round.id, status: 'DRAFT' } });
    expect(await seenBy(admin.token)).toEqual({ ...asNode, round: { id: round.id, status: 'DRAFT' } });
    // As its round: null, for anyone else, as votingRound(id:) answers.
    for (const token of [undefined, voters[0].token]) {
      expect(await seenBy(token)).toBeNull();
      expect((await api.ok(`query($r: ID!) { votingRound(id: $r) { id } }`, { r: round.id }, token)).votingRound).toBeNull();
    }
    await moveRound(api, host, round.id, 'scheduleVotingRound');
    for (const token of [undefined, voters[0].token]) expect(await seenBy(token)).toEqual({ ...asNode, round: { id: round.id, status: 'SCHEDULED' } });
    // A well-formed option id of nothing is null, as for every node.
    expect((await api.ok(NODE, { id: Buffer.from('VotingOption:00000000-0000-4000-8000-000000000000').toString('base64url') })).node).toBeNull();
  });

  it('answers each condition with one code: a cancelled round is not a closed one, and an unpublished record says the same in GraphQL and in the downloads', async () => {
    const later = { opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString() };
    const cancelled = await createRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }], later));
    await moveRound(api, host, cancelled.id, 'scheduleVotingRound');
    const cancel = await api.ok(
      `mutation($i: CancelVotingRoundInput!) { cancelVotingRound(input: $i) { votingRound { status cancelReason } } }`,
      { i: { roundId: cancelled.id, reason: 'The budget went to flood relief' } },
      host.token,
    );
    expect(cancel.cancelVotingRound.votingRound).toEqual({ status: 'CANCELLED', cancelReason: 'The budget went to flood relief' });
    // The audit trail records each move under its mutation's name, about the round, by the host.
    const AUDIT = `query($f: AuditFilter) { auditLog(filter: $f, first: 50) { edges { node { action subject outcome actor { id } } } } }`;
    for (const action of ['createVotingRound', 'scheduleVotingRound', 'cancelVotingRound']) {
      const entries = (await api.ok(AUDIT, { f: { districtCode: '1007', action } }, host.token)).auditLog.edges.map((e: any) => e.node);
      expect(entries.filter((e: any) => e.subject === cancelled.id)).toEqual([{ action, subject: cancelled.id, outcome: 'SUCCESS', actor: { id: host.id } }]);
    }
    const refused = (await cast(api, voters[0], cancelled.id, [cancelled.options[0].id])).errors?.[0];
    expect(refused?.extensions?.code).toBe('VOTING_CANCELLED');
    // In the voter's language (Thai), with the host's reason: cancelled, not closed.
    expect(refused?.message).toBe(t(Locale.th, 'errors.voting.cancelledBecause', { reason: 'The budget went to flood relief' }));
    expect(refused?.message).not.toBe(t(Locale.th, 'errors.codes.VOTING_CLOSED'));

    const open = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]));
    for (const [round, code] of [[open, 'RESULTS_NOT_PUBLISHED'], [cancelled, 'VOTING_CANCELLED']] as const) {
      const asked = await api.gql(`query($r: ID!) { ballotRecord(roundId: $r, first: 10) { totalCount } }`, { r: round.id });
      expect(asked.errors?.[0].extensions?.code).toBe(code);
      for (const path of ['results.json', 'results.csv', 'ballots.json', 'ballots.csv']) {
        const res = await fetch(`${api.url}/voting-rounds/${round.id}/${path}`);
        expect({ path, status: res.status, code: ((await res.json()) as any).errors?.[0].extensions?.code }).toEqual({ path, status: 409, code });
      }
    }
  });
});
