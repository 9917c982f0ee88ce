import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, LoaderDefinition, RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { requestForEvent } from '../common/graphql/live-requests';
import { Refusable } from '../common/graphql/refusable-fields';
import { mapConnection } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { District } from '../districts/district.type';
import { PhotoEntity } from '../photos/photo.entity';
import { Photo } from '../photos/photo.type';
import { channel, EventBus } from '../realtime/event-bus';
import { ClearDistrictReportTargetsPayload, SetDistrictReportTargetsPayload, SetReportCategoryTargetsPayload } from './dto/payloads';
import { ClearDistrictReportTargetsInput, ReportQueueArgs, SetDistrictReportTargetsInput, SetReportCategoryTargetsInput } from './dto/report-deadlines.input';
import { ReportTransitionPhotoEntity } from './entities/report.entity';
import { ReportCategoriesService } from './report-categories.service';
import { REPORT_QUEUE_UPDATED, REPORT_UPDATED, ReportEvent, ReportLive, ReportQueueUpdate, ReportUpdate } from './report-live';
import { ReportQueueService } from './report-queue.service';
import { ReportTargetsService } from './report-targets.service';
import { DistrictReportTarget, Report, ReportBreach, ReportCategory, ReportConnection, ReportDeadlines, ReportTransition } from './report.type';
import { ReportsService } from './reports.service';

/** Deadlines and the queue: targets, the staff's queue, the staff-only deadline fields, and live updates of reports. */
@Resolver(() => Report)
export class ReportDeadlinesResolver {
  constructor(
    private readonly reports: ReportsService,
    private readonly queueService: ReportQueueService,
    private readonly targets: ReportTargetsService,
    private readonly events: EventBus,
  ) {}

  @Query(() => ReportConnection, { description: 'The district’s open reports, the next deadline first: its staff and administrators only.' })
  async reportQueue(@Args() args: ReportQueueArgs, @Ctx() rc: RequestContext): Promise<ReportConnection> {
    return mapConnection(await this.queueService.queue(rc, args), Report.from);
  }

  @Mutation(() => SetReportCategoryTargetsPayload, { description: 'Administrators: the city’s targets for a category, for reports received from then on.' })
  async setReportCategoryTargets(
    @Args('input', { type: () => SetReportCategoryTargetsInput }) input: SetReportCategoryTargetsInput,
    @Ctx() rc: RequestContext,
  ): Promise<SetReportCategoryTargetsPayload> {
    return { category: ReportCategory.from(await this.targets.setCityTargets(rc, input)) };
  }

  @Mutation(() => SetDistrictReportTargetsPayload, {
    description: 'The district’s staff and administrators: the district’s own targets for a category, no looser than the city’s, for reports it receives from then on.',
  })
  async setDistrictReportTargets(
    @Args('input', { type: () => SetDistrictReportTargetsInput }) input: SetDistrictReportTargetsInput,
    @Ctx() rc: RequestContext,
  ): Promise<SetDistrictReportTargetsPayload> {
    const { district, target } = await this.targets.setDistrictTargets(rc, input);
    return { district: District.from(district), target: DistrictReportTarget.from(target) };
  }

  @Mutation(() => ClearDistrictReportTargetsPayload, { description: 'The district’s staff and administrators: back to the city’s targets for a category.' })
  async clearDistrictReportTargets(
    @Args('input', { type: () => ClearDistrictReportTargetsInput }) input: ClearDistrictReportTargetsInput,
    @Ctx() rc: RequestContext,
  ): Promise<ClearDistrictReportTargetsPayload> {
    return { district: District.from(await this.targets.clearDistrictTargets(rc, input)) };
  }

  @ResolveField(() => ReportDeadlines, { nullable: true, description: 'Its deadlines: the district’s staff and administrators only; FORBIDDEN for anyone else.' })
  @Refusable()
  deadlines(@Parent() report: Report, @Ctx() rc: RequestContext): ReportDeadlines {
    this.staffOnly(rc, report);
    return report.deadlinesKept;
  }

