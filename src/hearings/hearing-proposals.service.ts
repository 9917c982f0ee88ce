import { Injectable } from '@nestjs/common';
import { Message, msg } from '../common/errors/app-error';
import { Tx } from '../database/unit-of-work';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { PROPOSAL_ACTIONS } from '../proposals/proposal-lifecycle';
import { ProposalsService } from '../proposals/proposals.service';
import { AgendaItemEntity, HearingEntity, HearingStatus } from './entities/hearing.entity';
import { NOT_OVER } from './hearing-lifecycle';

/** Statuses a proposal may be in to be put on an agenda (IN_HEARING: it is on another one too). */
export const HEARABLE: readonly ProposalStatus[] = [...PROPOSAL_ACTIONS.takeToHearing.from, ProposalStatus.IN_HEARING];

/**
 * What a hearing does to the proposals on its agenda: it takes them to IN_HEARING, and lets them go
 * when they leave its agenda or it is over: HEARD once a hearing that had them closed, back where
 * they were otherwise; never while another hearing still to come has them. Every move goes through
 * the proposals' one table, and so into their status history.
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
    const note = msg('notifications.statusNotes.onHearingAgenda', { hearing: hearing.title });
    for (const proposal of proposals) {
      if (proposal.status !== ProposalStatus.IN_HEARING) await this.proposals.applyAction(tx, proposal, 'takeToHearing', actorId, note);
    }
  }

  /**
   * Lets go of every proposal on the agenda of a hearing that closed or was cancelled. In id order:
   * two hearings with the same proposals, closing at once, lock them in the same order.
   */
  async releaseAgenda(tx: Tx, hearing: HearingEntity, actorId: string, why: Message): Promise<void> {
    const items = await tx.em.findBy(AgendaItemEntity, { hearingId: hearing.id });
    const ids = [...new Set(items.map((i) => i.proposalId).filter((id): id is string => !!id))].sort();
    for (const id of ids) await this.release(tx, id, hearing, actorId, why);
  }

  /** A proposal no longer held by this hearing (`why` says how): heard, back where it was, or still IN_HEARING for another hearing. */
  async release(tx: Tx, proposalId: string, hearing: HearingEntity, actorId: string, why: Message): Promise<void> {
    // The lock comes first: another hearing letting go of it at the same moment waits here, and what
    // follows then reads that hearing as it committed (closed), not as it was.
    const proposal = await this.proposals.lockForUpdate(tx, proposalId);
    if (!proposal) return;
    const others = await tx.em
      .createQueryBuilder(HearingEntity, 'h')
      .innerJoin(AgendaItemEntity, 'i', 'i.hearing_id = h.id')
      .where('i.proposal_id = :proposalId AND h.id <> :hearingId', { proposalId, hearingId: hearing.id })
      .andWhere('h.status IN (:...statuses)', { statuses: [...NOT_OVER, HearingStatus.CLOSED] })
      .orderBy('h.closed_at', 'DESC', 'NULLS LAST')
      .getMany();
    if (others.some((h) => NOT_OVER.includes(h.status))) return;
    const heardAt = hearing.status === HearingStatus.CLOSED ? hearing : others[0];
    const note = !heardAt
      ? why
      : heardAt === hearing
        ? msg('notifications.statusNotes.heardAt', { hearing: hearing.title })
        : msg('notifications.statusNotes.heardElsewhere', { why, hearing: heardAt.title });
    if (proposal.status === ProposalStatus.IN_HEARING) {
      await this.proposals.applyAction(tx, proposal, heardAt ? 'concludeHearing' : 'returnFromHearing', actorId, note);
    } else if (heardAt && proposal.status === ProposalStatus.HIDDEN && proposal.statusBeforeHidden === ProposalStatus.IN_HEARING) {
      // Hidden while on the agenda: restoring it brings it back heard, not to a hearing that is over.
      await tx.em.update(ProposalEntity, { id: proposal.id }, { statusBeforeHidden: ProposalStatus.HEARD });
    }
  }
}
