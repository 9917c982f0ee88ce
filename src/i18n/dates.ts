import { Locale } from './locale';
import { t } from './i18n';

/** The time zone people in Bangkok read times in (UTC+7, no daylight saving). The API's DateTime values stay RFC 3339 in UTC. */
export const BANGKOK = 'Asia/Bangkok';

const formats = {
  // Thai dates in the Thai style, with the Buddhist-era year: "2 ธันวาคม 2569".
  [Locale.th]: {
    date: new Intl.DateTimeFormat('th-TH-u-ca-buddhist-nu-latn', { timeZone: BANGKOK, day: 'numeric', month: 'long', year: 'numeric' }),
    time: new Intl.DateTimeFormat('th-TH-u-nu-latn', { timeZone: BANGKOK, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  },
  // English dates in the British style used in Thailand's English-language press: "2 December 2026".
  [Locale.en]: {
    date: new Intl.DateTimeFormat('en-GB', { timeZone: BANGKOK, day: 'numeric', month: 'long', year: 'numeric' }),
    time: new Intl.DateTimeFormat('en-GB', { timeZone: BANGKOK, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  },
};

/** A day as a person reads it, in Bangkok: "2 ธันวาคม 2569", "2 December 2026". */
export function formatDate(locale: Locale, date: Date): string {
  return formats[locale].date.format(date);
}

/** A time of day in Bangkok: "09:30". */
export function formatTime(locale: Locale, date: Date): string {
  return formats[locale].time.format(date);
}

/** A moment as a person reads it, in Bangkok: "2 ธันวาคม 2569 เวลา 09:30 น.", "2 December 2026 at 09:30". */
export function formatDateTime(locale: Locale, date: Date): string {
  return t(locale, 'dates.dateTime', { date: formatDate(locale, date), time: formatTime(locale, date) });
}
