import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { Hearing } from '../hearings/hearing.type';
import { Proposal } from '../proposals/proposal.type';
import { VotingRound } from '../voting/voting.type';
import { enumLabel } from './enum-labels';

/**
 * The labels a screen shows most, beside their values, in the reader's language: a list of proposals,
 * hearings or rounds needs no `labels` lookup for its status badges. Every other value's label is in `labels`.
 */
@Resolver(() => Proposal)
export class ProposalLabelsResolver {
  @ResolveField(() => String, { description: 'What a person reads for `status`, in the request’s language: "อยู่ระหว่างลงมติ", "In vote".' })
  statusLabel(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): string {
    return enumLabel(rc.locale, 'ProposalStatus', proposal.status);
  }

  @ResolveField(() => String, { description: 'What a person reads for `category`, in the request’s language.' })
  categoryLabel(@Parent() proposal: Proposal, @Ctx() rc: RequestContext): string {
    return enumLabel(rc.locale, 'ProposalCategory', proposal.category);
  }
}

@Resolver(() => Hearing)
export class HearingLabelsResolver {
  @ResolveField(() => String, { description: 'What a person reads for `status`, in the request’s language.' })
  statusLabel(@Parent() hearing: Hearing, @Ctx() rc: RequestContext): string {
    return enumLabel(rc.locale, 'HearingStatus', hearing.status);
  }
}

@Resolver(() => VotingRound)
export class VotingRoundLabelsResolver {
  @ResolveField(() => String, { description: 'What a person reads for `status`, in the request’s language.' })
  statusLabel(@Parent() round: VotingRound, @Ctx() rc: RequestContext): string {
    return enumLabel(rc.locale, 'RoundStatus', round.status);
  }

  @ResolveField(() => String, { description: 'What a person reads for `method`, in the request’s language.' })
  methodLabel(@Parent() round: VotingRound, @Ctx() rc: RequestContext): string {
    return enumLabel(rc.locale, 'VotingMethod', round.method);
  }
}

export const LABEL_FIELD_RESOLVERS = [ProposalLabelsResolver, HearingLabelsResolver, VotingRoundLabelsResolver];
