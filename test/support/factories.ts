import { randomBytes } from 'node:crypto';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestServer } from './test-server';

export interface Account {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

const AUTH_FIELDS = 'accessToken refreshToken user { id displayName kind email }';

let counter = 0;
export function uniqueEmail(prefix = 'member'): string {
  counter += 1;
  return `${prefix}.${counter}.${randomBytes(3).toString('hex')}@example.org`;
}

export async function register(api: TestServer, overrides: { email?: string; displayName?: string; kind?: 'PERSON' | 'ORGANIZATION'; password?: string } = {}): Promise<Account> {
  const email = overrides.email ?? uniqueEmail();
  const data = await api.ok<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    {
      input: {
        email,
        password: overrides.password ?? 'correct horse battery staple',
        displayName: overrides.displayName ?? 'Somchai Jaidee',
        kind: overrides.kind ?? 'PERSON',
        locale: 'th',
      },
    },
  );
  return { id: data.register.user.id, email, token: data.register.accessToken, refreshToken: data.register.refreshToken };
}

export async function loginAdmin(api: TestServer): Promise<Account> {
  const data = await api.ok<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    `mutation($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } },
  );
  return { id: data.login.user.id, email: ADMIN_EMAIL, token: data.login.accessToken, refreshToken: data.login.refreshToken };
}

export async function appointHost(api: TestServer, admin: Account, user: Account, districtCode: string): Promise<void> {
  await api.ok(`mutation($u: ID!, $d: String!) { appointHost(userId: $u, districtCode: $d) { id } }`, { u: user.id, d: districtCode }, admin.token);
}

export async function makeHost(api: TestServer, admin: Account, districtCode: string): Promise<Account> {
  const host = await register(api, { displayName: `Host of ${districtCode}` });
  await appointHost(api, admin, host, districtCode);
  return host;
}

export async function requestResidency(api: TestServer, person: Account, districtCode: string, note?: string): Promise<string> {
  const data = await api.ok<{ requestResidency: { id: string } }>(
    `mutation($d: String!, $n: String) { requestResidency(districtCode: $d, note: $n) { id } }`,
    { d: districtCode, n: note ?? null },
    person.token,
  );
  return data.requestResidency.id;
}

export async function reviewResidency(api: TestServer, reviewer: Account, residencyId: string, decision: 'APPROVE' | 'REJECT', note?: string) {
  return api.gql(
    `mutation($input: ReviewResidencyInput!) { reviewResidency(input: $input) { id status reviewNote } }`,
    { input: { residencyId, decision, note: note ?? null } },
    reviewer.token,
  );
}

/** A verified resident of the district: registered, requested, approved by an admin. */
export async function makeResident(api: TestServer, admin: Account, districtCode: string): Promise<Account> {
  const person = await register(api, { displayName: `Resident of ${districtCode}` });
  const residencyId = await requestResidency(api, person, districtCode);
  const res = await reviewResidency(api, admin, residencyId, 'APPROVE');
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return person;
}
