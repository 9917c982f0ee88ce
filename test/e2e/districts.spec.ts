import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer } from '../support/test-server';

describe('districts', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  it('lists the 50 Bangkok districts exactly as in the official list', async () => {
    const csv = readFileSync(join(__dirname, '../../docs/bangkok-districts.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const expected = csv.map((line) => {
      const [code, nameTh, nameEn] = line.split(',');
      return { code, nameTh, nameEn };
    });
    const data = await api.ok<{ districts: { code: string; nameTh: string; nameEn: string }[] }>('{ districts { code nameTh nameEn } }');
    expect(data.districts).toHaveLength(50);
    expect(data.districts).toEqual(expected);
  });

  it('finds a district by code, and returns null for an unknown code', async () => {
    const data = await api.ok<any>('{ a: district(code: "1007") { code nameTh nameEn id } b: district(code: "9999") { code } c: district(code: "<script>") { code } }');
    expect(data.a).toMatchObject({ code: '1007', nameTh: 'ปทุมวัน', nameEn: 'Pathum Wan' });
    expect(data.b).toBeNull();
    expect(data.c).toBeNull();
    const again = await api.ok<any>('query($id: ID!) { node(id: $id) { id ... on District { code } } }', { id: data.a.id });
    expect(again.node).toEqual({ id: data.a.id, code: '1007' });
  });

  it('costs no SQL to list districts once they are loaded', async () => {
    await api.ok('{ districts { code } }');
    const queries = await api.countQueries(() => api.ok('{ districts { code nameEn } district(code: "1001") { nameTh } }'));
    expect(queries).toBe(0);
  });
});
