import { Note, renderMessage } from '../common/errors/app-error';
import { formatDateTime } from '../i18n/dates';
import { enumLabel } from '../i18n/enum-labels';
import { t } from '../i18n/i18n';
import { Locale } from '../i18n/locale';
import { NotificationKind, NotificationValues } from './notification.entity';

/** A notification as its reader reads it, in their language. */
export interface NotificationText {
  title: string;
  body: string | null;
}

/** What a kind's text is written from: its stored values, and what it quotes as it reads now (or null). */
interface Facts {
  values: NotificationValues;
  quote: string | null;
}

interface KindTexts {
  /** The parts under "notifications.<KIND>." this kind may use: always title and body, some a variant. */
  parts: string[];
  write(say: (part: string, values?: Record<string, unknown>) => string, locale: Locale, facts: Facts): NotificationText;
}

const quoted = (say: (part: string, values?: Record<string, unknown>) => string, quote: string | null) => (quote === null ? null : say('body', { quote }));
const withReason = (say: (part: string, values?: Record<string, unknown>) => string, reason: string | undefined) => (reason ? say('body', { reason }) : null);

/** District news (src/following): its title as it read when told, in the reader's language when it had one. */
function newsBody(say: (part: string, values?: Record<string, unknown>) => string, locale: Locale, values: NotificationValues): string | null {
  const title = values.newsTitle ? (values.newsTitle[locale] ?? values.newsTitle.th) : null;
  return title === null ? null : say('body', { title });
}

/** A followed (or home) district's proposal, hearing, vote or questionnaire: where, and its title. */
function districtNews(): KindTexts {
  return {
    parts: ['title', 'titleCityWide', 'body'],
    write: (say, locale, { values }) => ({ title: values.district ? say('title', { district: values.district[locale] }) : say('titleCityWide'), body: newsBody(say, locale, values) }),
  };
}

/**
 * How each kind reads, by catalogue keys "notifications.<KIND>.<part>" (src/i18n/<locale>/notifications.json).
 * A Record, so a new kind does not compile until it has texts; notification-texts.spec writes every kind in
 * every language, and i18n.spec checks every part through KEY_FAMILIES.
 */
