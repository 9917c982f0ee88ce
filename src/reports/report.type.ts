import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { ReportBreachEntity, ReportCategoryEntity, ReportChannel, ReportDeadlineKind, ReportDistrictTargetEntity, ReportEntity, ReportKind, ReportStatus, ReportTransitionEntity } from './entities/report.entity';

registerEnumType(ReportDeadlineKind, { name: 'ReportDeadlineKind' });

@ObjectType({ description: 'Service-level targets, in hours from a district’s receipt of a report.' })
export class ReportTargets {
  @Field(() => Int, { description: 'Hours to accept it.' })
  acceptWithinHours: number;

  @Field(() => Int, { description: 'Hours to resolve it.' })
  resolveWithinHours: number;
}


@ObjectType({ description: 'A kind of problem a report is about; its name in the language of the request.' })
export class ReportCategory {
  @Field(() => String, { description: 'Stable: ROADS, STREET_LIGHTS...' })
  code: string;

  @Field(() => Boolean, { description: 'False once retired: it stays on old reports but cannot be chosen.' })
  active: boolean;

  @Field(() => ReportTargets, { description: 'The city’s targets for it; a district may tighten them (District.reportTargets).' })
  targets: ReportTargets;

  nameTh: string;
  nameEn: string;

  static from(entity: ReportCategoryEntity): ReportCategory {
    return Object.assign(new ReportCategory(), {
      code: entity.code,
      active: entity.active,
      nameTh: entity.nameTh,
      nameEn: entity.nameEn,
      targets: { acceptWithinHours: entity.acceptWithinHours, resolveWithinHours: entity.resolveWithinHours },
    });
  }
}

@ObjectType()
export class ReportPlace {
  @Field(() => Float)
  latitude: number;

  @Field(() => Float)
  longitude: number;

  @Field(() => String, { nullable: true })
  address: string | null;

  @Field(() => String, { nullable: true })
  landmark: string | null;
}

@ObjectType({ description: 'Who a host filed a report for: private to that district’s staff and administrators.' })
export class ReportCaller {
  @Field(() => String)
  name: string;

  @Field(() => String)
  phone: string;
}

@ObjectType({ description: 'The reporter’s rating of how it was resolved.' })
export class ReportRating {
  @Field(() => Int, { description: '1 to 5.' })
  rating: number;

  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field(() => Date)
  ratedAt: Date;
}

@ObjectType('Report', { implements: () => [Node], description: 'A resident’s complaint or suggestion (เรื่องร้องเรียน) about a place in a district. Who reported or supported it is never public.' })
export class Report implements Node {
  @Field(() => ReportKind)
  kind: ReportKind;

  @Field(() => String)
  description: string;

  @Field(() => ReportPlace)
  place: ReportPlace;

  @Field(() => ReportChannel)
  channel: ReportChannel;

  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => String, { nullable: true, description: 'FORWARDED: the outside agency it went to.' })
  forwardedToAgency: string | null;

  @Field(() => Int, { description: 'People who said “me too”.' })
  supportCount: number;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { description: 'When it was submitted.' })
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  id: string;
  nodeType = 'Report';
  reportId: string;
  categoryCode: string;
  districtCode: string;
  reporterId: string | null;
  filedById: string | null;
  mergedIntoId: string | null;
  caller: ReportCaller | null;
  ratingGiven: ReportRating | null;
  deadlinesKept: ReportDeadlines;

  static from(entity: ReportEntity): Report {
    const r = new Report();
    r.id = toGlobalId('Report', entity.id);
    r.reportId = entity.id;
    r.kind = entity.kind;
    r.description = entity.description;
    r.place = { latitude: entity.latitude, longitude: entity.longitude, address: entity.address, landmark: entity.landmark };
    r.channel = entity.channel;
    r.status = entity.status;
    r.forwardedToAgency = entity.forwardedToAgency ?? null;
    r.supportCount = entity.supportCount;
    r.resolvedAt = entity.resolvedAt ?? null;
    r.createdAt = entity.createdAt;
    r.updatedAt = entity.updatedAt;
    r.categoryCode = entity.categoryCode;
    r.districtCode = entity.districtCode;
    r.reporterId = entity.reporterId;
    r.filedById = entity.filedById;
    r.mergedIntoId = entity.mergedIntoId ?? null;
    r.caller = entity.callerName != null ? { name: entity.callerName, phone: entity.callerPhone ?? '' } : null;
    r.ratingGiven = entity.rating != null ? { rating: entity.rating, comment: entity.ratingComment, ratedAt: entity.ratedAt! } : null;
    r.deadlinesKept = {
      receivedAt: entity.receivedAt,
      acceptedAt: entity.acceptedAt,
      acceptBy: entity.acceptDueAt,
      resolveBy: entity.resolveDueAt,
      dueAt: entity.dueAt,
      overdue: entity.overdueSince !== null,
      overdueSince: entity.overdueSince,
    };
    return r;
  }
}

