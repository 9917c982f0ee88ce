import { Account, register } from './factories';
import { TestServer } from './test-server';

export const SCHEDULE = `mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { id status agenda { id title proposal { id status } } } }`;
export const REGISTER_FOR = `mutation($h: ID!, $m: AttendanceMode) { registerForHearing(hearingId: $h, mode: $m) { id status mode checkInCode } }`;

/** A published proposal of the district, by a fresh author. */
export async function publishedProposal(api: TestServer, districtCode: string, title: string, author?: Account): Promise<string> {
  const owner = author ?? (await register(api, { displayName: `Author of ${title}` }));
  const created = await api.ok(
    `mutation($i: CreateProposalInput!) { createProposal(input: $i) { id } }`,
    { i: { districtCode, title, summary: `สรุป ${title}`, body: `รายละเอียด ${title}`, category: 'INFRASTRUCTURE' } },
    owner.token,
  );
  await api.ok(`mutation($id: ID!) { publishProposal(id: $id) { id } }`, { id: created.createProposal.id }, owner.token);
  return created.createProposal.id;
}

export function hoursFromNow(hours: number): string {
  return new Date(Date.now() + hours * 3600_000).toISOString();
}

/** Scheduling input for a hearing tomorrow-ish, with the given agenda and capacity. */
export function hearingInput(districtCode: string, agenda: { title: string; proposalId?: string; plannedMinutes?: number }[], overrides: Record<string, unknown> = {}) {
  return {
    districtCode,
    title: 'เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน',
    description: 'Public hearing on the community plans of the district.',
    startsAt: hoursFromNow(2),
    endsAt: hoursFromNow(5),
    venue: 'Pathum Wan District Office, Hall 2',
    onlineUrl: 'https://meet.example.org/pathumwan-hearing',
    capacity: 4,
    speakerTimeLimitSeconds: 120,
    agenda: agenda.map((item) => ({ plannedMinutes: 30, ...item })),
    ...overrides,
  };
}

export async function scheduleHearing(api: TestServer, host: Account, input: Record<string, unknown>): Promise<{ id: string; agenda: { id: string }[] }> {
  return (await api.ok(SCHEDULE, { i: input }, host.token)).scheduleHearing;
}
