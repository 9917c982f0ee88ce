import { Injectable } from '@nestjs/common';
import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Viewer } from '../common/context/request-context';
import { Tx } from '../database/unit-of-work';
import { channel, EventBus } from '../realtime/event-bus';
import { Report } from './report.type';

export const REPORT_UPDATED = 'reportUpdated';
export const REPORT_QUEUE_UPDATED = 'reportQueueUpdated';

/** What happened to a watched report (`reportUpdated`). */
export enum ReportUpdateKind {
  /** A step of its life: accepted, work started, resolved, rejected, forwarded to an agency, reopened. */
  STATUS_CHANGED = 'STATUS_CHANGED',
  /** Forwarded to another district, which owns it since. */
  FORWARDED = 'FORWARDED',
  /** Merged into another report as a duplicate: follow that one. */
  MERGED = 'MERGED',
  /** A duplicate was merged into it (its reporter and supporters now follow it). */
  DUPLICATE_MERGED = 'DUPLICATE_MERGED',
  /** Someone said "me too". */
  SUPPORTED = 'SUPPORTED',
  /** The reporter rated how it was resolved. */
  RATED = 'RATED',
  /** It missed a deadline: only its district's staff and administrators hear this. */
  BREACHED = 'BREACHED',
}
registerEnumType(ReportUpdateKind, { name: 'ReportUpdateKind' });

/** What happened in a district's queue (`reportQueueUpdated`). */
export enum ReportQueueUpdateKind {
  /** Submitted to the district. */
  NEW = 'NEW',
  /** A step, a "me too", a rating, a duplicate merged into it. */
  CHANGED = 'CHANGED',
  /** It missed a deadline. */
  BREACHED = 'BREACHED',
  /** Forwarded to this district by another. */
  FORWARDED_IN = 'FORWARDED_IN',
  /** Forwarded by this district to another: it left the queue. */
  FORWARDED_OUT = 'FORWARDED_OUT',
  /** Merged into another report as a duplicate: it left the queue. */
  MERGED = 'MERGED',
}
registerEnumType(ReportQueueUpdateKind, { name: 'ReportQueueUpdateKind' });

@ObjectType({ description: 'A change to a watched report, as you may see it at that moment.' })
export class ReportUpdate {
  @Field(() => ReportUpdateKind)
  kind: ReportUpdateKind;

  @Field(() => Report)
  report: Report;
}

@ObjectType({ description: 'A change in a district’s queue of reports, for its staff.' })
export class ReportQueueUpdate {
  @Field(() => ReportQueueUpdateKind)
  kind: ReportQueueUpdateKind;

  @Field(() => Report)
  report: Report;
}

/** What crosses the pub/sub: ids and values only. Each subscriber's rights are checked again per event. */
export interface ReportEvent {
  reportId: string;
  kind: ReportUpdateKind | ReportQueueUpdateKind;
  /** `reportUpdated`: the report's district at the event. `reportQueueUpdated`: the queue's district. */
  districtCode: string;
  /** Heard only by the district's staff and administrators (a breach). */
  staffOnly: boolean;
}

/** One report's news: for the report's watchers, and for the queues of the districts concerned. */
export interface ReportNews {
  reportId: string;
  districtCode: string;
  update?: ReportUpdateKind;
  queues: [districtCode: string, kind: ReportQueueUpdateKind][];
}

/** Publishes reports' live events, after the transaction that made them commits. */
@Injectable()
export class ReportLive {
  constructor(private readonly events: EventBus) {}

  /** Whether `viewer` may hear an event now: staff-only ones reach the district's staff and administrators. */
  static mayHear(viewer: Viewer | null, event: ReportEvent): boolean {
    return !event.staffOnly || (!!viewer && (viewer.isAdmin || viewer.hostOf.has(event.districtCode)));
  }

  announce(tx: Tx, ...news: ReportNews[]): void {
    tx.afterCommit(() => this.publish(...news));
  }

  publish(...news: ReportNews[]): void {
    for (const item of news) {
      const staffOnly = item.update === ReportUpdateKind.BREACHED;
      if (item.update) {
        const event: ReportEvent = { reportId: item.reportId, kind: item.update, districtCode: item.districtCode, staffOnly };
        this.events.publish(channel(REPORT_UPDATED, item.reportId), event);
      }
      for (const [districtCode, kind] of item.queues) {
        const event: ReportEvent = { reportId: item.reportId, kind, districtCode, staffOnly: true };
        this.events.publish(channel(REPORT_QUEUE_UPDATED, districtCode), event);
      }
    }
  }
}