  @ResolveField(() => [ReportBreach], { nullable: true, description: 'The deadlines it missed, oldest first: the district’s staff and administrators only; FORBIDDEN for anyone else.' })
  @Refusable()
  async breaches(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<ReportBreach[]> {
    this.staffOnly(rc, report);
    return (await rc.loader(this.queueService.breachesOf).load(report.reportId)).map(ReportBreach.from);
  }

  @Subscription(() => ReportUpdate, {
    description: 'Changes to one report, as you may see it at each change (its deadlines only if you are its district’s staff then; a breach reaches only them).',
    filter(this: ReportDeadlinesResolver, event: ReportEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: ReportDeadlinesResolver, event: ReportEvent, _args: unknown, context: GraphQLContext) {
      return this.updateFor(event, context);
    },
  })
  async reportUpdated(@Args('reportId', { type: () => ID }) reportId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<ReportEvent>> {
    const id = fromGlobalId(reportId, 'Report', 'reportId');
    if (!(await this.reports.find(rc, id))) throw AppError.notFound('Report');
    return this.events.subscribe<ReportEvent>(channel(REPORT_UPDATED, id));
  }

  @Subscription(() => ReportQueueUpdate, {
    description:
      'The district’s queue as it changes: new reports, steps, breaches, reports forwarded in and out, duplicates merged. Its staff and administrators only, checked again at each event.',
    filter(this: ReportDeadlinesResolver, event: ReportEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: ReportDeadlinesResolver, event: ReportEvent, _args: unknown, context: GraphQLContext) {
      return this.updateFor(event, context);
    },
  })
  async reportQueueUpdated(@Args('districtCode', { type: () => String }) districtCode: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<ReportEvent>> {
    return this.events.subscribe<ReportEvent>(channel(REPORT_QUEUE_UPDATED, await this.queueService.requireStaff(rc, districtCode)));
  }

  /** Whether an event reaches a subscriber: decided with their rights at this event, not at subscribing. */
  private async mayHear(event: ReportEvent, context: GraphQLContext): Promise<boolean> {
    const rc = await requestForEvent(context, event);
    return !!rc && ReportLive.mayHear(rc.viewer, event);
  }

  // `context` here is the event's own request (see live-requests.ts), as is every field's below it.
  private async updateFor(event: ReportEvent, context: GraphQLContext): Promise<ReportUpdate | ReportQueueUpdate> {
    const report = await this.reports.find(context.rc, event.reportId);
    if (!report) throw AppError.notFound('Report');
    return { kind: event.kind, report: Report.from(report) } as ReportUpdate | ReportQueueUpdate;
  }

  private staffOnly(rc: RequestContext, report: Report): void {
    if (ReportsService.isStaff(rc.viewer, report)) return;
    if (!rc.viewer) throw AppError.unauthenticated();
    throw AppError.forbidden(msg('reports.errors.staffOnly'));
  }
}

@Resolver(() => District)
export class DistrictReportTargetsResolver {
  constructor(private readonly targets: ReportTargetsService) {}

  @ResolveField(() => [DistrictReportTarget], { description: 'The report targets the district tightened for itself; the city’s (ReportCategory.targets) apply to the other categories.' })
  async reportTargets(@Parent() district: District, @Ctx() rc: RequestContext): Promise<DistrictReportTarget[]> {
    return (await rc.loader(this.targets.ofDistrict).load(district.code)).map(DistrictReportTarget.from);
  }
}

@Resolver(() => DistrictReportTarget)
export class DistrictReportTargetResolver {
  constructor(private readonly categories: ReportCategoriesService) {}

  @ResolveField(() => ReportCategory)
  async category(@Parent() target: DistrictReportTarget, @Ctx() rc: RequestContext): Promise<ReportCategory> {
    return ReportCategory.from((await rc.loader(this.categories.byCode).load(target.categoryCode))!);
  }
}

/** "After" photos on the steps of a report's history. */
@Resolver(() => ReportTransition)
export class ReportTransitionPhotosResolver {
  constructor(private readonly dataSource: DataSource) {}

  private readonly photosOfStep: LoaderDefinition<string, PhotoEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource
          .getRepository(ReportTransitionPhotoEntity)
          .createQueryBuilder('tp')
          .innerJoinAndSelect('tp.photo', 'photo')
          .where('tp.transition_id = ANY(:ids)', { ids: [...ids] })
          .orderBy('tp.position')
          .getMany();
        return ids.map((id) => rows.filter((row) => row.transitionId === id).map((row) => row.photo!));
      }),
  };

  @ResolveField(() => [Photo], { description: '“After” photos the staff added to this step (up to 3), in their order.' })
  async photos(@Parent() step: ReportTransition, @Ctx() rc: RequestContext): Promise<Photo[]> {
    return (await rc.loader(this.photosOfStep).load(step.transitionId)).map(Photo.from);
  }
}

export const REPORT_DEADLINE_RESOLVERS = [ReportDeadlinesResolver, DistrictReportTargetsResolver, DistrictReportTargetResolver, ReportTransitionPhotosResolver];