import { Account, register } from './factories';
import { TestServer } from './test-server';

export const SCHEDULE = `mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { hearing { id status agenda { id title proposal { id status } } } } }`;
/** Variables `{ i: { hearingId, mode? } }`; answers `registerForHearing.registration`. */
export const REGISTER_FOR = `mutation($i: RegisterForHearingInput!) { registerForHearing(input: $i) { registration { id status mode checkInCode } } }`;

/** A published proposal of the district, by a fresh author. */
export async function publishedProposal(api: TestServer, districtCode: string, title: string, author?: Account): Promise<string> {
  const owner = author ?? (await register(api, { displayName: `Author of ${title}` }));
  const created = await api.ok(
    `mutation($i: CreateProposalInput!) { createProposal(input: $i) { proposal { id } } }`,
    { i: { districtCode, title, summary: `สรุป ${title}`, body: `รายละเอียด ${title}`, category: 'INFRASTRUCTURE' } },
    owner.token,
  );
  await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: created.createProposal.proposal.id }, owner.token);
  return created.createProposal.proposal.id;
}

export function hoursFromNow(hours: number): string {
  return new Date(Date.now() + hours * 3600_000).toISOString();
}

/**
 * Scheduling input for a hearing that starts in half an hour (so its doors may open now, without a
 * reason), with the given agenda and capacity.
 */
export function hearingInput(districtCode: string, agenda: { title: string; proposalId?: string; plannedMinutes?: number }[], overrides: Record<string, unknown> = {}) {
  return {
    districtCode,
    title: 'เวทีรับฟังความคิดเห็น แผนพัฒนาชุมชน',
    description: 'Public hearing on the community plans of the district.',
    startsAt: hoursFromNow(0.5),
    endsAt: hoursFromNow(3.5),
    venue: 'Pathum Wan District Office, Hall 2',
    onlineUrl: 'https://meet.example.org/pathumwan-hearing',
    capacity: 4,
    speakerTimeLimitSeconds: 120,
    agenda: agenda.map((item) => ({ plannedMinutes: 30, ...item })),
    ...overrides,
  };
}

export async function scheduleHearing(api: TestServer, host: Account, input: Record<string, unknown>): Promise<{ id: string; agenda: { id: string }[] }> {
  return (await api.ok(SCHEDULE, { i: input }, host.token)).scheduleHearing.hearing;
}

// ---- driving a hearing, for suites that need one in a given state --------------------------------

export type HearingMove = 'openHearing' | 'startHearingSession' | 'adjournHearing' | 'resumeHearing';

/** A host (or an administrator) moves a hearing on, one move after another. */
export async function moveHearing(api: TestServer, host: Account, hearingId: string, ...moves: HearingMove[]): Promise<void> {
  for (const move of moves) await api.ok(`mutation($h: ID!) { ${move}(input: { hearingId: $h }) { hearing { id } } }`, { h: hearingId }, host.token);
}

/** `person` registers (in person unless told otherwise); returns the registration. */
export async function registerFor(api: TestServer, person: Account, hearingId: string, mode: 'IN_PERSON' | 'ONLINE' = 'IN_PERSON'): Promise<{ id: string; status: string; checkInCode: string | null }> {
  return (await api.ok(REGISTER_FOR, { i: { hearingId, mode } }, person.token)).registerForHearing.registration;
}

/** `person` registers and `host` checks them in at the door (the hearing must be open): an attendee. Returns the registration id. */
export async function attend(api: TestServer, host: Account, hearingId: string, person: Account): Promise<string> {
  const registration = await registerFor(api, person, hearingId);
  await api.ok(`mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id } } }`, { i: { hearingId, registrationId: registration.id } }, host.token);
  return registration.id;
}

/** An attendee asks to speak on the current item; returns the request id. */
export async function askToSpeak(api: TestServer, person: Account, hearingId: string, stance: 'FOR' | 'AGAINST' | 'NEUTRAL' = 'FOR'): Promise<string> {
  return (await api.ok(`mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id } } }`, { i: { hearingId, stance } }, person.token)).requestToSpeak.speakerRequest.id;
}

/** A host gives the floor to the next in the queue (or to the chosen request); returns the speaker request's id. */
export async function giveFloor(api: TestServer, host: Account, hearingId: string, speakerRequestId?: string): Promise<string> {
  return (await api.ok(`mutation($i: GrantFloorInput!) { grantFloor(input: $i) { speakerRequest { id } } }`, { i: { hearingId, speakerRequestId: speakerRequestId ?? null } }, host.token)).grantFloor
    .speakerRequest.id;
}

/** The speaker or a host ends the current speech. */
export async function endSpeech(api: TestServer, who: Account, hearingId: string): Promise<void> {
  await api.ok(`mutation($i: EndSpeechInput!) { endSpeech(input: $i) { speakerRequest { id } } }`, { i: { hearingId } }, who.token);
}

/** The ids of a hearing's statements so far, in order. */
export async function statementIds(api: TestServer, hearingId: string): Promise<string[]> {
  return (await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id } } }`, { h: hearingId })).hearing.statements.map((s: { id: string }) => s.id);
}

/** An attendee asks a written question; returns the question id. */
export async function askQuestion(api: TestServer, person: Account, hearingId: string, text = 'Who will maintain the footbridge?'): Promise<string> {
  return (await api.ok(`mutation($i: AskQuestionInput!) { askQuestion(input: $i) { question { id } } }`, { i: { hearingId, text } }, person.token)).askQuestion.question.id;
}
