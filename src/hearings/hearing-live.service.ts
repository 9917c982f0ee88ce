import { Injectable } from '@nestjs/common';
import { auditAbout } from '../audit/audit-scope';
import { DataSource, EntityManager, In } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { toGlobalId } from '../common/relay/global-id';
import { Tx } from '../database/unit-of-work';
import { returnedRows } from '../database/returned-rows';
import { channel, EventBus } from '../realtime/event-bus';
import {
  AgendaItemEntity,
  AttendanceMode,
  HearingEntity,
  QuestionEntity,
  QuestionStatus,
  RegistrationStatus,
  SpeakerRequestEntity,
  SpeakerRequestStatus,
  StatementEntity,
} from './entities/hearing.entity';

export const HEARING_UPDATED = 'hearingUpdated';

export enum HearingEventKind {
  SCHEDULE_CHANGED = 'SCHEDULE_CHANGED',
  STATE_CHANGED = 'STATE_CHANGED',
  AGENDA_ITEM_CHANGED = 'AGENDA_ITEM_CHANGED',
  QUEUE_CHANGED = 'QUEUE_CHANGED',
  FLOOR_GRANTED = 'FLOOR_GRANTED',
  SPEECH_ENDED = 'SPEECH_ENDED',
  STATEMENT_RECORDED = 'STATEMENT_RECORDED',
  QUESTION_ASKED = 'QUESTION_ASKED',
  QUESTION_UPVOTED = 'QUESTION_UPVOTED',
  QUESTION_RESOLVED = 'QUESTION_RESOLVED',
  ATTENDANCE_CHANGED = 'ATTENDANCE_CHANGED',
}

/** Public facts about a person on the screen: no email, no roles. */
export interface LiveParticipant {
  userId: string;
  id: string;
  displayName: string;
  /** An erased account: shown under its pseudonym, named "deleted account" in each reader's language. */
  erased?: boolean;
}

/**
 * Everything a screen in the hall needs to redraw after an event, built once per event inside the
 * transaction that made it (so it matches its sequence number) and sent to every subscriber as is.
 * Only public facts of a public hearing are in it.
 */
export interface HearingLiveState {
  hearingId: string;
  sequence: number;
  kind: HearingEventKind;
  status: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  currentAgendaItem: { agendaItemId: string; id: string; position: number; title: string; proposalId: string | null; plannedMinutes: number; secondsSpent: number; startedAt: Date | null } | null;
  floor: { speakerRequestId: string; requestId: string; speaker: LiveParticipant; stance: string | null; grantedAt: Date; deadline: Date } | null;
  queue: { speakerRequestId: string; requestId: string; speaker: LiveParticipant; stance: string | null; firstTime: boolean; requestedAt: Date }[];
  attendance: { confirmed: number; waitlisted: number; checkedIn: number; online: number; capacity: number };
  lastStatement: { statementId: string; id: string; speaker: LiveParticipant; stance: string | null; text: string; startedAt: Date; endedAt: Date | null } | null;
  questions: { questionId: string; id: string; text: string; upvotes: number; status: string; author: LiveParticipant }[];
}

const DATE_KEYS = new Set(['startsAt', 'endsAt', 'startedAt', 'endedAt', 'grantedAt', 'deadline', 'requestedAt']);

/** Dates become strings when an event crosses Redis; this turns them back. */
export function reviveDates<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reviveDates) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, DATE_KEYS.has(key) && typeof v === 'string' ? new Date(v) : reviveDates(v)]),
    ) as T;
  }
  return value;
}

/**
 * A global id under the name of what it identifies, and under the name it had before (deprecated in the
 * schema, kept one release): the live state shows these objects, it is not them.
 */
function idAs<N extends string, F extends string>(name: N, formerly: F, type: string, id: string): Record<N | F, string> {
  const globalId = toGlobalId(type, id);
  return { [name]: globalId, [formerly]: globalId } as Record<N | F, string>;
}

/** The order of a speaker queue: first-time speakers ahead when the hearing says so, then by time of asking. */
export function queueOrder(hearing: Pick<HearingEntity, 'firstTimeSpeakersFirst'>) {
  return (a: SpeakerRequestEntity, b: SpeakerRequestEntity): number => {
    if (hearing.firstTimeSpeakersFirst && a.firstTime !== b.firstTime) return a.firstTime ? -1 : 1;
    return a.requestedAt.getTime() - b.requestedAt.getTime() || a.id.localeCompare(b.id);
  };
}

@Injectable()
export class HearingLiveService {
  constructor(
    private readonly events: EventBus,
    private readonly dataSource: DataSource,
  ) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  questions(hearingId: string, status: QuestionStatus | null): Promise<QuestionEntity[]> {
    return this.dataSource.getRepository(QuestionEntity).find({ where: { hearingId, ...(status ? { status } : {}) }, order: { upvoteCount: 'DESC', createdAt: 'ASC' } });
  }

  statements(hearingId: string): Promise<StatementEntity[]> {
    return this.dataSource.getRepository(StatementEntity).find({ where: { hearingId }, order: { startedAt: 'ASC' } });
  }

