import { AdjournmentEntity, AgendaItemEntity, HearingEntity, HearingStatus, QuestionEntity, QuestionStatus, StatementEntity } from '../../src/hearings/entities/hearing.entity';
import { MinutesRecord, renderMinutes } from '../../src/hearings/minutes';

const at = (iso: string) => new Date(iso);

/** A closed hearing's record as the minutes service gathers it. */
function record(overrides: Partial<MinutesRecord> = {}): MinutesRecord {
  const hearing = {
    id: 'h1',
    title: 'เวทีรับฟังความคิดเห็น\n# not a heading',
    startsAt: at('2026-12-05T02:00:00Z'),
    endsAt: at('2026-12-05T05:00:00Z'),
    venue: 'Pathum Wan District Office, Hall 2',
    onlineUrl: 'https://meet.example.org/pw',
    status: HearingStatus.CLOSED,
    summary: 'Residents support the walkway.',
    openedAt: at('2026-12-05T01:30:00Z'),
    openingReason: null,
    sessionStartedAt: at('2026-12-05T02:05:00Z'),
    closedAt: at('2026-12-05T04:40:00Z'),
  } as HearingEntity;
  const agenda = [
    { id: 'i1', hearingId: 'h1', position: 0, title: 'Canal walkway', proposalId: 'p1', plannedMinutes: 45, secondsSpent: 2400 },
    { id: 'i2', hearingId: 'h1', position: 1, title: 'Open floor', proposalId: null, plannedMinutes: 30, secondsSpent: 0 },
  ] as AgendaItemEntity[];
  const statements = [
    { id: 's1', agendaItemId: 'i1', speakerId: 'u1', stance: 'FOR', startedAt: at('2026-12-05T02:10:00Z'), endedAt: at('2026-12-05T02:13:00Z'), text: 'Supports lighting.\n- not a list item' },
  ] as StatementEntity[];
  const answeredQuestions = [{ id: 'q1', authorId: 'u2', text: 'Who maintains the lamps?', status: QuestionStatus.ANSWERED, upvoteCount: 3, answer: 'The district.' }] as QuestionEntity[];
  const unansweredQuestions = [{ id: 'q2', authorId: 'u1', text: 'Will it flood\n## in October?', status: QuestionStatus.OPEN, upvoteCount: 2, answer: null }] as QuestionEntity[];
  const dismissedQuestions = [{ id: 'q3', authorId: 'u2', text: 'Buy amulets in Soi 5', status: QuestionStatus.DISMISSED, upvoteCount: 0, answer: 'Advertising' }] as QuestionEntity[];
  const adjournments = [{ id: 'a1', hearingId: 'h1', adjournedAt: at('2026-12-05T03:00:00Z'), resumedAt: at('2026-12-05T03:15:00Z') }] as AdjournmentEntity[];
  return {
    hearing,
    districtName: 'ปทุมวัน (Pathum Wan)',
    agenda,
    proposalTitles: new Map([['p1', 'ทางเดินริมคลอง']]),
    attendance: { confirmed: 4, waitlisted: 1, checkedIn: 3, online: 2, capacity: 4 },
    statements,
    adjournments,
    answeredQuestions,
    unansweredQuestions,
    dismissedQuestions,
    names: new Map([
      ['u1', 'Arun'],
      ['u2', 'Busaba'],
    ]),
    ...overrides,
  };
}

describe('the minutes as a Markdown document', () => {
  it('records the agenda, who said what under each item, the questions answered and the summary', () => {
    const md = renderMinutes(record());
    expect(md).toContain('- District: ปทุมวัน (Pathum Wan)');
    expect(md).toContain('1. Canal walkway (proposal: ทางเดินริมคลอง): planned 45 min, spent 40 min');
    expect(md).toContain('2. Open floor: planned 30 min, spent 0 min');
    expect(md).toContain('3 checked in at the hall (capacity 4), 2 online');
    expect(md).toContain('### 1. Canal walkway');
    expect(md).not.toContain('### 2. Open floor');
    expect(md).toContain('- **Arun** [FOR], 02:10 UTC–02:13 UTC: Supports lighting. - not a list item');
    expect(md).toContain('- Who maintains the lamps? (3 votes, asked by Busaba)\n  - Answer: The district.');
    expect(md.trimEnd().endsWith('Residents support the walkway.')).toBe(true);
  });

  it('keeps user-written text from breaking the structure of the document', () => {
    const md = renderMinutes(record());
    expect(md.split('\n').filter((l) => l.startsWith('# '))).toEqual(['# Minutes: เวทีรับฟังความคิดเห็น # not a heading']);
    expect(md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3))).toEqual(['Attendance', 'Agenda', 'Statements', 'Questions answered', 'Questions not answered', 'Questions dismissed', 'Summary']);
  });

  it('gives the times it was held as they happened, and the scheduled ones apart', () => {
    const md = renderMinutes(record());
    expect(md).toContain('- Scheduled: 2026-12-05T02:00:00.000Z to 2026-12-05T05:00:00.000Z\n');
    expect(md).toContain('- Held: doors opened 2026-12-05T01:30:00.000Z, session started 2026-12-05T02:05:00.000Z, closed 2026-12-05T04:40:00.000Z\n');
    expect(md).toContain('- Adjourned: 2026-12-05T03:00:00.000Z to 2026-12-05T03:15:00.000Z\n');
    expect(md).not.toContain('Opening reason');
  });

  it('says how early the doors opened, and why, when it was more than an hour before the start', () => {
    const base = record().hearing;
    const hearing = { ...base, openedAt: at('2026-12-02T01:55:00Z'), openingReason: 'The hall is a flood shelter\nfrom tomorrow.' } as HearingEntity;
    const md = renderMinutes(record({ hearing }));
    expect(md).toContain('- Held: doors opened 2026-12-02T01:55:00.000Z (72 h 5 min before the scheduled start), session started');
    expect(md).toContain('- Opening reason: The hall is a flood shelter from tomorrow.\n');
  });

  it('marks what a hearing held before these times were kept does not know, and a break the close ended', () => {
    const hearing = { ...record().hearing, openedAt: null, sessionStartedAt: null } as HearingEntity;
    const adjournments = [{ id: 'a1', hearingId: 'h1', adjournedAt: at('2026-12-05T04:00:00Z'), resumedAt: null }] as AdjournmentEntity[];
    const md = renderMinutes(record({ hearing, adjournments }));
    expect(md).toContain('- Held: doors opened —, session started —, closed 2026-12-05T04:40:00.000Z\n');
    expect(md).toContain('- Adjourned: 2026-12-05T04:00:00.000Z to the close\n');
  });

  it('lists every question asked: answered, left open at the close, and dismissed with the reason', () => {
    const md = renderMinutes(record());
    expect(md).toContain('## Questions not answered\n\n- Will it flood ## in October? (2 votes, asked by Arun)\n');
    expect(md).toContain('## Questions dismissed\n\n- Buy amulets in Soi 5 (0 votes, asked by Busaba)\n  - Reason: Advertising\n');
  });

  it('says so when no question was answered, left open or dismissed', () => {
    const md = renderMinutes(record({ answeredQuestions: [], unansweredQuestions: [], dismissedQuestions: [] }));
    for (const heading of ['Questions answered', 'Questions not answered', 'Questions dismissed']) expect(md).toContain(`## ${heading}\n\nNone.`);
  });
});
