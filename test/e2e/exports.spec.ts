import { t } from '../../src/i18n/i18n';
import { Locale } from '../../src/i18n/locale';
import { csvRows } from '../support/csv';
import { Account, loginAdmin, makeHost, uniqueEmail } from '../support/factories';
import { TestServer } from '../support/test-server';
import { bulkResidents, cast, closeRound, openRound, roundInput } from '../support/voting';

/**
 * CSV exports as a spreadsheet in a Thai office opens them (README, "CSV exports"): the bytes start with
 * the UTF-8 byte-order mark, the headers are in the reader's language, the file has a name in ASCII and
 * one in UTF-8, and the values are the record's whatever the language.
 */

/** A spreadsheet's reading of CSV bytes: a BOM says UTF-8 (else it would take the local code page); RFC 4180 quoting. */
function openAsSpreadsheet(bytes: Buffer): { utf8: boolean; rows: string[][] } {
  const utf8 = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  return { utf8, rows: csvRows(bytes.subarray(utf8 ? 3 : 0).toString(utf8 ? 'utf8' : 'latin1')) };
}

/** The names in a Content-Disposition: the plain one and the UTF-8 one. */
function fileNames(header: string | null): { ascii?: string; utf8?: string } {
  const ascii = /filename="([^"]*)"/.exec(header ?? '')?.[1];
  const encoded = /filename\*=UTF-8''(\S+)/.exec(header ?? '')?.[1];
  return { ascii, utf8: encoded ? decodeURIComponent(encoded) : undefined };
}

describe('CSV exports', () => {
  let api: TestServer;
  let round: { id: string; options: { id: string }[] };
  let englishReader: Account;
  const LABELS = ['สวนสาธารณะ "ริมคลอง", ระยะที่ 1', '=HYPERLINK("http://evil.example","Bike lanes")'];

  beforeAll(async () => {
    api = await TestServer.start();
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, '1007');
    const voters = await bulkResidents(api, '1007', 3);
    round = await openRound(api, host, roundInput('1007', 'SINGLE_CHOICE', LABELS.map((label) => ({ label })), { secret: false }));
    for (const [i, voter] of voters.entries()) expect((await cast(api, voter, round.id, [round.options[i === 2 ? 1 : 0].id])).errors).toBeUndefined();
    await closeRound(api, host, round.id);
    const email = uniqueEmail('en');
    const data = await api.ok(`mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }`, {
      input: { email, password: 'correct horse battery staple', displayName: 'Reader', kind: 'PERSON', locale: 'en' },
    });
    englishReader = { id: data.register.user.id, email, token: data.register.accessToken, refreshToken: data.register.refreshToken };
  });
  afterAll(() => api.stop());

  const download = async (file: string, headers: Record<string, string> = {}, query = '') => {
    const res = await fetch(`${api.url}/voting-rounds/${round.id}/${file}${query}`, { headers });
    expect(res.status).toBe(200);
    return { res, sheet: openAsSpreadsheet(Buffer.from(await res.arrayBuffer())) };
  };
  const thaiColumns = (table: 'results' | 'ballots', keys: string[]) => keys.map((key) => t(Locale.th, `exports.${table}.columns.${key}`));

  it('results.csv opens in Thai by default: BOM first, Thai headers, the labels as written, a Thai file name', async () => {
    const { res, sheet } = await download('results.csv');
    expect(sheet.utf8).toBe(true);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-language')).toBe('th');
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);
    expect(sheet.rows[0]).toEqual(thaiColumns('results', ['optionId', 'position', 'label', 'votes', 'share', 'winner']));
    expect(sheet.rows[0]).toEqual(['รหัสตัวเลือก', 'ลำดับ', 'ตัวเลือก', 'คะแนน', 'สัดส่วนคะแนน', 'ชนะ']);
    // Machine columns as they are: ids, positions, counts, shares to six places, true/false.
    expect(sheet.rows.slice(1)).toEqual([
      [round.options[0].id, '0', LABELS[0], '2', '0.666667', 'true'],
      // Text someone wrote that a spreadsheet would run as a formula stays text: a leading apostrophe.
      [round.options[1].id, '1', `'${LABELS[1]}`, '1', '0.333333', 'false'],
    ]);
    expect(fileNames(res.headers.get('content-disposition'))).toEqual({ ascii: `voting-round-${round.id}-results.csv`, utf8: `รอบลงคะแนน-${round.id}-ผลการลงคะแนน.csv` });
  });

  it('in English for Accept-Language, ?lang=en or an English account; the values do not change', async () => {
    const thai = (await download('results.csv')).sheet.rows;
    for (const [headers, query] of [[{ 'accept-language': 'en-US,en;q=0.9' }, ''], [{}, '?lang=en'], [{ authorization: `Bearer ${englishReader.token}`, 'accept-language': 'th' }, '']] as const) {
      const { res, sheet } = await download('results.csv', headers, query);
      expect(sheet.utf8).toBe(true);
      expect(sheet.rows[0]).toEqual(['option_id', 'position', 'label', 'votes', 'share', 'winner']);
      expect(sheet.rows.slice(1)).toEqual(thai.slice(1));
      expect(fileNames(res.headers.get('content-disposition'))).toEqual({ ascii: `voting-round-${round.id}-results.csv`, utf8: `voting-round-${round.id}-results.csv` });
    }
    // A language we do not have is no language: Thai.
    expect((await download('results.csv', { 'accept-language': 'fr' }, '?lang=de')).sheet.rows[0]).toEqual(thai[0]);
  });

  it('ballots.csv: BOM, headers in the reader’s language, the record’s hashes and ids unchanged', async () => {
    const thai = await download('ballots.csv');
    const english = await download('ballots.csv', { 'accept-language': 'en' });
    expect([thai.sheet.utf8, english.sheet.utf8]).toEqual([true, true]);
    expect(thai.sheet.rows[0]).toEqual(thaiColumns('ballots', ['position', 'receiptHash', 'choices', 'choicePositions', 'previousHash', 'entryHash']));
    expect(english.sheet.rows[0]).toEqual(['position', 'receipt_hash', 'choices', 'choice_positions', 'previous_hash', 'entry_hash']);
    expect(thai.sheet.rows.slice(1)).toEqual(english.sheet.rows.slice(1));
    expect(thai.sheet.rows).toHaveLength(4);
    const record = ((await fetch(`${api.url}/voting-rounds/${round.id}/ballots.json`).then((r) => r.json())) as { entries: any[] }).entries;
    expect(thai.sheet.rows.slice(1)).toEqual(record.map((e: any) => [String(e.position), e.receiptHash, e.choices.join(' '), e.choicePositions.join(' '), e.previousHash, e.entryHash]));
    expect(fileNames(thai.res.headers.get('content-disposition')).utf8).toBe(`รอบลงคะแนน-${round.id}-บันทึกบัตรลงคะแนน.csv`);
  });

  it('refuses a round that is not there, in any language, as before', async () => {
    for (const id of ['nope', Buffer.from('VotingRound:00000000-0000-4000-8000-000000000000').toString('base64url')]) {
      const res = await fetch(`${api.url}/voting-rounds/${id}/results.csv`, { headers: { 'accept-language': 'en' } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});
