import { AdjournmentEntity, AgendaItemEntity, HearingEntity, HearingStatus, QuestionEntity, QuestionStatus, StatementEntity } from '../../src/hearings/entities/hearing.entity';
import { MinutesRecord, renderMinutes } from '../../src/hearings/minutes';
import { Locale } from '../../src/i18n/locale';

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
    districtName: { th: 'ปทุมวัน', en: 'Pathum Wan' },
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

/** The minutes as an English reader gets them. */
const english = (r: MinutesRecord) => renderMinutes(r, Locale.en);

describe('the minutes as a Markdown document', () => {
  it('records the agenda, who said what under each item, the questions answered and the summary', () => {
    const md = english(record());
    expect(md).toContain('- District: Pathum Wan\n');
    expect(md).toContain('1. Canal walkway (proposal: ทางเดินริมคลอง): planned 45 min, spent 40 min');
    expect(md).toContain('2. Open floor: planned 30 min, spent 0 min');
    expect(md).toContain('3 checked in at the hall (capacity 4), 2 online');
    expect(md).toContain('### 1. Canal walkway');
    expect(md).not.toContain('### 2. Open floor');
    expect(md).toContain('- **Arun** [For], 09:10–09:13: Supports lighting. - not a list item');
    expect(md).toContain('- Who maintains the lamps? (3 votes, asked by Busaba)\n  - Answer: The district.');
    expect(md.trimEnd().endsWith('Residents support the walkway.')).toBe(true);
  });

  it('keeps user-written text from breaking the structure of the document', () => {
    const md = english(record());
    expect(md.split('\n').filter((l) => l.startsWith('# '))).toEqual(['# Minutes: เวทีรับฟังความคิดเห็น # not a heading']);
    expect(md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3))).toEqual(['Attendance', 'Agenda', 'Statements', 'Questions answered', 'Questions not answered', 'Questions dismissed', 'Summary']);
  });

  it('gives the times it was held as they happened, and the scheduled ones apart', () => {
    const md = english(record());
    expect(md).toContain('- Scheduled: 5 December 2026 at 09:00 to 5 December 2026 at 12:00\n');
    expect(md).toContain('- Held: doors opened 5 December 2026 at 08:30, session started 5 December 2026 at 09:05, closed 5 December 2026 at 11:40\n');
    expect(md).toContain('- Adjourned: 5 December 2026 at 10:00 to 5 December 2026 at 10:15\n');
    expect(md).not.toContain('Opening reason');
  });

  it('says how early the doors opened, and why, when it was more than an hour before the start', () => {
    const base = record().hearing;
    const hearing = { ...base, openedAt: at('2026-12-02T01:55:00Z'), openingReason: 'The hall is a flood shelter\nfrom tomorrow.' } as HearingEntity;
    const md = english(record({ hearing }));
    expect(md).toContain('- Held: doors opened 2 December 2026 at 08:55 (72 h 5 min before the scheduled start), session started');
    expect(md).toContain('- Opening reason: The hall is a flood shelter from tomorrow.\n');
  });

  it('marks what a hearing held before these times were kept does not know, and a break the close ended', () => {
    const hearing = { ...record().hearing, openedAt: null, sessionStartedAt: null } as HearingEntity;
    const adjournments = [{ id: 'a1', hearingId: 'h1', adjournedAt: at('2026-12-05T04:00:00Z'), resumedAt: null }] as AdjournmentEntity[];
    const md = english(record({ hearing, adjournments }));
    expect(md).toContain('- Held: doors opened —, session started —, closed 5 December 2026 at 11:40\n');
    expect(md).toContain('- Adjourned: 5 December 2026 at 11:00 to the close\n');
  });

  it('lists every question asked: answered, left open at the close, and dismissed with the reason', () => {
    const md = english(record());
    expect(md).toContain('## Questions not answered\n\n- Will it flood ## in October? (2 votes, asked by Arun)\n');
    expect(md).toContain('## Questions dismissed\n\n- Buy amulets in Soi 5 (0 votes, asked by Busaba)\n  - Reason: Advertising\n');
  });

  it('says so when no question was answered, left open or dismissed', () => {
    const md = english(record({ answeredQuestions: [], unansweredQuestions: [], dismissedQuestions: [] }));
    for (const heading of ['Questions answered', 'Questions not answered', 'Questions dismissed']) expect(md).toContain(`## ${heading}\n\nNone.`);
  });
});

