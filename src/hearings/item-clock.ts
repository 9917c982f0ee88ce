import { Tx } from '../database/unit-of-work';
import { AgendaItemEntity, HearingEntity } from './entities/hearing.entity';

/**
 * The time spent on each agenda item: a stretch starts when the item becomes current (or the session
 * starts or resumes on it) and is added to the item when it stops (next item, adjournment, close).
 */
export async function stopItemClock(tx: Tx, hearing: HearingEntity, now: Date): Promise<void> {
  if (!hearing.currentAgendaItemId || !hearing.currentItemStartedAt) return;
  const seconds = Math.max(0, Math.round((now.getTime() - hearing.currentItemStartedAt.getTime()) / 1000));
  await tx.em.increment(AgendaItemEntity, { id: hearing.currentAgendaItemId }, 'secondsSpent', seconds);
  hearing.currentItemStartedAt = null;
}
