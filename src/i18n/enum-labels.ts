import { AccountKind } from '../accounts/entities/user.entity';
import { ResidencyDecision } from '../accounts/dto/residency.input';
import { ResidencyStatus } from '../accounts/entities/residency.entity';
import { AuditOutcome } from '../audit/audit-entry.entity';
import { CommentOrder } from '../discussions/dto/comment.input';
import { CommentStatus, ReactionKind, Stance } from '../discussions/entities/comment.entity';
import { AttendanceMode, HearingStatus, QuestionStatus, RegistrationStatus, SpeakerRequestStatus, SpeechEnd } from '../hearings/entities/hearing.entity';
import { NotificationKind } from '../notifications/notification.entity';
import { DataExportStatus } from '../privacy/entities/data-export.entity';
import { TermsAcceptedVia } from '../privacy/privacy.type';
import { ProposalOrder } from '../proposals/dto/proposal.input';
import { ProposalCategory, ProposalStatus } from '../proposals/entities/proposal.entity';
import { ReportDistrictOrder } from '../reports/dto/report.input';
import { ReportChannel, ReportDeadlineKind, ReportKind, ReportStatus } from '../reports/entities/report.entity';
import { SponsorshipStatus } from '../proposals/entities/proposal-records.entity';
import { ResultsVisibility, RoundStatus, VotingMethod } from '../voting/entities/voting.entity';
import { t } from './i18n';
import { Locale } from './locale';
import { QuestionnaireAnonymity, QuestionnaireAudience, QuestionnaireStatus, QuestionType } from '../questionnaires/entities/questionnaire.entity';

/**
 * The enums whose values people read, by their GraphQL name: each value's label is the catalogue key
 * "enums.<Enum>.<VALUE>" in both languages (i18n.spec checks every one through KEY_FAMILIES). Sort
 * orders are here too: they are the choices of a sort menu. The `labels` query serves them all.
 */
export const LABELLED_ENUMS = {
  AccountKind,
  AttendanceMode,
  AuditOutcome,
  CommentOrder,
  CommentStatus,
  DataExportStatus,
  HearingStatus,
  NotificationKind,
  ProposalCategory,
  ProposalOrder,
  ProposalStatus,
  QuestionStatus,
  QuestionType,
  QuestionnaireAnonymity,
  QuestionnaireAudience,
  QuestionnaireStatus,
  ReactionKind,
  RegistrationStatus,
  ReportChannel,
  ReportDistrictOrder,
  ReportDeadlineKind,
  ReportKind,
  ReportStatus,
  ResidencyDecision,
  ResidencyStatus,
  ResultsVisibility,
  RoundStatus,
  SpeakerRequestStatus,
  SpeechEnd,
  SponsorshipStatus,
  Stance,
  TermsAcceptedVia,
  VotingMethod,
} satisfies Record<string, Record<string, string>>;

export type LabelledEnum = keyof typeof LABELLED_ENUMS;

/**
 * The schema's enums that have no labels, each with the reason nobody reads its values. Every enum of
 * the schema is in one list or the other (labels.spec), so a new enum fails until someone decides.
 */
export const UNLABELLED_ENUMS: Record<string, string> = {
  Locale: 'A language picker names each language in itself (ไทย, English), whatever the language of the page.',
  HearingEventKind: 'Tells a live client which part of the hearing to redraw; people read the state it carries, not the kind.',
  DataExportFormat: 'Names a file format (JSON), which reads the same in every language; people read the status of their export.',
  ProposalUpdateKind: 'Tells a live client what to refetch about a proposal; people read the proposal, not the kind.',
  ReportUpdateKind: 'Tells a live client what changed in a report; people read the report (its status, history), not the kind.',
  ReportQueueUpdateKind: 'Tells a staff client how to update its queue (add, move, remove a row); staff read the report, not the kind.',
};

/** What a person reads for an enum's value: `enumLabel(Locale.th, 'ProposalStatus', 'IN_VOTE')` is "อยู่ระหว่างลงมติ". */
export function enumLabel(locale: Locale, enumName: LabelledEnum, value: string): string {
  return t(locale, `enums.${enumName}.${value}`);
}

/** Every labelled enum with its values in declaration order, each with its label in `locale`. */
export function enumLabels(locale: Locale): { name: LabelledEnum; values: { value: string; label: string }[] }[] {
  return (Object.keys(LABELLED_ENUMS) as LabelledEnum[]).map((name) => ({
    name,
    values: Object.values(LABELLED_ENUMS[name] as Record<string, string>).map((value) => ({ value, label: enumLabel(locale, name, value) })),
  }));
}

export function enumLabelKeys(): string[] {
  return Object.entries(LABELLED_ENUMS).flatMap(([name, values]) => Object.values(values as Record<string, string>).map((value) => `enums.${name}.${value}`));
}
