import { AdjournmentEntity, AgendaItemEntity, HearingEntity, QuestionEntity, StatementEntity } from './entities/hearing.entity';
import { opensEarly } from './hearing-lifecycle';

export interface MinutesRecord {
  hearing: HearingEntity;
  districtName: string;
  agenda: AgendaItemEntity[];
  proposalTitles: Map<string, string>;
  attendance: { confirmed: number; waitlisted: number; checkedIn: number; online: number; capacity: number };
  statements: StatementEntity[];
  adjournments: AdjournmentEntity[];
  answeredQuestions: QuestionEntity[];
  /** Still open when the hearing closed. */
  unansweredQuestions: QuestionEntity[];
  dismissedQuestions: QuestionEntity[];
  names: Map<string, string>;
}

const time = (d: Date | null) => (d ? d.toISOString().slice(11, 16) + ' UTC' : '—');
/** A moment the record kept; hearings held before it kept them have none. */
const instant = (d: Date | null) => d?.toISOString() ?? '—';
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
/** A stretch of time in hours and minutes: "72 h", "1 h 5 min", "20 min". */
function span(ms: number): string {
  const total = Math.round(ms / 60_000);
  const [h, m] = [Math.floor(total / 60), total % 60];
  return [h ? `${h} h` : '', m || !h ? `${m} min` : ''].filter(Boolean).join(' ');
}
/** Keeps user-written text from breaking the document's own structure (headings, lists). */
const line = (text: string) => text.replace(/\r?\n+/g, ' ').trim();

/** When it really happened, as stored at each move (the scheduled times are a line of their own). */
function held(hearing: HearingEntity): string {
  const early = hearing.openedAt && opensEarly(hearing.startsAt, hearing.openedAt) ? ` (${span(hearing.startsAt.getTime() - hearing.openedAt.getTime())} before the scheduled start)` : '';
  return `doors opened ${instant(hearing.openedAt)}${early}, session started ${instant(hearing.sessionStartedAt)}, closed ${instant(hearing.closedAt)}`;
}

/** The minutes as a Markdown document: what happened, in order, with who said what. */
export function renderMinutes(record: MinutesRecord): string {
  const { hearing } = record;
  const out: string[] = [];
  out.push(`# Minutes: ${line(hearing.title)}`, '');
  out.push(`- District: ${record.districtName}`);
  out.push(`- Scheduled: ${hearing.startsAt.toISOString()} to ${hearing.endsAt.toISOString()}`);
  out.push(`- Held: ${held(hearing)}`);
  if (record.adjournments.length) out.push(`- Adjourned: ${record.adjournments.map((a) => `${a.adjournedAt.toISOString()} to ${a.resumedAt?.toISOString() ?? 'the close'}`).join('; ')}`);
  if (hearing.openingReason) out.push(`- Opening reason: ${line(hearing.openingReason)}`);
  if (hearing.venue) out.push(`- Venue: ${line(hearing.venue)}`);
  if (hearing.onlineUrl) out.push(`- Online: ${hearing.onlineUrl}`);
  out.push('');

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

  const questions = (heading: string, list: QuestionEntity[], note?: string) => {
    out.push(`## ${heading}`, '');
    if (!list.length) out.push('None.');
    for (const q of list) {
      const noted = note && q.answer ? `\n  - ${note}: ${line(q.answer)}` : '';
      out.push(`- ${line(q.text)} (${q.upvoteCount} votes, asked by ${line(record.names.get(q.authorId) ?? 'Unknown')})${noted}`);
    }
    out.push('');
  };
  questions('Questions answered', record.answeredQuestions, 'Answer');
  questions('Questions not answered', record.unansweredQuestions);
  questions('Questions dismissed', record.dismissedQuestions, 'Reason');
  out.push('## Summary', '', hearing.summary ?? '', '');
  return out.join('\n');
}
