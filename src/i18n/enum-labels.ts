import { ProposalStatus } from '../proposals/entities/proposal.entity';
import { t } from './i18n';
import { Locale } from './locale';

/**
 * The enums whose values people read, by their GraphQL name: each value's label is the catalogue key
 * "enums.<Enum>.<VALUE>" in both languages (i18n.spec checks every one through KEY_FAMILIES).
 */
export const LABELLED_ENUMS: Record<string, Record<string, string>> = {
  ProposalStatus,
};

/** What a person reads for an enum's value: `enumLabel(Locale.th, 'ProposalStatus', 'IN_VOTE')` is "อยู่ระหว่างลงมติ". */
export function enumLabel(locale: Locale, enumName: keyof typeof LABELLED_ENUMS, value: string): string {
  return t(locale, `enums.${enumName}.${value}`);
}

export function enumLabelKeys(): string[] {
  return Object.entries(LABELLED_ENUMS).flatMap(([name, values]) => Object.values(values).map((value) => `enums.${name}.${value}`));
}
