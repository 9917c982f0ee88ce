import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Note } from '../common/errors/app-error';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { ProposalCategory, ProposalEntity, ProposalStatus } from './entities/proposal.entity';
import {
  ProposalProgressEntity,
  ProposalRevisionEntity,
  ProposalSponsorEntity,
  ProposalTransitionEntity,
  SponsorshipStatus,
} from './entities/proposal-records.entity';

registerEnumType(SponsorshipStatus, { name: 'SponsorshipStatus' });

@ObjectType()
export class ProposalLocation {
  @Field(() => Float, { nullable: true })
  latitude: number | null;

  @Field(() => Float, { nullable: true })
  longitude: number | null;

  @Field(() => String, { nullable: true })
  address: string | null;
}

@ObjectType('Proposal', { implements: () => [Node], description: 'A community plan (แผนพัฒนาชุมชน) for a district.' })
export class Proposal implements Node {
  @Field(() => String)
  title: string;

  @Field(() => String)
  summary: string;

  @Field(() => String, { description: 'Markdown. Render without raw HTML.' })
  body: string;

  @Field(() => ProposalCategory)
  category: ProposalCategory;

  @Field(() => Float, { nullable: true, description: 'Estimated cost in baht.' })
  estimatedBudget: number | null;

  @Field(() => ProposalLocation, { nullable: true })
  location: ProposalLocation | null;

  @Field(() => ProposalStatus)
  status: ProposalStatus;

  @Field(() => String, { nullable: true, description: 'Why a host hid it (only while HIDDEN).' })
  hiddenReason: string | null;

  @Field(() => Int, { description: 'Edits made after publishing; each kept as a revision.' })
  revision: number;

  @Field(() => Int)
  endorsementCount: number;

  @Field(() => Int, { description: 'Visible comments in its discussion.' })
  commentCount: number;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  id: string;
  nodeType = 'Proposal';
  proposalId: string;
  authorId: string;
  districtCode: string;

  static from(entity: ProposalEntity): Proposal {
    const p = new Proposal();
    p.id = toGlobalId('Proposal', entity.id);
    p.proposalId = entity.id;
    p.authorId = entity.authorId;
    p.districtCode = entity.districtCode;
    p.title = entity.title;
    p.summary = entity.summary;
    p.body = entity.body;
    p.category = entity.category;
    p.estimatedBudget = entity.estimatedBudget === null ? null : Number(entity.estimatedBudget);
    const hasLocation = entity.locationLatitude !== null || entity.locationAddress !== null;
    p.location = hasLocation ? { latitude: entity.locationLatitude, longitude: entity.locationLongitude, address: entity.locationAddress } : null;
    p.status = entity.status;
    p.hiddenReason = entity.status === ProposalStatus.HIDDEN ? entity.hiddenReason : null;
    p.revision = entity.revision;
    p.endorsementCount = entity.endorsementCount;
    p.commentCount = entity.commentCount;
    p.publishedAt = entity.publishedAt;
    p.createdAt = entity.createdAt;
    p.updatedAt = entity.updatedAt;
    return p;
  }
}

@ObjectType()
export class ProposalConnection extends Connection(Proposal, 'Proposal') {}

@ObjectType({ description: 'One step of a proposal’s life.' })
export class ProposalTransition {
  @Field(() => ProposalStatus, { nullable: true })
  from: ProposalStatus | null;

  @Field(() => ProposalStatus)
  to: ProposalStatus;

  @Field(() => Date)
  at: Date;

  actorId: string | null;
  /** Why: as a person wrote it, or as the system's message (ProposalTransitionResolver.note writes it in the reader's language). */
  why: Note | null;

  static from(entity: ProposalTransitionEntity): ProposalTransition {
    return Object.assign(new ProposalTransition(), { from: entity.fromStatus, to: entity.toStatus, why: entity.noteMessage ?? entity.note, at: entity.createdAt, actorId: entity.actorId });
  }
}

@ObjectType({ description: 'The text as it was before an edit made after publishing; compare it with the next revision (or the current text) to see what changed.' })
export class ProposalRevision {
  @Field(() => Int)
  revision: number;

  @Field(() => String)
  previousTitle: string;

  @Field(() => String)
  previousSummary: string;

  @Field(() => String)
  previousBody: string;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => Date, { description: 'When the edit was made.' })
  editedAt: Date;

  editorId: string;

  static from(entity: ProposalRevisionEntity): ProposalRevision {
    return Object.assign(new ProposalRevision(), {
      revision: entity.revision,
      previousTitle: entity.previousTitle,
      previousSummary: entity.previousSummary,
      previousBody: entity.previousBody,
      note: entity.note,
      editedAt: entity.createdAt,
      editorId: entity.editorId,
    });
  }
}

@ObjectType()
export class CoSponsor {
  @Field(() => SponsorshipStatus)
  status: SponsorshipStatus;

  @Field(() => Date)
  invitedAt: Date;

  @Field(() => Date, { nullable: true })
  respondedAt: Date | null;

  userId: string;

  static from(entity: ProposalSponsorEntity): CoSponsor {
    return Object.assign(new CoSponsor(), { status: entity.status, invitedAt: entity.invitedAt, respondedAt: entity.respondedAt, userId: entity.userId });
  }
}

@ObjectType({ description: 'A host’s report on an adopted plan being carried out.' })
export class ProgressUpdate {
  @Field(() => String)
  text: string;

  @Field(() => Int)
  percent: number;

  @Field(() => Date)
  createdAt: Date;

  authorId: string;

  static from(entity: ProposalProgressEntity): ProgressUpdate {
    return Object.assign(new ProgressUpdate(), { text: entity.text, percent: entity.percent, createdAt: entity.createdAt, authorId: entity.authorId });
  }
}

export enum ProposalUpdateKind {
  CREATED = 'CREATED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  ENDORSEMENTS_CHANGED = 'ENDORSEMENTS_CHANGED',
  REVISED = 'REVISED',
  PROGRESS_POSTED = 'PROGRESS_POSTED',
  DISCUSSION_CHANGED = 'DISCUSSION_CHANGED',
  /** Reports were cited or no longer are (relatedReports). */
  CITATIONS_CHANGED = 'CITATIONS_CHANGED',
}
registerEnumType(ProposalUpdateKind, { name: 'ProposalUpdateKind' });

@ObjectType({ description: 'A change to a proposal of the watched district.' })
export class ProposalUpdate {
  @Field(() => ProposalUpdateKind)
  kind: ProposalUpdateKind;

  @Field(() => Proposal)
  proposal: Proposal;
}
