import { AgendaItemEntity, HearingEntity, HearingStatus, QuestionEntity, QuestionStatus, StatementEntity } from '../../src/hearings/entities/hearing.entity';
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
  return {
    hearing,
    districtName: 'ปทุมวัน (Pathum Wan)',
    agenda,
    proposalTitles: new Map([['p1', 'ทางเดินริมคลอง']]),
    attendance: { confirmed: 4, waitlisted: 1, checkedIn: 3, online: 2, capacity: 4 },
    statements,
    answeredQuestions,
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
  });

  it('says so when no question was answered', () => {
    expect(renderMinutes(record({ answeredQuestions: [] }))).toContain('## Questions answered\n\nNone.');
  });
});
