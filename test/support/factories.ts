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

export async function register(api: TestServer, overrides: { email?: string; displayName?: string; kind?: 'PERSON' | 'ORGANIZATION'; password?: string; locale?: 'th' | 'en' } = {}): Promise<Account> {
  const email = overrides.email ?? uniqueEmail();
  const data = await api.ok<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    {
      input: {
        email,
        password: overrides.password ?? 'correct horse battery staple',
        displayName: overrides.displayName ?? 'Somchai Jaidee',
        kind: overrides.kind ?? 'PERSON',
        locale: overrides.locale ?? 'th',
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
  await api.ok(`mutation($u: ID!, $d: String!) { appointHost(input: { userId: $u, districtCode: $d }) { user { id } } }`, { u: user.id, d: districtCode }, admin.token);
}

export async function makeHost(api: TestServer, admin: Account, districtCode: string): Promise<Account> {
  const host = await register(api, { displayName: `Host of ${districtCode}` });
  await appointHost(api, admin, host, districtCode);
  return host;
}

export async function requestResidency(api: TestServer, person: Account, districtCode: string, note?: string): Promise<string> {
  const data = await api.ok<{ requestResidency: { residency: { id: string } } }>(
    `mutation($d: String!, $n: String) { requestResidency(input: { districtCode: $d, note: $n }) { residency { id } } }`,
    { d: districtCode, n: note ?? null },
    person.token,
  );
  return data.requestResidency.residency.id;
}

export async function reviewResidency(api: TestServer, reviewer: Account, residencyId: string, decision: 'APPROVE' | 'REJECT', note?: string) {
  return api.gql(
    `mutation($input: ReviewResidencyInput!) { reviewResidency(input: $input) { residency { id status reviewNote } } }`,
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

// ---- proposals and discussions -----------------------------------------------------------------

export interface ProposalOverrides {
  districtCode?: string;
  title?: string;
  summary?: string;
  body?: string;
  category?: string;
  estimatedBudget?: number | null;
  location?: { latitude?: number | null; longitude?: number | null; address?: string | null } | null;
}

/** A valid CreateProposalInput for a district, with any field replaced. */
export function proposalInput(overrides: ProposalOverrides = {}): Record<string, unknown> {
  return {
    districtCode: '1007',
    title: 'Shade trees along Soi Chula 12',
    summary: 'Plant forty rain trees so that the walk to the market is bearable in April.',
    body: '## Why\n\nThe soi has no shade between **10:00** and **16:00**.\n\n- 40 trees\n- drip irrigation',
    category: 'ENVIRONMENT',
    ...overrides,
  };
}

/** A DRAFT proposal by `author`; returns its global id. */
export async function createProposal(api: TestServer, author: Account, overrides: ProposalOverrides = {}): Promise<string> {
  const data = await api.ok<{ createProposal: { proposal: { id: string } } }>(
    `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`,
    { input: proposalInput(overrides) },
    author.token,
  );
  return data.createProposal.proposal.id;
}

export async function publishProposal(api: TestServer, author: Account, proposalId: string): Promise<void> {
  await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: proposalId }, author.token);
}

/** A PUBLISHED proposal by `author`; returns its global id. */
export async function createPublishedProposal(api: TestServer, author: Account, overrides: ProposalOverrides = {}): Promise<string> {
  const id = await createProposal(api, author, overrides);
  await publishProposal(api, author, id);
  return id;
}

export async function inviteCoSponsor(api: TestServer, author: Account, proposalId: string, invitee: Account): Promise<void> {
  await api.ok(`mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { id } } }`, { p: proposalId, u: invitee.id }, author.token);
}

export async function endorseProposal(api: TestServer, account: Account, proposalId: string): Promise<void> {
  await api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: proposalId }, account.token);
}

/** A moderator (host of the district or administrator) hides a proposal. */
export async function hideProposal(api: TestServer, moderator: Account, proposalId: string, reason = 'Contains a private phone number'): Promise<void> {
  await api.ok(`mutation($id: ID!, $r: String!) { hideProposal(input: { proposalId: $id, reason: $r }) { proposal { id } } }`, { id: proposalId, r: reason }, moderator.token);
}

/** A comment (or a reply, with `parentId`) by `author`; returns its global id. */
export async function postComment(
  api: TestServer,
  author: Account,
  subjectId: string,
  options: { body?: string; stance?: 'FOR' | 'AGAINST' | 'NEUTRAL'; parentId?: string } = {},
): Promise<string> {
  const data = await api.ok<{ postComment: { comment: { id: string } } }>(
    `mutation($input: PostCommentInput!) { postComment(input: $input) { comment { id } } }`,
    { input: { subjectId, body: options.body ?? 'More shade would help the vendors too.', stance: options.stance ?? 'FOR', parentId: options.parentId ?? null } },
    author.token,
  );
  return data.postComment.comment.id;
}

/** A moderator hides a comment. */
export async function hideComment(api: TestServer, moderator: Account, commentId: string, reason = 'Personal attack'): Promise<void> {
  await api.ok(`mutation($id: ID!, $r: String!) { hideComment(input: { commentId: $id, reason: $r }) { comment { id } } }`, { id: commentId, r: reason }, moderator.token);
}

/** The global ids of an account's notifications, newest first. */
export async function notificationIds(api: TestServer, account: Account, unreadOnly = true): Promise<string[]> {
  const data = await api.ok<{ notifications: { edges: { node: { id: string } }[] } }>(
    `query($u: Boolean) { notifications(first: 100, unreadOnly: $u) { edges { node { id } } } }`,
    { u: unreadOnly },
    account.token,
  );
  return data.notifications.edges.map((e) => e.node.id);
}

// ---- residents' reports ------------------------------------------------------------------------

/** A point on Phra Athit Road, Phra Nakhon (district 1001). */
export const PHRA_ATHIT = { latitude: 13.7629, longitude: 100.4951 } as const;

/** A valid SubmitReportInput, with any field replaced. */
export function reportInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'COMPLAINT',
    categoryCode: 'STREET_LIGHTS',
    description: 'ไฟถนนดับสามต้นติดกันหน้าท่าเรือพระอาทิตย์ มืดมากตอนกลางคืน',
    place: { ...PHRA_ATHIT, address: 'ถนนพระอาทิตย์', landmark: 'ท่าเรือพระอาทิตย์' },
    districtCode: '1001',
    channel: 'APP',
    ...overrides,
  };
}

/** A RECEIVED report by `reporter`; returns its global id. */
export async function submitReport(api: TestServer, reporter: Account, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = await api.ok<{ submitReport: { report: { id: string } } }>(
    `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id } } }`,
    { i: reportInput(overrides) },
    reporter.token,
  );
  return data.submitReport.report.id;
}

/** A staff step that takes a report id and an optional note: acceptReport, startReportWork, resolveReport. */
export async function moveReport(api: TestServer, staff: Account, reportId: string, ...mutations: ('acceptReport' | 'startReportWork' | 'resolveReport')[]): Promise<void> {
  for (const mutation of mutations) {
    await api.ok(`mutation($id: ID!) { ${mutation}(input: { reportId: $id }) { report { id } } }`, { id: reportId }, staff.token);
  }
}