@ObjectType()
export class ReportConnection extends Connection(Report, 'Report') {}

@ObjectType({ description: 'One step of a report’s life.' })
export class ReportTransition {
  @Field(() => ReportStatus, { nullable: true, description: 'Null for its submission.' })
  from: ReportStatus | null;

  @Field(() => ReportStatus)
  to: ReportStatus;

  @Field(() => String, { nullable: true, description: 'Why, as the person who made the change wrote it.' })
  note: string | null;

  @Field(() => String, { nullable: true, description: 'A forward to an outside agency: its name.' })
  agency: string | null;

  @Field(() => Date)
  at: Date;

  transitionId: string;
  action: string;
  actorId: string | null;
  byStaff: boolean;
  fromDistrictCode: string | null;
  toDistrictCode: string | null;
  mergedIntoId: string | null;
  /** The report it belongs to, to decide who may see its actor. */
  report: Report;

  static from(entity: ReportTransitionEntity, report: Report): ReportTransition {
    return Object.assign(new ReportTransition(), {
      from: entity.fromStatus,
      to: entity.toStatus,
      note: entity.note,
      agency: entity.agency,
      at: entity.createdAt,
      transitionId: entity.id,
      action: entity.action,
      actorId: entity.actorId,
      byStaff: entity.byStaff,
      fromDistrictCode: entity.fromDistrictCode,
      toDistrictCode: entity.toDistrictCode,
      mergedIntoId: entity.mergedIntoId,
      report,
    });
  }
}

@ObjectType({ description: 'A report’s deadlines in its district: its staff and administrators only.' })
export class ReportDeadlines {
  @Field(() => Date, { description: 'When its district received it (its submission, or a forward from another district): the deadlines run from here.' })
  receivedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When its district accepted it.' })
  acceptedAt: Date | null;

  @Field(() => Date, { description: 'To be accepted by.' })
  acceptBy: Date;

  @Field(() => Date, { description: 'To be resolved by (a reopen gives a new one).' })
  resolveBy: Date;

  @Field(() => Date, { nullable: true, description: 'The next deadline it can miss; null once closed. The queue is ordered by it.' })
  dueAt: Date | null;

  @Field(() => Boolean, { description: 'Whether the next deadline has passed (marked by the deadline clock).' })
  overdue: boolean;

  @Field(() => Date, { nullable: true, description: 'The deadline it is overdue since.' })
  overdueSince: Date | null;
}

@ObjectType({ description: 'A deadline a report missed, recorded once.' })
export class ReportBreach {
  @Field(() => ReportDeadlineKind)
  kind: ReportDeadlineKind;

  @Field(() => Date, { description: 'The deadline missed.' })
  dueAt: Date;

  @Field(() => Date, { description: 'When the deadline clock recorded it.' })
  breachedAt: Date;

  districtCode: string;

  static from(entity: ReportBreachEntity): ReportBreach {
    return Object.assign(new ReportBreach(), { kind: entity.kind, dueAt: entity.dueAt, breachedAt: entity.breachedAt, districtCode: entity.districtCode });
  }
}

@ObjectType({ description: 'A district’s own, tighter targets for one category.' })
export class DistrictReportTarget {
  @Field(() => Int)
  acceptWithinHours: number;

  @Field(() => Int)
  resolveWithinHours: number;

  @Field(() => Date)
  updatedAt: Date;

  categoryCode: string;

  static from(entity: ReportDistrictTargetEntity): DistrictReportTarget {
    return Object.assign(new DistrictReportTarget(), {
      acceptWithinHours: entity.acceptWithinHours,
      resolveWithinHours: entity.resolveWithinHours,
      updatedAt: entity.updatedAt,
      categoryCode: entity.categoryCode,
    });
  }
}