  /**
   * Records that the hearing changed: bumps its sequence number, builds the state screens show, and
   * publishes it once the transaction commits. Returns the new sequence number.
   */
  async changed(tx: Tx, hearingId: string, kind: HearingEventKind): Promise<number> {
    const bumped = returnedRows<{ sequence: number }>(await tx.em.query('UPDATE hearings SET sequence = sequence + 1 WHERE id = $1 RETURNING sequence', [hearingId]));
    const hearing = await tx.em.findOneByOrFail(HearingEntity, { id: hearingId });
    auditAbout({ district: hearing.districtCode, subject: toGlobalId('Hearing', hearing.id) });
    const state = await this.snapshot(tx, hearing, kind);
    state.sequence = Number(bumped[0]?.sequence ?? hearing.sequence);
    tx.afterCommit(() => this.events.publish(channel(HEARING_UPDATED, hearingId), state));
    return state.sequence;
  }

  /** The current state, as the events carry it (also served by the `live` field). */
  async snapshot(tx: Pick<Tx, 'em'>, hearing: HearingEntity, kind: HearingEventKind): Promise<HearingLiveState> {
    const em = tx.em;
    const item = hearing.currentAgendaItemId ? await em.findOneBy(AgendaItemEntity, { id: hearing.currentAgendaItemId }) : null;
    const open = item
      ? await em.find(SpeakerRequestEntity, { where: { hearingId: hearing.id, agendaItemId: item.id, status: In([SpeakerRequestStatus.QUEUED, SpeakerRequestStatus.SPEAKING]) } })
      : [];
    const speaking = await em.findOneBy(SpeakerRequestEntity, { hearingId: hearing.id, status: SpeakerRequestStatus.SPEAKING });
    const queued = open.filter((r) => r.status === SpeakerRequestStatus.QUEUED).sort(queueOrder(hearing));
    const attendance: { status: RegistrationStatus; mode: AttendanceMode; checked_in: boolean; n: string }[] = await em.query(
      `SELECT status, mode, checked_in_at IS NOT NULL AS checked_in, count(*) AS n FROM hearing_registrations WHERE hearing_id = $1 AND status <> 'CANCELLED' GROUP BY 1, 2, 3`,
      [hearing.id],
    );
    const count = (where: (row: (typeof attendance)[number]) => boolean) => attendance.filter(where).reduce((sum, row) => sum + Number(row.n), 0);
    const lastStatement = await em.findOne(StatementEntity, { where: { hearingId: hearing.id }, order: { startedAt: 'DESC' } });
    const questions = await em.find(QuestionEntity, { where: { hearingId: hearing.id, status: QuestionStatus.OPEN }, order: { upvoteCount: 'DESC', createdAt: 'ASC' }, take: 10 });

    const userIds = [...new Set([...queued.map((r) => r.userId), speaking?.userId, lastStatement?.speakerId, ...questions.map((q) => q.authorId)].filter((id): id is string => !!id))];
    const users = userIds.length ? await em.find(UserEntity, { where: { id: In(userIds) }, select: { id: true, displayName: true, deletedAt: true, pseudonym: true } }) : [];
    const person = (id: string): LiveParticipant => {
      const user = users.find((u) => u.id === id);
      if (user?.deletedAt) return { ...idAs('userId', 'id', 'User', user.pseudonym!), displayName: '', erased: true };
      return { ...idAs('userId', 'id', 'User', id), displayName: user?.displayName ?? '' };
    };

    return {
      hearingId: toGlobalId('Hearing', hearing.id),
      sequence: hearing.sequence,
      kind,
      status: hearing.status,
      title: hearing.title,
      startsAt: hearing.startsAt,
      endsAt: hearing.endsAt,
      currentAgendaItem: item
        ? {
            ...idAs('agendaItemId', 'id', 'AgendaItem', item.id),
            position: item.position,
            title: item.title,
            proposalId: item.proposalId ? toGlobalId('Proposal', item.proposalId) : null,
            plannedMinutes: item.plannedMinutes,
            secondsSpent: item.secondsSpent,
            startedAt: hearing.currentItemStartedAt,
          }
        : null,
      floor:
        speaking && speaking.grantedAt && speaking.deadlineAt
          ? { ...idAs('speakerRequestId', 'requestId', 'SpeakerRequest', speaking.id), speaker: person(speaking.userId), stance: speaking.stance, grantedAt: speaking.grantedAt, deadline: speaking.deadlineAt }
          : null,
      queue: queued.map((r) => ({ ...idAs('speakerRequestId', 'requestId', 'SpeakerRequest', r.id), speaker: person(r.userId), stance: r.stance, firstTime: r.firstTime, requestedAt: r.requestedAt })),
      attendance: {
        confirmed: count((r) => r.status === RegistrationStatus.CONFIRMED),
        waitlisted: count((r) => r.status === RegistrationStatus.WAITLISTED),
        checkedIn: count((r) => r.checked_in),
        online: count((r) => r.status === RegistrationStatus.CONFIRMED && r.mode === AttendanceMode.ONLINE),
        capacity: hearing.capacity,
      },
      lastStatement: lastStatement
        ? {
            ...idAs('statementId', 'id', 'Statement', lastStatement.id),
            speaker: person(lastStatement.speakerId),
            stance: lastStatement.stance,
            text: lastStatement.text,
            startedAt: lastStatement.startedAt,
            endedAt: lastStatement.endedAt,
          }
        : null,
      questions: questions.map((q) => ({ ...idAs('questionId', 'id', 'Question', q.id), text: q.text, upvotes: q.upvoteCount, status: q.status, author: person(q.authorId) })),
    };
  }
}

