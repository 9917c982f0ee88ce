import { AgendaItemEntity, HearingEntity, QuestionEntity, StatementEntity } from './entities/hearing.entity';

export interface MinutesRecord {
  hearing: HearingEntity;
  districtName: string;
  agenda: AgendaItemEntity[];
  proposalTitles: Map<string, string>;
  attendance: { confirmed: number; waitlisted: number; checkedIn: number; online: number; capacity: number };
  statements: StatementEntity[];
  answeredQuestions: QuestionEntity[];
  names: Map<string, string>;
}

const time = (d: Date | null) => (d ? d.toISOString().slice(11, 16) + ' UTC' : '—');
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
/** Keeps user-written text from breaking the document's own structure (headings, lists). */
const line = (text: string) => text.replace(/\r?\n+/g, ' ').trim();

/** The minutes as a Markdown document: what happened, in order, with who said what. */
export function renderMinutes(record: MinutesRecord): string {
  const { hearing } = record;
  const out: string[] = [];
  out.push(`# Minutes: ${line(hearing.title)}`, '');
  out.push(`- District: ${record.districtName}`);
  out.push(`- Held: ${hearing.startsAt.toISOString()} to ${hearing.endsAt.toISOString()}`);
  if (hearing.venue) out.push(`- Venue: ${line(hearing.venue)}`);
  if (hearing.onlineUrl) out.push(`- Online: ${hearing.onlineUrl}`);
  out.push(`- Closed: ${hearing.closedAt?.toISOString() ?? '—'}`, '');

  out.push('## Attendance', '');
  const a = record.attendance;
  out.push(`${a.checkedIn} checked in at the hall (capacity ${a.capacity}), ${a.online} online, ${a.confirmed} confirmed registrations, ${a.waitlisted} still on the waitlist.`, '');

  out.push('## Agenda', '');
  for (const item of record.agenda) {
    const proposal = item.proposalId ? ` (proposal: ${line(record.proposalTitles.get(item.proposalId) ?? 'unavailable')})` : '';
    out.push(`${item.position + 1}. ${line(item.title)}${proposal}: planned ${item.plannedMinutes} min, spent ${minutes(item.secondsSpent)}`);
  }
  out.push('');

  out.push('## Statements', '');
  for (const item of record.agenda) {
    const said = record.statements.filter((s) => s.agendaItemId === item.id);
    if (!said.length) continue;
    out.push(`### ${item.position + 1}. ${line(item.title)}`, '');
    for (const s of said) {
      const stance = s.stance ? ` [${s.stance}]` : '';
      out.push(`- **${line(record.names.get(s.speakerId) ?? 'Unknown')}**${stance}, ${time(s.startedAt)}–${time(s.endedAt)}: ${line(s.text) || '(no text recorded)'}`);
    }
    out.push('');
  }

  out.push('## Questions answered', '');
  if (!record.answeredQuestions.length) out.push('None.');
  for (const q of record.answeredQuestions) {
    out.push(`- ${line(q.text)} (${q.upvoteCount} votes, asked by ${line(record.names.get(q.authorId) ?? 'Unknown')})${q.answer ? `\n  - Answer: ${line(q.answer)}` : ''}`);
  }
  out.push('', '## Summary', '', hearing.summary ?? '', '');
  return out.join('\n');
}
