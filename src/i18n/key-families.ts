import { notificationKeys } from '../notifications/notification-texts';
import { builtErrorKeys } from '../common/errors/built-message-keys';
import { openDataColumnKeys } from '../reports/report-open-data.controller';
import { resultsColumnKeys } from '../questionnaires/results/questionnaire-results.controller';
import { enumLabelKeys } from './enum-labels';

/**
 * Message keys that code builds at run time (from an enum's value, a notification's kind, an error's
 * code) rather than writing them out: each family lists every key it can build, so that i18n.spec can
 * check that each one is in both catalogues and that no catalogue key is left unused.
 */
export interface KeyFamily {
  /** Where the keys are built, for the failure message. */
  builtBy: string;
  keys(): string[];
}

export const KEY_FAMILIES: KeyFamily[] = [
  { builtBy: 'enumLabel (src/i18n/enum-labels.ts)', keys: enumLabelKeys },
  { builtBy: 'writeNotification (src/notifications/notification-texts.ts)', keys: notificationKeys },
  { builtBy: 'errors built from a value (src/common/errors/built-message-keys.ts)', keys: builtErrorKeys },
  { builtBy: 'the open data CSV headers (src/reports/report-open-data.controller.ts)', keys: openDataColumnKeys },
  { builtBy: 'the questionnaire results CSV headers (src/questionnaires/results/questionnaire-results.controller.ts)', keys: resultsColumnKeys },
];
