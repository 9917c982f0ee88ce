import { Injectable, OnModuleInit } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { connectionItemFields } from '../common/graphql/look-ahead';
import { Alongside } from '../common/pagination/connection';
import { Tx } from '../database/unit-of-work';
import { Comment, StanceCountsType } from '../discussions/comment.type';
import { CommentableRegistry, CommentableSubject } from '../discussions/commentable-registry';
import { DiscussionsService, RECENT_DEFAULT, RECENT_MAX } from '../discussions/discussions.service';
import { DISCUSSABLE_STATUSES } from './proposal-lifecycle';
import { Proposal } from './proposal.type';
import { ProposalEntity } from './entities/proposal.entity';
import { ProposalsService } from './proposals.service';
import { msg } from '../common/errors/app-error';

/** Proposals take part in discussions: who may see them, whether they are open, their comment count. */
@Injectable()
export class ProposalDiscussion implements OnModuleInit {
  constructor(
    private readonly registry: CommentableRegistry,
    private readonly proposals: ProposalsService,
    private readonly discussions: DiscussionsService,
  ) {}

  /**
   * What a page of proposals' statement brings along of their discussions: the stance counts and newest
   * comments its query selects on them (below), so that a district's page is one statement.
   */
  listAlongside(rc: RequestContext, info: GraphQLResolveInfo): Alongside<ProposalEntity> | undefined {
    const fields = connectionItemFields(info, 'Proposal');
    const newest = fields
      .filter((field) => field.name === 'recentComments')
      .map((field) => (field.args.first ?? RECENT_DEFAULT) as number)
      .filter((first) => Number.isInteger(first) && first >= 1 && first <= RECENT_MAX);
    return this.discussions.listAlongside<ProposalEntity>(rc, 'p.id', { stances: fields.some((field) => field.name === 'stanceCounts'), newest });
  }

  onModuleInit(): void {
    this.registry.register('Proposal', {
      findVisible: async (rc: RequestContext, id: string): Promise<CommentableSubject | null> => {
        const proposal = await this.proposals.findVisible(rc, id);
        if (!proposal) return null;
        const open = DISCUSSABLE_STATUSES.includes(proposal.status);
        return {
          type: 'Proposal',
          id: proposal.id,
          districtCode: proposal.districtCode,
          closedReason: open ? null : msg('errors.proposals.discussionClosed', { status: proposal.status }),
        };
      },
      adjustCommentCount: (tx: Tx, id: string, delta: number) => this.proposals.adjustCommentCount(tx, id, delta),
    });
  }
}

@Resolver(() => Proposal)
export class ProposalStanceResolver {
  constructor(private readonly discussions: DiscussionsService) {}

  // Once per item of a list: no parameter decorators, so Nest calls it directly (see ProposalsResolver.author).
  @ResolveField(() => StanceCountsType, { description: 'How many visible comments are for, against and neutral.' })
  stanceCounts(proposal: Proposal, _args: unknown, { rc }: GraphQLContext): Promise<StanceCountsType> {
    return rc.loader(this.discussions.stanceCountsOf).load(proposal.proposalId);
  }

  @ResolveField(() => [Comment], {
    description: `The newest top-level comments, newest first, as the first page of \`comments(orderBy: NEWEST)\` shows them: hidden ones with their text only for their author and moderators, deleted ones as tombstones.`,
  })
  async recentComments(
    @Parent() proposal: Proposal,
    @Args('first', { type: () => Int, nullable: true, defaultValue: RECENT_DEFAULT, description: `How many (1 to ${RECENT_MAX}).` }) first: number | null,
    @Ctx() rc: RequestContext,
  ): Promise<Comment[]> {
    return (await this.discussions.newest(rc, proposal.proposalId, first)).map((c) => Comment.from(c, rc.viewer));
  }
}
