import { AdjournmentEntity, AgendaItemEntity, HearingEntity, QuestionEntity, StatementEntity } from './entities/hearing.entity';
import { opensEarly } from './hearing-lifecycle';
import { formatDateTime, formatTime } from '../i18n/dates';
import { enumLabel } from '../i18n/enum-labels';
import { t } from '../i18n/i18n';
import { Locale } from '../i18n/locale';

export interface MinutesRecord {
  hearing: HearingEntity;
  /** The district's name in each language (its code when the district is unknown). */
  districtName: Record<Locale, string>;
  agenda: AgendaItemEntity[];
  /** Titles of the proposals on the agenda; null for one the district has hidden since (named without its title). */
  proposalTitles: Map<string, string | null>;
  attendance: { confirmed: number; waitlisted: number; checkedIn: number; online: number; capacity: number };
  statements: StatementEntity[];
  adjournments: AdjournmentEntity[];
  answeredQuestions: QuestionEntity[];
  /** Still open when the hearing closed. */
  unansweredQuestions: QuestionEntity[];
  dismissedQuestions: QuestionEntity[];
  names: Map<string, string>;
}

/** A moment the record kept, as the reader reads it in Bangkok; hearings held before it kept them have none. */
const when = (locale: Locale, d: Date | null) => (d ? formatDateTime(locale, d) : '—');
/** A time of day in Bangkok: a statement's start and end. */
const time = (locale: Locale, d: Date | null) => (d ? formatTime(locale, d) : '—');
/** A stretch of time in hours and minutes: "72 h", "1 h 5 min", "20 min" ("72 ชั่วโมง 5 นาที"). */
function span(locale: Locale, ms: number): string {
  const total = Math.round(ms / 60_000);
  const [h, m] = [Math.floor(total / 60), total % 60];
  return [h ? t(locale, 'minutes.span.hours', { count: h }) : '', m || !h ? t(locale, 'minutes.span.minutes', { count: m }) : ''].filter(Boolean).join(' ');
}
/** Keeps user-written text from breaking the document's own structure (headings, lists). */
const line = (text: string) => text.replace(/\r?\n+/g, ' ').trim();

/** When it really happened, as stored at each move (the scheduled times are a line of their own). */
function held(locale: Locale, hearing: HearingEntity): string {
  const early = hearing.openedAt && opensEarly(hearing.startsAt, hearing.openedAt) ? t(locale, 'minutes.openedEarly', { span: span(locale, hearing.startsAt.getTime() - hearing.openedAt.getTime()) }) : '';
  return t(locale, 'minutes.heldAt', { opened: when(locale, hearing.openedAt), early, started: when(locale, hearing.sessionStartedAt), closed: when(locale, hearing.closedAt) });
}

/**
 * The minutes as a Markdown document in the reader's language: what happened, in order, with who said
 * what. Composed at read time from the stored record, so the words around it (headings, labels,
 * stances, times in Bangkok) are the reader's while what people said and their names stay as recorded.
 */
export function renderMinutes(record: MinutesRecord, locale: Locale): string {
  const { hearing } = record;
  const out: string[] = [];
  const field = (key: string, value: string) => out.push(`- ${t(locale, key)}: ${value}`);
  const heading = (key: string) => out.push(`## ${t(locale, key)}`, '');
  out.push(`# ${t(locale, 'minutes.title', { title: line(hearing.title) })}`, '');
  field('minutes.fields.district', record.districtName[locale]);
  field('minutes.fields.scheduled', t(locale, 'minutes.range', { from: when(locale, hearing.startsAt), to: when(locale, hearing.endsAt) }));
  field('minutes.fields.held', held(locale, hearing));
  if (record.adjournments.length) {
    const breaks = record.adjournments.map((a) => t(locale, 'minutes.range', { from: when(locale, a.adjournedAt), to: a.resumedAt ? when(locale, a.resumedAt) : t(locale, 'minutes.theClose') }));
    field('minutes.fields.adjourned', breaks.join('; '));
  }
  if (hearing.openingReason) field('minutes.fields.openingReason', line(hearing.openingReason));
  if (hearing.venue) field('minutes.fields.venue', line(hearing.venue));
  if (hearing.onlineUrl) field('minutes.fields.online', hearing.onlineUrl);
  out.push('');

  heading('minutes.headings.attendance');
  out.push(t(locale, 'minutes.attendance', record.attendance), '');

  heading('minutes.headings.agenda');
  for (const item of record.agenda) {
    const title = item.proposalId ? record.proposalTitles.get(item.proposalId) : undefined;
    const named = title === null ? t(locale, 'minutes.proposalHidden') : title === undefined ? t(locale, 'minutes.proposalUnavailable') : line(title);
    const proposal = item.proposalId ? t(locale, 'minutes.proposal', { title: named }) : '';
    const planned = t(locale, 'minutes.span.minutes', { count: item.plannedMinutes });
    const spent = t(locale, 'minutes.span.minutes', { count: Math.round(item.secondsSpent / 60) });
    out.push(t(locale, 'minutes.agendaItem', { number: item.position + 1, title: line(item.title), proposal, planned, spent }));
  }
  out.push('');

  heading('minutes.headings.statements');
  const nameOf = (id: string) => line(record.names.get(id) ?? t(locale, 'minutes.unknownPerson'));
  for (const item of record.agenda) {
    const said = record.statements.filter((s) => s.agendaItemId === item.id);
    if (!said.length) continue;
    out.push(`### ${item.position + 1}. ${line(item.title)}`, '');
    for (const s of said) {
      const stance = s.stance ? ` [${enumLabel(locale, 'Stance', s.stance)}]` : '';
      const times = t(locale, 'minutes.timeRange', { from: time(locale, s.startedAt), to: time(locale, s.endedAt) });
      out.push(`- **${nameOf(s.speakerId)}**${stance}, ${times}: ${line(s.text) || t(locale, 'minutes.noText')}`);
    }
    out.push('');
  }

  const questions = (headingKey: string, list: QuestionEntity[], noteKey?: string) => {
    heading(headingKey);
    if (!list.length) out.push(t(locale, 'minutes.none'));
    for (const q of list) {
      const noted = noteKey && q.answer ? `\n  - ${t(locale, noteKey)}: ${line(q.answer)}` : '';
      out.push(`- ${t(locale, 'minutes.question', { text: line(q.text), votes: q.upvoteCount, name: nameOf(q.authorId) })}${noted}`);
    }
    out.push('');
  };
  questions('minutes.headings.answered', record.answeredQuestions, 'minutes.answer');
  questions('minutes.headings.unanswered', record.unansweredQuestions);
  questions('minutes.headings.dismissed', record.dismissedQuestions, 'minutes.reason');
  heading('minutes.headings.summary');
  out.push(hearing.summary ?? '', '');
  return out.join('\n');
}
