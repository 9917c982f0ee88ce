import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { Refusable } from '../common/graphql/refusable-fields';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { Notification } from '../notifications/notification.type';
import { Photo } from '../photos/photo.type';
import {
  AcceptReportPayload,
  AddReportCategoryPayload,
  ForwardReportPayload,
  MergeReportPayload,
  RateReportPayload,
  RejectReportPayload,
  ReopenReportPayload,
  ResolveReportPayload,
  RetireReportCategoryPayload,
  StartReportWorkPayload,
  SubmitReportPayload,
  SupportReportPayload,
} from './dto/payloads';
import {
  AcceptReportInput,
  AddReportCategoryInput,
  ForwardReportInput,
  MergeReportInput,
  RateReportInput,
  RejectReportInput,
  ReopenReportInput,
  ReportFilter,
  ResolveReportInput,
  RetireReportCategoryInput,
  StartReportWorkInput,
  SubmitReportInput,
  SupportReportInput,
} from './dto/report.input';
import { ReportCategoriesService } from './report-categories.service';
import { Report, ReportCaller, ReportCategory, ReportConnection, ReportRating, ReportTransition } from './report.type';
import { ReportsService } from './reports.service';

const reportId = (globalId: string, field = 'input.reportId') => fromGlobalId(globalId, 'Report', field);

