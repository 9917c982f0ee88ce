import { AccountKind } from '../accounts/entities/user.entity';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { QuestionnaireAudience } from './entities/questionnaire.entity';

/** The respondent as a response's transaction reads them (the token's viewer may be stale). */
export interface Respondent {
  kind: AccountKind;
  /** The district of their approved residency, if any. */
  residentOf: string | null;
}

/**
 * Whether the respondent follows the district. Following districts is being built separately; until it
 * lands, a district's verified residents are its followers. This is the one place to change then.
 */
export function followsDistrict(respondent: Respondent, districtCode: string): boolean {
  return respondent.residentOf === districtCode;
}

/** NOT_IN_AUDIENCE (`extensions.audience`) unless the respondent may answer a questionnaire of this audience and district. */
export function requireInAudience(audience: QuestionnaireAudience, districtCode: string, respondent: Respondent): void {
  const inAudience =
    audience === QuestionnaireAudience.SIGNED_IN ||
    (audience === QuestionnaireAudience.FOLLOWERS && followsDistrict(respondent, districtCode)) ||
    (audience === QuestionnaireAudience.VERIFIED_RESIDENTS && respondent.kind === AccountKind.PERSON && respondent.residentOf === districtCode);
  if (!inAudience) throw new AppError(ErrorCode.NOT_IN_AUDIENCE, undefined, undefined, undefined, { audience });
}
