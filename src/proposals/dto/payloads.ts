import { Field, ObjectType } from '@nestjs/graphql';
import { District } from '../../districts/district.type';
import { Proposal } from '../proposal.type';

/** Every proposal mutation answers with the proposal as it is after the change. */
@ObjectType({ isAbstract: true })
abstract class ProposalPayload {
  @Field(() => Proposal)
  proposal: Proposal;
}

@ObjectType()
export class CreateProposalPayload extends ProposalPayload {}

@ObjectType()
export class UpdateProposalPayload extends ProposalPayload {}

@ObjectType()
export class PublishProposalPayload extends ProposalPayload {}

@ObjectType()
export class WithdrawProposalPayload extends ProposalPayload {}

@ObjectType()
export class HideProposalPayload extends ProposalPayload {}

@ObjectType()
export class RestoreProposalPayload extends ProposalPayload {}

@ObjectType()
export class InviteCoSponsorPayload extends ProposalPayload {}

@ObjectType()
export class RespondToCoSponsorInvitationPayload extends ProposalPayload {}

@ObjectType()
export class EndorseProposalPayload extends ProposalPayload {}

@ObjectType()
export class WithdrawEndorsementPayload extends ProposalPayload {}

@ObjectType()
export class PostProgressUpdatePayload extends ProposalPayload {}

@ObjectType()
export class SetEndorsementThresholdPayload {
  @Field(() => District)
  district: District;
}
