import { loginAdmin, register } from '../support/factories';
import { TestServer } from '../support/test-server';

describe('probe', () => {
  let api: TestServer;
  beforeAll(async () => { api = await TestServer.start(); });
  afterAll(async () => { await api.stop(); });
  it('probes', async () => {
    const admin = await loginAdmin(api);
    const show = (label: string, r: any) => console.log(label, r.status, JSON.stringify(r.body).slice(0, 400));
    show('login nul', await api.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: 'a\u0000@x.org', password: 'whatever long' } }));
    show('login surrogate', await api.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: 'a\ud800@x.org', password: 'whatever long' } }));
    show('login nul pw', await api.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: 'admin@district.example', password: 'x\u0000' } }));
    show('refresh nul', await api.gql(`mutation($t: String!) { refreshToken(token: $t) { accessToken } }`, { t: '\u0000' }));
    show('logout nul', await api.gql(`mutation($t: String) { logout(refreshToken: $t) }`, { t: '\u0000\ud800' }));
    show('users nul', await api.gql(`query($s: String) { users(search: $s) { totalCount } }`, { s: 'a\u0000' }, admin.token));
    show('users sql', await api.gql(`query($s: String) { users(search: $s) { totalCount } }`, { s: "%' OR '1'='1" }, admin.token));
    show('district nul', await api.gql(`query($s: String!) { district(code: $s) { code } }`, { s: '\u0000' }));
    show('proposals search nul', await api.gql(`query($s: String) { proposals(filter: { search: $s }) { totalCount } }`, { s: '\u0000' }));
    show('proposals search sql', await api.gql(`query($s: String) { proposals(filter: { search: $s }) { totalCount } }`, { s: "'; DROP TABLE proposals; --" }));
    show('proposals search surrogate', await api.gql(`query($s: String) { proposals(filter: { search: $s }) { totalCount } }`, { s: '\ud800' }));
    show('proposals district sql', await api.gql(`query($s: String) { proposals(filter: { districtCode: $s }) { totalCount } }`, { s: "1' OR '1'='1" }));
    show('proposals author sql', await api.gql(`query($s: ID) { proposals(filter: { authorId: $s }) { totalCount } }`, { s: "1' OR '1'='1" }));
    show('node sql', await api.gql(`query($s: ID!) { node(id: $s) { id } }`, { s: "1' OR '1'='1" }));
    show('node nul', await api.gql(`query($s: ID!) { node(id: $s) { id } }`, { s: Buffer.from('Proposal:\u0000').toString('base64url') }));
    show('comments sql', await api.gql(`query($s: ID!) { comments(subjectId: $s) { totalCount } }`, { s: "1' OR '1'='1" }));
    show('register nul', await api.gql(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, { i: { email: 'a\u0000b@x.org', password: 'long enough passphrase', displayName: 'X', kind: 'PERSON' } }));
    show('register surrogate name', await api.gql(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, { i: { email: 'ab@x.org', password: 'long enough passphrase', displayName: 'X\ud800', kind: 'PERSON' } }));
    show('register surrogate pw', await api.gql(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, { i: { email: 'abc@x.org', password: 'long enough passphrase\ud800\u0000', displayName: 'X', kind: 'PERSON' } }));
    show('register email surrogate', await api.gql(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, { i: { email: 'a\ud800b@x.org', password: 'long enough passphrase', displayName: 'X', kind: 'PERSON' } }));
  });
});