describe('the minutes in the reader’s language', () => {
  const thai = renderMinutes(record(), Locale.th);
  const en = english(record());

  it('a Thai officer reads Thai headings, Thai stances and Bangkok times with the Buddhist-era year', () => {
    expect(thai.split('\n')[0]).toBe('# รายงานการประชุม: เวทีรับฟังความคิดเห็น # not a heading');
    expect(thai.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3))).toEqual([
      'ผู้เข้าร่วมประชุม',
      'ระเบียบวาระ',
      'ความเห็นในที่ประชุม',
      'คำถามที่ได้รับคำตอบ',
      'คำถามที่ยังไม่ได้รับคำตอบ',
      'คำถามที่ไม่รับพิจารณา',
      'สรุปผลการประชุม',
    ]);
    expect(thai).toContain('- เขต: ปทุมวัน\n');
    // 02:00 UTC is 09:00 in Bangkok, on 5 December 2569 of the Buddhist era.
    expect(thai).toContain('- กำหนดการ: 5 ธันวาคม 2569 เวลา 09:00 น. ถึง 5 ธันวาคม 2569 เวลา 12:00 น.\n');
    expect(thai).toContain('เปิดให้ลงทะเบียนเข้างาน 5 ธันวาคม 2569 เวลา 08:30 น.');
    expect(thai).toContain('- **Arun** [เห็นด้วย], 09:10–09:13 น.: Supports lighting. - not a list item');
    expect(thai).toContain('1. Canal walkway (ข้อเสนอ: ทางเดินริมคลอง): กำหนดไว้ 45 นาที ใช้จริง 40 นาที');
    expect(thai).toContain('- Who maintains the lamps? (3 เสียงสนับสนุน ถามโดย Busaba)\n  - คำตอบ: The district.');
    // No UTC time, no Common-era year, no enum name, no English label.
    expect(thai).not.toMatch(/UTC|2026|\bFOR\b|Minutes|Held|Scheduled|planned/);
  });

  it('says what the Thai reader needs even where the record has nothing to say', () => {
    const hidden = renderMinutes(record({ proposalTitles: new Map([['p1', null]]), answeredQuestions: [], names: new Map() }), Locale.th);
    expect(hidden).toContain('(ข้อเสนอ: (ข้อเสนอถูกซ่อนโดยสำนักงานเขต))');
    expect(hidden).toContain('## คำถามที่ได้รับคำตอบ\n\nไม่มี\n');
    expect(hidden).toContain('- **ไม่ทราบชื่อ** [เห็นด้วย]');
    const early = renderMinutes(record({ hearing: { ...record().hearing, openedAt: at('2026-12-02T01:55:00Z') } as HearingEntity }), Locale.th);
    expect(early).toContain('(ก่อนเวลาเริ่มตามกำหนด 72 ชั่วโมง 5 นาที)');
    expect(english(record({ proposalTitles: new Map([['p1', null]]) }))).toContain('(proposal: (hidden by the district))');
  });

  it('keeps what people said, their names and what they wrote the same in both languages', () => {
    for (const kept of ['Supports lighting. - not a list item', '**Arun**', 'Busaba', 'Who maintains the lamps?', 'The district.', 'Will it flood ## in October?', 'Advertising', 'Pathum Wan District Office, Hall 2', 'https://meet.example.org/pw', 'Residents support the walkway.', 'ทางเดินริมคลอง']) {
      expect(thai).toContain(kept);
      expect(en).toContain(kept);
    }
    // The same document, line for line: only the words around the record differ.
    expect(thai.split('\n')).toHaveLength(en.split('\n').length);
  });
});