@Resolver(() => Report)
export class ReportsResolver implements OnModuleInit {
  constructor(
    private readonly service: ReportsService,
    private readonly categories: ReportCategoriesService,
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Report', async (id, rc) => {
      const report = await this.service.find(rc, id);
      return report ? Report.from(report) : null;
    });
  }

  @Query(() => [ReportCategory], { description: 'The categories a report may be filed under now, in picker order.' })
  async reportCategories(): Promise<ReportCategory[]> {
    return (await this.categories.active()).map(ReportCategory.from);
  }

  @Query(() => ReportConnection, { description: 'Residents’ reports, newest first. Who reported or supported them is not shown.' })
  async reports(@Args('filter', { type: () => ReportFilter, nullable: true }) filter: ReportFilter | null, @Args() page: PageArgs): Promise<ReportConnection> {
    return mapConnection(await this.service.list(filter, page), Report.from);
  }

  @Query(() => Report, { nullable: true, description: 'A report by id; null when there is none.' })
  async report(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Report | null> {
    return this.nodes.fetchAs<Report>(id, 'Report', rc, 'id');
  }

  @Mutation(() => SubmitReportPayload, { description: 'Report a problem (or suggest something) at a place in a district; answers the open reports near it that may be the same.' })
  async submitReport(@Args('input', { type: () => SubmitReportInput }) input: SubmitReportInput, @Ctx() rc: RequestContext): Promise<SubmitReportPayload> {
    const { report, similar } = await this.service.submit(rc, input);
    return { report: Report.from(report), similarReports: similar.map(Report.from) };
  }

  @Mutation(() => AcceptReportPayload, { description: 'RECEIVED → ACCEPTED: the district takes it on (its hosts and administrators).' })
  async acceptReport(@Args('input', { type: () => AcceptReportInput }) input: AcceptReportInput, @Ctx() rc: RequestContext): Promise<AcceptReportPayload> {
    return { report: Report.from(await this.service.move(rc, reportId(input.reportId), 'accept', input.note, input.photoIds)) };
  }

  @Mutation(() => StartReportWorkPayload, { description: 'ACCEPTED → IN_PROGRESS.' })
  async startReportWork(@Args('input', { type: () => StartReportWorkInput }) input: StartReportWorkInput, @Ctx() rc: RequestContext): Promise<StartReportWorkPayload> {
    return { report: Report.from(await this.service.move(rc, reportId(input.reportId), 'startWork', input.note, input.photoIds)) };
  }

  @Mutation(() => ResolveReportPayload, { description: 'ACCEPTED or IN_PROGRESS → RESOLVED; the reporter may then rate it, or reopen it within 7 days.' })
  async resolveReport(@Args('input', { type: () => ResolveReportInput }) input: ResolveReportInput, @Ctx() rc: RequestContext): Promise<ResolveReportPayload> {
    return { report: Report.from(await this.service.move(rc, reportId(input.reportId), 'resolve', input.note, input.photoIds)) };
  }

  @Mutation(() => RejectReportPayload, { description: 'RECEIVED or ACCEPTED → REJECTED, with the reason (required).' })
  async rejectReport(@Args('input', { type: () => RejectReportInput }) input: RejectReportInput, @Ctx() rc: RequestContext): Promise<RejectReportPayload> {
    return { report: Report.from(await this.service.reject(rc, reportId(input.reportId), input.reason, input.photoIds)) };
  }

  @Mutation(() => ForwardReportPayload, { description: 'To another district, which owns it from then on (RECEIVED there), or to a named outside agency with a note (FORWARDED).' })
  async forwardReport(@Args('input', { type: () => ForwardReportInput }) input: ForwardReportInput, @Ctx() rc: RequestContext): Promise<ForwardReportPayload> {
    return { report: Report.from(await this.service.forward(rc, reportId(input.reportId), input)) };
  }

  @Mutation(() => MergeReportPayload, { description: 'A duplicate → MERGED into another open report of the same district, whose supporters its reporter and supporters become.' })
  async mergeReport(@Args('input', { type: () => MergeReportInput }) input: MergeReportInput, @Ctx() rc: RequestContext): Promise<MergeReportPayload> {
    const { merged, survivor } = await this.service.merge(rc, reportId(input.reportId), reportId(input.survivorId, 'input.survivorId'), input);
    return { report: Report.from(merged), survivor: Report.from(survivor) };
  }

  @Mutation(() => ReopenReportPayload, { description: 'The reporter reopens a RESOLVED report within 7 days of its resolution, saying what is still wrong (→ IN_PROGRESS).' })
  async reopenReport(@Args('input', { type: () => ReopenReportInput }) input: ReopenReportInput, @Ctx() rc: RequestContext): Promise<ReopenReportPayload> {
    return { report: Report.from(await this.service.reopen(rc, reportId(input.reportId), input.reason)) };
  }

  @Mutation(() => SupportReportPayload, { description: '“Me too” on an open report (once per person; not on your own). Nobody else sees that you did.' })
  async supportReport(@Args('input', { type: () => SupportReportInput }) input: SupportReportInput, @Ctx() rc: RequestContext): Promise<SupportReportPayload> {
    return { report: Report.from(await this.service.support(rc, reportId(input.reportId))) };
  }

  @Mutation(() => RateReportPayload, { description: 'The reporter rates a resolved report, 1 to 5, once.' })
  async rateReport(@Args('input', { type: () => RateReportInput }) input: RateReportInput, @Ctx() rc: RequestContext): Promise<RateReportPayload> {
    return { report: Report.from(await this.service.rate(rc, input, reportId(input.reportId))) };
  }

  @Mutation(() => AddReportCategoryPayload, { description: 'Administrators: a new category, named in Thai and English.' })
  async addReportCategory(@Args('input', { type: () => AddReportCategoryInput }) input: AddReportCategoryInput, @Ctx() rc: RequestContext): Promise<AddReportCategoryPayload> {
    return { category: ReportCategory.from(await this.categories.add(rc, input)) };
  }

  @Mutation(() => RetireReportCategoryPayload, { description: 'Administrators: a category can no longer be chosen; reports filed under it keep it.' })
  async retireReportCategory(
    @Args('input', { type: () => RetireReportCategoryInput }) input: RetireReportCategoryInput,
    @Ctx() rc: RequestContext,
  ): Promise<RetireReportCategoryPayload> {
    return { category: ReportCategory.from(await this.categories.retire(rc, input.code)) };
  }

  // ---- fields --------------------------------------------------------------------------------

  @ResolveField(() => ReportCategory)
  async category(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<ReportCategory> {
    return ReportCategory.from((await rc.loader(this.categories.byCode).load(report.categoryCode))!);
  }

  @ResolveField(() => [Photo], { description: 'The photos it was submitted with (up to 3), in their order.' })
  async photos(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<Photo[]> {
    return (await rc.loader(this.service.photosOf).load(report.reportId)).map(Photo.from);
  }

  @ResolveField(() => District, { description: 'The district that owns it now.' })
  async district(@Parent() report: Report): Promise<District> {
    return District.from((await this.districts.find(report.districtCode))!);
  }

  @ResolveField(() => Boolean, { description: 'Whether you reported it (only you, and the district’s staff, see who did).' })
  mine(@Parent() report: Report, @Ctx() rc: RequestContext): boolean {
    return ReportsService.isReporter(rc.viewer, report);
  }

  @ResolveField(() => Boolean, { description: 'Whether you said “me too”.' })
  async viewerSupports(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<boolean> {
    return rc.viewer ? rc.loader(this.service.supported).load(`${report.reportId}:${rc.viewer.id}`) : false;
  }

  @ResolveField(() => User, { nullable: true, description: 'The reporter (null when filed for a caller): the reporter and the district’s staff only; FORBIDDEN for anyone else.' })
  @Refusable()
  async reporter(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<User | null> {
    this.insidersOnly(rc, report, true);
    const user = report.reporterId ? await rc.loader(this.users.userById).load(report.reporterId) : null;
    return user ? User.from(user) : null;
  }

  @ResolveField(() => ReportCaller, { nullable: true, description: 'Who a host filed it for: the district’s staff and administrators only; FORBIDDEN for anyone else.' })
  @Refusable()
  caller(@Parent() report: Report, @Ctx() rc: RequestContext): ReportCaller | null {
    this.insidersOnly(rc, report, false);
    return report.caller;
  }

  @ResolveField(() => ReportRating, { nullable: true, description: 'The reporter’s rating: the reporter and the district’s staff only; FORBIDDEN for anyone else.' })
  @Refusable()
  rating(@Parent() report: Report, @Ctx() rc: RequestContext): ReportRating | null {
    this.insidersOnly(rc, report, true);
    return report.ratingGiven;
  }

  @ResolveField(() => Report, { nullable: true, description: 'MERGED: the report it was merged into.' })
  async mergedInto(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<Report | null> {
    const survivor = report.mergedIntoId ? await this.service.find(rc, report.mergedIntoId) : null;
    return survivor ? Report.from(survivor) : null;
  }

  @ResolveField(() => [ReportTransition], { description: 'Every step, oldest first.' })
  async history(@Parent() report: Report, @Ctx() rc: RequestContext): Promise<ReportTransition[]> {
    return (await rc.loader(this.service.historyOf).load(report.reportId)).map((step) => ReportTransition.from(step, report));
  }

  /** The district's staff and administrators; with `reporterToo`, the reporter as well. */
  private insidersOnly(rc: RequestContext, report: Report, reporterToo: boolean): void {
    if (ReportsService.isStaff(rc.viewer, report) || (reporterToo && ReportsService.isReporter(rc.viewer, report))) return;
    if (!rc.viewer) throw AppError.unauthenticated();
    throw AppError.forbidden(msg(reporterToo ? 'reports.errors.insidersOnly' : 'reports.errors.staffOnly'));
  }
}

@Resolver(() => ReportCategory)
export class ReportCategoryResolver {
  @ResolveField(() => String, { description: 'In the language of the request.' })
  name(@Parent() category: ReportCategory, @Ctx() rc: RequestContext): string {
    return ReportCategoriesService.nameIn(rc.locale, category);
  }
}

@Resolver(() => ReportTransition)
export class ReportTransitionResolver {
  constructor(
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
    private readonly service: ReportsService,
  ) {}

  @ResolveField(() => User, {
    nullable: true,
    description: 'Who made the change: public when the district’s staff did; when the reporter did (reopening, submitting), only the reporter and the staff see it.',
  })
  async actor(@Parent() step: ReportTransition, @Ctx() rc: RequestContext): Promise<User | null> {
    if (!step.actorId) return null;
    const shown = step.byStaff || ReportsService.isStaff(rc.viewer, step.report) || rc.viewer?.id === step.actorId;
    const user = shown ? await rc.loader(this.users.userById).load(step.actorId) : null;
    return user ? User.from(user) : null;
  }

  @ResolveField(() => District, { nullable: true, description: 'A forward between districts: the district it came from.' })
  async fromDistrict(@Parent() step: ReportTransition): Promise<District | null> {
    const district = step.fromDistrictCode ? await this.districts.find(step.fromDistrictCode) : null;
    return district ? District.from(district) : null;
  }

  @ResolveField(() => District, { nullable: true, description: 'A forward between districts: the district that owns it since.' })
  async toDistrict(@Parent() step: ReportTransition): Promise<District | null> {
    const district = step.toDistrictCode ? await this.districts.find(step.toDistrictCode) : null;
    return district ? District.from(district) : null;
  }

  @ResolveField(() => Report, { nullable: true, description: 'A merge: the report it was merged into.' })
  async mergedInto(@Parent() step: ReportTransition, @Ctx() rc: RequestContext): Promise<Report | null> {
    const survivor = step.mergedIntoId ? await this.service.find(rc, step.mergedIntoId) : null;
    return survivor ? Report.from(survivor) : null;
  }
}

@Resolver(() => Notification)
export class NotificationReportResolver {
  constructor(private readonly service: ReportsService) {}

  @ResolveField(() => Report, { nullable: true, description: 'The report it is about, if any.' })
  async report(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<Report | null> {
    const report = notification.reportId ? await this.service.find(rc, notification.reportId) : null;
    return report ? Report.from(report) : null;
  }
}

export const REPORT_RESOLVERS = [ReportsResolver, ReportCategoryResolver, ReportTransitionResolver, NotificationReportResolver];
