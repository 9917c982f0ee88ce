import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ProposalCategory, ProposalStatus } from '../entities/proposal.entity';

registerEnumType(ProposalStatus, { name: 'ProposalStatus' });
registerEnumType(ProposalCategory, { name: 'ProposalCategory' });

export enum ProposalOrder {
  NEWEST = 'NEWEST',
  MOST_ENDORSED = 'MOST_ENDORSED',
  MOST_DISCUSSED = 'MOST_DISCUSSED',
}
registerEnumType(ProposalOrder, { name: 'ProposalOrder' });

@InputType()
export class LocationInput {
  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude; must be in Bangkok.' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude; must be in Bangkok.' })
  longitude?: number | null;

  @Field(() => String, { nullable: true })
  address?: string | null;
}

@InputType()
export class CreateProposalInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  summary: string;

  @Field(() => String, { description: 'Markdown.' })
  body: string;

  @Field(() => ProposalCategory)
  category: ProposalCategory;

  @Field(() => Float, { nullable: true, description: 'Estimated cost in baht (non-negative).' })
  estimatedBudget?: number | null;

  @Field(() => LocationInput, { nullable: true })
  location?: LocationInput | null;
}

@InputType({ description: 'Only the fields given change. After publishing, each edit keeps the previous text as a revision.' })
export class UpdateProposalInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => ProposalCategory, { nullable: true })
  category?: ProposalCategory | null;

  @Field(() => Float, { nullable: true })
  estimatedBudget?: number | null;

  @Field(() => LocationInput, { nullable: true })
  location?: LocationInput | null;

  @Field(() => String, { nullable: true, description: 'What changed and why, kept with the revision.' })
  note?: string | null;
}

@InputType()
export class ProposalFilter {
  @Field(() => String, { nullable: true })
  districtCode?: string | null;

  @Field(() => [ProposalStatus], { nullable: true })
  statuses?: ProposalStatus[] | null;

  @Field(() => ProposalCategory, { nullable: true })
  category?: ProposalCategory | null;

  @Field(() => ID, { nullable: true })
  authorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Words to find in title, summary or body (Thai or English).' })
  search?: string | null;
}

@InputType()
export class PostProgressUpdateInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => String)
  text: string;

  @Field(() => Int, { description: '0 to 100; 100 completes the plan.' })
  percent: number;
}

@InputType()
export class PublishProposalInput {
  @Field(() => ID)
  proposalId: string;
}

@InputType()
export class WithdrawProposalInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => String, { nullable: true, description: 'Why, shown with the change of status.' })
  note?: string | null;
}

@InputType()
export class HideProposalInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => String, { description: 'Shown to the author.' })
  reason: string;
}

@InputType()
export class RestoreProposalInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => String)
  reason: string;
}

@InputType()
export class InviteCoSponsorInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => ID, { description: 'The account invited.' })
  userId: string;
}

@InputType()
export class RespondToCoSponsorInvitationInput {
  @Field(() => ID)
  proposalId: string;

  @Field(() => Boolean)
  accept: boolean;
}

@InputType()
export class EndorseProposalInput {
  @Field(() => ID)
  proposalId: string;
}

@InputType()
export class WithdrawEndorsementInput {
  @Field(() => ID)
  proposalId: string;
}

@InputType()
export class SetEndorsementThresholdInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => Int, { description: 'Endorsements that qualify a proposal: 1 to 100,000.' })
  threshold: number;
}
