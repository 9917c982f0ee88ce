import { HEARING_ACTIONS, LIVE } from '../../hearings/hearing-lifecycle';
import { HearingStatus } from '../../hearings/entities/hearing.entity';
import { PROPOSAL_ACTIONS } from '../../proposals/proposal-lifecycle';
import { REPORT_ACTIONS } from '../../reports/report-lifecycle';
import { ROUND_ACTIONS } from '../../voting/voting-rounds.service';
import { defaultMessageKeys, thingKeys } from './app-error';

/**
 * The error message keys code builds from a value (a code, a thing, an action's verb, the statuses a
 * hearing must be in): listed for i18n.spec through KEY_FAMILIES.
 */
export function builtErrorKeys(): string[] {
  const hearingStatusSets: readonly (readonly HearingStatus[])[] = [[HearingStatus.IN_SESSION], [HearingStatus.IN_SESSION, HearingStatus.ADJOURNED], LIVE];
  return [
    ...defaultMessageKeys(),
    ...thingKeys(),
    ...Object.keys(PROPOSAL_ACTIONS).map((action) => `errors.proposals.actions.${action}`),
    ...Object.keys(REPORT_ACTIONS).map((action) => `reports.actions.${action}`),
    ...Object.keys(HEARING_ACTIONS).map((action) => `errors.hearings.actions.${action}`),
    ...ROUND_ACTIONS.map((action) => `errors.voting.actions.${action}`),
    ...['HIDE', 'RESTORE'].map((action) => `errors.discussions.actions.${action}`),
    ...['appoint', 'remove'].map((action) => `errors.accounts.hostActions.${action}`),
    ...hearingStatusSets.map((statuses) => `errors.hearings.statuses.${statuses.join('_or_')}`),
  ];
}