const TEXTS: Record<NotificationKind, KindTexts> = {
  [NotificationKind.COMMENT_REPLY]: { parts: ['title', 'body'], write: (say, _l, { quote }) => ({ title: say('title'), body: quoted(say, quote) }) },
  [NotificationKind.COMMENT_HIDDEN]: { parts: ['title', 'body'], write: (say, _l, { values }) => ({ title: say('title'), body: withReason(say, values.reason) }) },
  [NotificationKind.COMMENT_RESTORED]: { parts: ['title', 'body'], write: (say, _l, { values }) => ({ title: say('title'), body: withReason(say, values.reason) }) },
  [NotificationKind.COSPONSOR_INVITATION]: { parts: ['title', 'body'], write: (say, _l, { quote }) => ({ title: say('title'), body: quoted(say, quote) }) },
  [NotificationKind.PROPOSAL_STATUS_CHANGED]: {
    parts: ['title', 'titleWithoutStatus', 'body', 'bodyWithNote'],
    write: (say, locale, { values }) => {
      const status = (value: string | undefined) => (value ? enumLabel(locale, 'ProposalStatus', value) : '');
      const from = status(values.from);
      const to = status(values.to);
      const note = values.note === undefined || values.note === '' ? null : writeNote(locale, values.note);
      // Without a status (only a row from before notifications were structured, kept as legacyText), the title says no more than it knows.
      const title = values.to ? say('title', { status: to }) : say('titleWithoutStatus');
      return { title, body: note === null ? say('body', { from, to }) : say('bodyWithNote', { from, to, note }) };
    },
  },
  [NotificationKind.HEARING_OPENED]: {
    parts: ['title', 'body'],
    write: (say, _l, { values }) => ({ title: say('title', { hearing: values.hearing }), body: values.place ? say('body', { place: values.place }) : null }),
  },
  [NotificationKind.HEARING_RESCHEDULED]: {
    parts: ['title', 'body', 'bodyWithPlace'],
    write: (say, locale, { values }) => {
      const when = { startsAt: formatDateTime(locale, new Date(values.startsAt!)), endsAt: formatDateTime(locale, new Date(values.endsAt!)) };
      return { title: say('title', { hearing: values.hearing }), body: values.place ? say('bodyWithPlace', { ...when, place: values.place }) : say('body', when) };
    },
  },
  [NotificationKind.HEARING_AGENDA_CHANGED]: {
    parts: ['title', 'body', 'bodyEmpty'],
    write: (say, _l, { values }) => ({ title: say('title', { hearing: values.hearing }), body: values.agenda?.length ? say('body', { items: values.agenda.join(' · ') }) : say('bodyEmpty') }),
  },
  [NotificationKind.HEARING_CANCELLED]: {
    parts: ['title', 'body'],
    write: (say, _l, { values }) => ({ title: say('title', { hearing: values.hearing }), body: withReason(say, values.reason) }),
  },
  [NotificationKind.REPORT_STATUS_CHANGED]: {
    parts: ['title', 'body', 'bodyWithNote'],
    write: (say, locale, { values }) => {
      const from = values.from ? enumLabel(locale, 'ReportStatus', values.from) : '';
      const to = values.to ? enumLabel(locale, 'ReportStatus', values.to) : '';
      const note = values.note === undefined || values.note === '' ? null : writeNote(locale, values.note);
      return { title: say('title', { status: to }), body: note === null ? say('body', { from, to }) : say('bodyWithNote', { from, to, note }) };
    },
  },
  [NotificationKind.CITING_PROPOSAL_CHANGED]: {
    // The body says what the step means for the people who reported the problem: a plan now exists, was adopted, was carried out.
    parts: ['title', 'bodyPublished', 'bodyAdopted', 'bodyCompleted'],
    write: (say, locale, { values }) => {
      const to = values.to ?? 'PUBLISHED';
      const body = { PUBLISHED: 'bodyPublished', ADOPTED: 'bodyAdopted', COMPLETED: 'bodyCompleted' }[to] ?? 'bodyPublished';
      return { title: say('title', { status: enumLabel(locale, 'ProposalStatus', to) }), body: say(body) };
    },
  },
  [NotificationKind.DISTRICT_ANNOUNCEMENT]: {
    parts: ['title', 'titleCityWide', 'titleEmergency', 'titleEmergencyCityWide', 'kindNews', 'kindNotice', 'kindEvent', 'body'],
    write: (say, locale, { values }) => {
      const where = values.district ? { district: values.district[locale] } : undefined;
      if (values.announcementKind === 'EMERGENCY') return { title: say(where ? 'titleEmergency' : 'titleEmergencyCityWide', where), body: newsBody(say, locale, values) };
      const kind = say({ NOTICE: 'kindNotice', EVENT: 'kindEvent' }[values.announcementKind ?? ''] ?? 'kindNews');
      return { title: say(where ? 'title' : 'titleCityWide', { ...where, kind }), body: newsBody(say, locale, values) };
    },
  },
  [NotificationKind.DISTRICT_PROPOSAL]: districtNews(),
  [NotificationKind.DISTRICT_HEARING]: districtNews(),
  [NotificationKind.DISTRICT_VOTE]: districtNews(),
  [NotificationKind.DISTRICT_QUESTIONNAIRE]: districtNews(),
  [NotificationKind.WAITLIST_PROMOTED]: { parts: ['title', 'body'], write: (say, _l, { values }) => ({ title: say('title', { hearing: values.hearing }), body: say('body') }) },
};

/**
 * A note on a proposal's change of status in `locale`: as a person wrote it, or the system's message
 * (whose values may themselves be messages: "{{why}}; heard at ...").
 */
export function writeNote(locale: Locale, note: Note): string {
  return typeof note === 'string' ? note : renderMessage(locale, note);
}

/** A notification written out in `locale` from what was stored and what it quotes now. */
export function writeNotification(locale: Locale, kind: NotificationKind, values: NotificationValues, quote: string | null): NotificationText {
  const say = (part: string, given?: Record<string, unknown>) => t(locale, `notifications.${kind}.${part}`, given);
  const text = TEXTS[kind].write(say, locale, { values, quote });
  // Text kept from before notifications were structured, which the migration could not take apart, is shown as it was.
  return values.legacyText ? { title: text.title, body: values.legacyText } : text;
}

/** Every key writeNotification can build (a KEY_FAMILIES entry). */
export function notificationKeys(): string[] {
  return Object.entries(TEXTS).flatMap(([kind, texts]) => texts.parts.map((part) => `notifications.${kind}.${part}`));
}
