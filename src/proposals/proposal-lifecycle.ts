import { AppError, msg } from '../common/errors/app-error';
import { stateMachine } from '../common/lifecycle/state-machine';
import { ProposalStatus as S } from './entities/proposal.entity';

/**
 * The one state machine of a community plan. Each action names the statuses it may start from and
 * the status it leads to. Who may take an action is checked by ProposalsService; hearings and votes
 * (later capabilities) take theirs through the same service.
 */
export const PROPOSAL_ACTIONS = {
  publish: { from: [S.DRAFT], to: S.PUBLISHED },
  /** Automatic, when endorsements reach the district's threshold. */
  qualify: { from: [S.PUBLISHED], to: S.QUALIFIED },
  /** A hearing puts it on its agenda (a heard plan may be heard again). */
  takeToHearing: { from: [S.PUBLISHED, S.QUALIFIED, S.HEARD], to: S.IN_HEARING },
  /** A hearing that had it closed, and no other hearing still has it. */
  concludeHearing: { from: [S.IN_HEARING], to: S.HEARD },
  /** Its hearing was cancelled (or it left the agenda) before it was heard: back to the status it had. */
  returnFromHearing: { from: [S.IN_HEARING], to: 'previous' },
  /** Qualified, or heard; a plan on the agenda of a hearing still to come is heard first. */
  putToVote: { from: [S.QUALIFIED, S.HEARD], to: S.IN_VOTE },
  /** The vote did not stand (cancelled, or quorum not met): back to the status it had. */
  returnFromVote: { from: [S.IN_VOTE], to: 'previous' },
  adopt: { from: [S.IN_VOTE], to: S.ADOPTED },
  reject: { from: [S.IN_VOTE], to: S.REJECTED },
  startWork: { from: [S.ADOPTED], to: S.IN_PROGRESS },
  complete: { from: [S.IN_PROGRESS], to: S.COMPLETED },
  /** By the author, before a vote. */
  withdraw: { from: [S.DRAFT, S.PUBLISHED, S.QUALIFIED, S.IN_HEARING, S.HEARD], to: S.WITHDRAWN },
  /** By a host, with a reason; not while a vote on it runs. */
  hide: { from: [S.PUBLISHED, S.QUALIFIED, S.IN_HEARING, S.HEARD, S.ADOPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED, S.WITHDRAWN], to: S.HIDDEN },
  /** Back to the status it had when hidden. */
  restore: { from: [S.HIDDEN], to: 'previous' },
} as const satisfies Record<string, { from: readonly S[]; to: S | 'previous' }>;

export type ProposalAction = keyof typeof PROPOSAL_ACTIONS;

/** The status an action leads to from `current` (`previous`: the status to go back to), or ILLEGAL_STATE saying why not. */
export const nextStatus: (action: ProposalAction, current: S, previous: S | null) => S = stateMachine<S, ProposalAction>(
  PROPOSAL_ACTIONS,
  (action, current) => AppError.illegalState(msg('errors.proposals.cannot', { action: msg(`errors.proposals.actions.${action}`), status: current })),
  () => AppError.illegalState(msg('errors.proposals.noPreviousStatus')),
);

/** Statuses whose text may still be edited: no edits once a vote has started. */
export const EDITABLE_STATUSES: readonly S[] = [S.DRAFT, S.PUBLISHED, S.QUALIFIED, S.IN_HEARING, S.HEARD];

/** Statuses open for endorsement. */
export const ENDORSABLE_STATUSES: readonly S[] = [S.PUBLISHED, S.QUALIFIED, S.IN_HEARING, S.HEARD];

/** Statuses whose discussion accepts new comments. */
export const DISCUSSABLE_STATUSES: readonly S[] = [S.PUBLISHED, S.QUALIFIED, S.IN_HEARING, S.HEARD, S.IN_VOTE, S.ADOPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED];
