import { Injectable } from '@nestjs/common';
import { Tx } from '../database/unit-of-work';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { ProposalsService } from '../proposals/proposals.service';
import { AgendaItemEntity, HearingEntity } from './entities/hearing.entity';

/** Statuses a proposal may be in to be put on an agenda. */
export const HEARABLE: readonly ProposalStatus[] = [ProposalStatus.PUBLISHED, ProposalStatus.QUALIFIED, ProposalStatus.IN_HEARING];

/**
 * What a hearing does to the proposals on its agenda: it takes them to IN_HEARING, and lets them go
 * when they leave its agenda or it is cancelled. Every move goes through the proposals' one table.
 */
@Injectable()
export class HearingProposalsService {
  constructor(private readonly proposals: ProposalsService) {}

  /** Locks a proposal for this transaction (agenda checks read it, and the move writes it). */
  lock(tx: Tx, id: string): Promise<ProposalEntity | null> {
    return this.proposals.lockForUpdate(tx, id);
  }

  /** Proposals put on the hearing's agenda move to IN_HEARING (those already there stay). */
  async takeIn(tx: Tx, hearing: HearingEntity, proposals: ProposalEntity[], actorId: string): Promise<void> {
    const note = `On the agenda of the hearing “${hearing.title}”`;
    for (const proposal of proposals) {
      if (proposal.status !== ProposalStatus.IN_HEARING) await this.proposals.applyAction(tx, proposal, 'takeToHearing', actorId, note);
    }
  }

  /** A proposal no longer on this hearing's agenda goes back, unless another live hearing still has it. */
  async release(tx: Tx, proposalId: string, hearingId: string, actorId: string, note: string): Promise<void> {
    const elsewhere = await tx.em
      .createQueryBuilder(AgendaItemEntity, 'i')
      .innerJoin(HearingEntity, 'h', 'h.id = i.hearing_id')
      .where('i.proposal_id = :proposalId AND h.id <> :hearingId', { proposalId, hearingId })
      .andWhere(`h.status IN ('SCHEDULED', 'OPEN', 'IN_SESSION', 'ADJOURNED')`)
      .getCount();
    const proposal = await this.proposals.lockForUpdate(tx, proposalId);
    if (!elsewhere && proposal?.status === ProposalStatus.IN_HEARING) await this.proposals.applyAction(tx, proposal, 'returnFromHearing', actorId, note);
  }
}
