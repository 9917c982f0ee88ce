import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In, Not } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { LoaderDefinition, RequestContext, Viewer } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { fromGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { NotificationKind, NotificationValues } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { CheckInInput } from './dto/hearing.input';
import { AttendanceMode, HearingEntity, RegistrationEntity, RegistrationStatus } from './entities/hearing.entity';
import { CHECK_IN, REGISTRABLE } from './hearing-lifecycle';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { HearingsService } from './hearings.service';

/** Check-in codes: 8 characters of an alphabet without look-alikes (no I, O, 0 or 1). */
const CHECK_IN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CHECK_IN_CODE = /^[A-HJ-NP-Z2-9]{8}$/;

/** A per-registration code for the door, derived (not stored): HMAC of the registration id. */
export function checkInCodeOf(secret: string, registrationId: string): string {
  const digest = createHmac('sha256', secret).update(`check-in:${registrationId}`).digest();
  return Array.from(digest.subarray(0, 8), (byte) => CHECK_IN_ALPHABET[byte % CHECK_IN_ALPHABET.length]).join('');
}

/**
 * A code as typed at the door: case, spaces and dashes do not matter. Null when it cannot be a code
 * at all (a typo, not an unknown person).
 */
export function normalizeCheckInCode(typed: string): string | null {
  const code = String(typed).replace(/[\s-]/g, '').toUpperCase();
  return CHECK_IN_CODE.test(code) ? code : null;
}

/** Where a new registration goes: a seat while seats remain and nobody waits; online places are unlimited. */
export function placeFor(mode: AttendanceMode, seats: { capacity: number; taken: number; waiting: number }): RegistrationStatus {
  if (mode === AttendanceMode.ONLINE) return RegistrationStatus.CONFIRMED;
  return seats.taken >= seats.capacity || seats.waiting > 0 ? RegistrationStatus.WAITLISTED : RegistrationStatus.CONFIRMED;
}

/** Registration with seats and a waitlist, check-in at the door, and telling registrants what changed. */
/** Where a hearing is held, for a notification: its venue, or its online link. */
export function placeOf(hearing: HearingEntity): NotificationValues {
  const place = hearing.venue ?? hearing.onlineUrl;
  return place ? { place } : {};
}

@Injectable()
export class HearingRegistrationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly hearings: HearingsService,
    private readonly notifications: NotificationsService,
    private readonly live: HearingLiveService,
    private readonly clock: Clock,
  ) {}

  /** Seat and check-in counts of each hearing, in one query for a whole page of hearings. */
  readonly attendanceOf: LoaderDefinition<string, { confirmed: number; waitlisted: number; checkedIn: number; online: number }> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows: { hearing_id: string; confirmed: string; waitlisted: string; checked_in: string; online: string }[] = await this.dataSource.query(
          `SELECT hearing_id,
                  count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
                  count(*) FILTER (WHERE status = 'WAITLISTED') AS waitlisted,
                  count(*) FILTER (WHERE checked_in_at IS NOT NULL AND status <> 'CANCELLED') AS checked_in,
                  count(*) FILTER (WHERE status = 'CONFIRMED' AND mode = 'ONLINE') AS online
             FROM hearing_registrations WHERE hearing_id = ANY($1) GROUP BY hearing_id`,
          [[...ids]],
        );
        return ids.map((id) => {
          const row = rows.find((r) => r.hearing_id === id);
          return { confirmed: Number(row?.confirmed ?? 0), waitlisted: Number(row?.waitlisted ?? 0), checkedIn: Number(row?.checked_in ?? 0), online: Number(row?.online ?? 0) };
        });
      }),
  };

  /** Keyed by `${hearingId}:${userId}`: that account's live registration. */
  readonly registrationOf: LoaderDefinition<string, RegistrationEntity | null> = {
    create: () =>
      new DataLoader(async (keys) => {
        const pairs = keys.map((key) => key.split(':'));
        const rows = await this.dataSource
          .getRepository(RegistrationEntity)
          .createQueryBuilder('r')
          .where(`r.status <> 'CANCELLED' AND (r.hearing_id, r.user_id) IN (SELECT * FROM unnest(:hearings::uuid[], :users::uuid[]))`, {
            hearings: pairs.map((p) => p[0]),
            users: pairs.map((p) => p[1]),
          })
          .getMany();
        return keys.map((key) => rows.find((r) => `${r.hearingId}:${r.userId}` === key) ?? null);
      }),
  };

  checkInCode(registrationId: string): string {
    return checkInCodeOf(this.config.authSecret, registrationId);
  }

  /**
   * A seat while seats remain, the waitlist after; online participants always get a place. The
   * hearing row is locked, so however many register at once, no seat is given twice.
   */
  async register(rc: RequestContext, hearingGlobalId: string, mode: AttendanceMode): Promise<RegistrationEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lock(tx, hearingGlobalId);
      if (!REGISTRABLE.includes(hearing.status)) throw AppError.illegalState(msg('errors.hearings.registrationClosed', { status: hearing.status }));
      if (mode === AttendanceMode.ONLINE && !hearing.onlineUrl) throw AppError.badInput([{ field: 'input.mode', message: msg('errors.hearings.noOnlineLink') }]);
      const existing = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: Not(RegistrationStatus.CANCELLED) });
      if (existing) throw AppError.conflict(msg('errors.hearings.alreadyRegistered'));
      let status = RegistrationStatus.CONFIRMED;
      if (mode === AttendanceMode.IN_PERSON) {
        const taken = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
        const waiting = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.WAITLISTED });
        status = placeFor(mode, { capacity: hearing.capacity, taken, waiting });
      }
      const registration = await tx.em.save(tx.em.create(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status, mode }));
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return registration;
    });
  }

  async cancelRegistration(rc: RequestContext, hearingGlobalId: string): Promise<RegistrationEntity> {
    const viewer = rc.requireViewer();
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lock(tx, hearingGlobalId);
      const registration = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: Not(RegistrationStatus.CANCELLED) });
      if (!registration) throw AppError.notFound('YourRegistration');
      if (registration.checkedInAt) throw AppError.illegalState(msg('errors.hearings.alreadyCheckedIn'));
      registration.status = RegistrationStatus.CANCELLED;
      registration.cancelledAt = this.clock.now();
      const saved = await tx.em.save(registration);
      await this.promoteWaitlist(tx, hearing);
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return saved;
    });
  }

  /** Fills free seats from the waitlist, in the order people joined it, and tells them. */
  async promoteWaitlist(tx: Tx, hearing: HearingEntity): Promise<void> {
    const taken = await tx.em.countBy(RegistrationEntity, { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED, mode: AttendanceMode.IN_PERSON });
    const free = hearing.capacity - taken;
    if (free <= 0) return;
    const next = await tx.em.find(RegistrationEntity, { where: { hearingId: hearing.id, status: RegistrationStatus.WAITLISTED }, order: { createdAt: 'ASC', id: 'ASC' }, take: free });
    if (!next.length) return;
    const now = this.clock.now();
    await tx.em.update(RegistrationEntity, { id: In(next.map((r) => r.id)) }, { status: RegistrationStatus.CONFIRMED, promotedAt: now });
    await this.notifications.notify(
      tx,
      next.map((r) => ({ userId: r.userId, kind: NotificationKind.WAITLIST_PROMOTED, hearingId: hearing.id, values: { hearing: hearing.title } })),
    );
  }

  /** A host checks someone in at the door: by their registration, or by scanning their code. */
  async checkIn(rc: RequestContext, input: CheckInInput): Promise<RegistrationEntity> {
    if (!input.registrationId === !input.code) throw AppError.badInput([{ field: 'input.code', message: msg('errors.hearings.registrationIdOrCode') }]);
    const code = input.code ? normalizeCheckInCode(input.code) : null;
    if (input.code && code === null) throw AppError.badInput([{ field: 'input.code', message: msg('errors.hearings.checkInCodeShape') }]);
    return this.unitOfWork.run(async (tx) => {
      const hearing = await this.hearings.lockForHost(rc, tx, input.hearingId);
      if (!CHECK_IN.includes(hearing.status)) throw AppError.illegalState(msg('errors.hearings.checkInClosed', { status: hearing.status }));
      let registration: RegistrationEntity | null = null;
      if (input.registrationId) {
        registration = await tx.em.findOneBy(RegistrationEntity, { id: fromGlobalId(input.registrationId, 'Registration', 'input.registrationId'), hearingId: hearing.id });
      } else {
        const live = await tx.em.find(RegistrationEntity, { where: { hearingId: hearing.id, status: RegistrationStatus.CONFIRMED } });
        registration = live.find((r) => this.checkInCode(r.id) === code) ?? null;
      }
      if (!registration || registration.status === RegistrationStatus.CANCELLED) throw AppError.notFound('Registration');
      if (registration.status !== RegistrationStatus.CONFIRMED) throw AppError.illegalState(msg('errors.hearings.waitlisted'));
      if (registration.checkedInAt) return registration;
      registration.checkedInAt = this.clock.now();
      const saved = await tx.em.save(registration);
      await this.live.changed(tx, hearing.id, HearingEventKind.ATTENDANCE_CHANGED);
      return saved;
    });
  }

  /** Whether the viewer attends: checked in, or a confirmed online participant. */
  async attends(tx: Tx, hearing: HearingEntity, viewer: Viewer): Promise<boolean> {
    const registration = await tx.em.findOneBy(RegistrationEntity, { hearingId: hearing.id, userId: viewer.id, status: RegistrationStatus.CONFIRMED });
    return !!registration && (registration.checkedInAt !== null || registration.mode === AttendanceMode.ONLINE);
  }

  /** Notifies everyone holding a seat or waiting for one (the hearing's title is added to `values`). */
  async tellRegistrants(tx: Tx, hearing: HearingEntity, kind: NotificationKind, actorId: string, values: NotificationValues = {}): Promise<void> {
    const registrations = await tx.em.findBy(RegistrationEntity, { hearingId: hearing.id, status: In([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]) });
    await this.notifications.notify(tx, registrations.map((r) => ({ userId: r.userId, kind, actorId, hearingId: hearing.id, values: { hearing: hearing.title, ...values } })));
  }

  /** Hosts only: every registration, in the order made. */
  async attendanceList(rc: RequestContext, hearingId: string): Promise<RegistrationEntity[]> {
    const hearing = await this.hearings.find(rc, hearingId);
    if (!hearing) throw AppError.notFound('Hearing');
    if (!HearingsService.isHost(rc.viewer, hearing)) throw AppError.forbidden(msg('errors.hearings.registrationsHostsOnly'));
    return this.dataSource.getRepository(RegistrationEntity).find({ where: { hearingId }, order: { createdAt: 'ASC' } });
  }
}
