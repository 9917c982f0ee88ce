import { AccountKind } from '../accounts/entities/user.entity';
import { AppError, ErrorCode } from '../common/errors/app-error';
import { QuestionnaireAudience } from './entities/questionnaire.entity';

/** The respondent as a response's transaction reads them (the token's viewer may be stale). */
export interface Respondent {
  kind: AccountKind;
  /** The district of their approved residency, if any. */
  residentOf: string | null;
  /** Their rows of district_follows: district code → following (a resident who unfollowed has false). */
  follows: ReadonlyMap<string, boolean>;
}

/**
 * Whether the respondent follows the district, as src/following counts it: a follow they chose, or their
 * home district unless they unfollowed it.
 */
export function followsDistrict(respondent: Respondent, districtCode: string): boolean {
  return respondent.follows.get(districtCode) ?? respondent.residentOf === districtCode;
}

/** NOT_IN_AUDIENCE (`extensions.audience`) unless the respondent may answer a questionnaire of this audience and district. */
export function requireInAudience(audience: QuestionnaireAudience, districtCode: string, respondent: Respondent): void {
  const inAudience =
    audience === QuestionnaireAudience.SIGNED_IN ||
    (audience === QuestionnaireAudience.FOLLOWERS && followsDistrict(respondent, districtCode)) ||
    (audience === QuestionnaireAudience.VERIFIED_RESIDENTS && respondent.kind === AccountKind.PERSON && respondent.residentOf === districtCode);
  if (!inAudience) throw new AppError(ErrorCode.NOT_IN_AUDIENCE, undefined, undefined, undefined, { audience });
}
