import { Injectable, OnModuleInit } from '@nestjs/common';
import { DistrictNews } from '../following';
import { ProposalEntity, ProposalStatus } from './entities/proposal.entity';
import { ProposalsService } from './proposals.service';

/**
 * A proposal published is news for its district's followers and residents, told in the publishing
 * transaction; one hidden or withdrawn into a draft before its news went out is not told any further.
 */
@Injectable()
export class ProposalNews implements OnModuleInit {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly news: DistrictNews,
  ) {}

  onModuleInit(): void {
    this.proposals.onStep(async (tx, { proposal, action }) => {
      if (action !== 'publish') return;
      // Written by a person in their own language: every reader reads it as written.
      await this.news.tell(tx, { districtCode: proposal.districtCode, topic: 'PROPOSAL', subjectType: 'Proposal', subjectId: proposal.id, title: { th: proposal.title } });
    });
    this.news.stillPublic('Proposal', async (em, id) => {
      const proposal = await em.findOneBy(ProposalEntity, { id });
      return !!proposal && proposal.publishedAt !== null && proposal.status !== ProposalStatus.DRAFT && proposal.status !== ProposalStatus.HIDDEN;
    });
  }
}
