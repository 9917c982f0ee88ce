import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { requestForEvent } from '../common/graphql/live-requests';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { Hearing } from '../hearings/hearing.type';
import { Locale } from '../i18n/locale';
import { Proposal } from '../proposals/proposal.type';
import { Questionnaire } from '../questionnaires/questionnaire.type';
import { EventBus } from '../realtime/event-bus';
import { Report } from '../reports/report.type';
import { VotingRound } from '../voting/voting.type';
import { AnnouncementStatus } from './announcement.entity';
import { AnnouncementEvent, announcementChannel } from './announcement-live';
import { Announcement, ANNOUNCEMENT_TYPE, AnnouncementConnection, AnnouncementVersion, AnnouncementVersionConnection } from './announcement.type';
import { AnnouncementsService } from './announcements.service';
import { AnnouncementsArgs, EditAnnouncementInput, PinAnnouncementInput, PublishAnnouncementInput, UnpinAnnouncementInput, WithdrawAnnouncementInput } from './dto/announcement.input';
import { EditAnnouncementPayload, PinAnnouncementPayload, PublishAnnouncementPayload, UnpinAnnouncementPayload, WithdrawAnnouncementPayload } from './dto/payloads';

const announcementId = (globalId: string) => fromGlobalId(globalId, ANNOUNCEMENT_TYPE, 'input.announcementId');

/** The reader's language, Thai when there is no English. */
const inLocale = (rc: RequestContext, th: string, en: string | null) => (rc.locale === Locale.en && en ? en : th);

@Resolver(() => Announcement)
export class AnnouncementsResolver implements OnModuleInit {
  constructor(
    private readonly service: AnnouncementsService,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
    private readonly events: EventBus,
  ) {}

  onModuleInit(): void {
    this.nodes.register(ANNOUNCEMENT_TYPE, async (id, rc) => {
      const announcement = await this.service.find(rc, id);
      return announcement ? Announcement.from(announcement) : null;
    });
  }

  @Query(() => AnnouncementConnection, {
    description:
      'A district’s announcements together with the city-wide ones (without districtCode: the city-wide ones only): pinned first, then the newest. Anyone may read them.',
  })
  async announcements(@Args() args: AnnouncementsArgs, @Ctx() rc: RequestContext): Promise<AnnouncementConnection> {
    return mapConnection(await this.service.list(rc, args), Announcement.from);
  }

  @Query(() => Announcement, { nullable: true, description: 'An announcement by id; null when there is none or you may not see it.' })
  async announcement(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Announcement | null> {
    return this.nodes.fetchAs<Announcement>(id, ANNOUNCEMENT_TYPE, rc, 'id');
  }

  @Mutation(() => PublishAnnouncementPayload, {
    description: 'The district’s staff and administrators: an announcement to the district; administrators: city-wide (no districtCode). At once, or SCHEDULED until publishAt.',
  })
  async publishAnnouncement(@Args('input', { type: () => PublishAnnouncementInput }) input: PublishAnnouncementInput, @Ctx() rc: RequestContext): Promise<PublishAnnouncementPayload> {
    return { announcement: Announcement.from(await this.service.publish(rc, input)) };
  }

  @Mutation(() => EditAnnouncementPayload, { description: 'Its staff: the announcement as it should read now; the version it replaces stays in its history.' })
  async editAnnouncement(@Args('input', { type: () => EditAnnouncementInput }) input: EditAnnouncementInput, @Ctx() rc: RequestContext): Promise<EditAnnouncementPayload> {
    return { announcement: Announcement.from(await this.service.edit(rc, announcementId(input.announcementId), input)) };
  }

  @Mutation(() => PinAnnouncementPayload, { description: 'Its staff: shown first, at most 3 at a time per district (and city-wide): PIN_LIMIT_REACHED beyond.' })
  async pinAnnouncement(@Args('input', { type: () => PinAnnouncementInput }) input: PinAnnouncementInput, @Ctx() rc: RequestContext): Promise<PinAnnouncementPayload> {
    return { announcement: Announcement.from(await this.service.pin(rc, announcementId(input.announcementId), true)) };
  }

  @Mutation(() => UnpinAnnouncementPayload, { description: 'Its staff: back among the others, by date.' })
  async unpinAnnouncement(@Args('input', { type: () => UnpinAnnouncementInput }) input: UnpinAnnouncementInput, @Ctx() rc: RequestContext): Promise<UnpinAnnouncementPayload> {
    return { announcement: Announcement.from(await this.service.pin(rc, announcementId(input.announcementId), false)) };
  }

  @Mutation(() => WithdrawAnnouncementPayload, { description: 'Its staff: taken back with a reason; hidden from everyone else from then on (a scheduled one is never published).' })
  async withdrawAnnouncement(
    @Args('input', { type: () => WithdrawAnnouncementInput }) input: WithdrawAnnouncementInput,
    @Ctx() rc: RequestContext,
  ): Promise<WithdrawAnnouncementPayload> {
    return { announcement: Announcement.from(await this.service.withdraw(rc, announcementId(input.announcementId), input.reason)) };
  }

  @Subscription(() => Announcement, {
    description:
      'Each announcement of the district (and each city-wide one) as it is published, at once or at its scheduled time; without districtCode, the city-wide ones. One withdrawn before it reaches you does not.',
    filter(this: AnnouncementsResolver, event: AnnouncementEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: AnnouncementsResolver, event: AnnouncementEvent, _args: unknown, context: GraphQLContext) {
      return this.publishedFor(event, context);
    },
  })
  async announcementPublished(
    @Args('districtCode', { type: () => String, nullable: true }) districtCode: string | null,
    @Ctx() _rc: RequestContext,
  ): Promise<AsyncIterableIterator<AnnouncementEvent>> {
    const code = districtCode == null ? null : (await this.districts.require(districtCode, 'districtCode')).code;
    return this.events.subscribe<AnnouncementEvent>(announcementChannel(code));
  }

  /** Decided with the subscriber's rights and the announcement as it is at this event: a withdrawn one is not told. */
  private async mayHear(event: AnnouncementEvent, context: GraphQLContext): Promise<boolean> {
    const rc = await requestForEvent(context, event);
    const announcement = rc ? await this.service.find(rc, event.announcementId) : null;
    return announcement?.status === AnnouncementStatus.PUBLISHED;
  }

  // `context` here is the event's own request (see live-requests.ts), as is every field's below it.
  private async publishedFor(event: AnnouncementEvent, context: GraphQLContext): Promise<Announcement> {
    const announcement = await this.service.find(context.rc, event.announcementId);
    if (!announcement) throw AppError.notFound('Announcement');
    return Announcement.from(announcement);
  }

  // ---- fields --------------------------------------------------------------------------------

  @ResolveField(() => String, { description: 'In the reader’s language (Thai when there is no English).' })
  title(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): string {
    return inLocale(rc, announcement.titleTh, announcement.titleEn);
  }

  @ResolveField(() => String, { description: 'Markdown, in the reader’s language (Thai when there is no English).' })
  body(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): string {
    return inLocale(rc, announcement.bodyTh, announcement.bodyEn);
  }

  @ResolveField(() => Boolean, { description: 'Whether its validUntil has passed.' })
  expired(@Parent() announcement: Announcement): boolean {
    return !!announcement.validUntil && announcement.validUntil.getTime() <= this.service.now().getTime();
  }

  @ResolveField(() => District, { nullable: true, description: 'Its district; null when city-wide.' })
  async district(@Parent() announcement: Announcement): Promise<District | null> {
    const district = announcement.districtCode ? await this.districts.find(announcement.districtCode) : null;
    return district ? District.from(district) : null;
  }

  @ResolveField(() => AnnouncementVersionConnection, { description: 'The versions its edits replaced, the latest first.' })
  async history(@Parent() announcement: Announcement, @Args() page: PageArgs): Promise<AnnouncementVersionConnection> {
    return mapConnection(await this.service.history(announcement.announcementId, page), AnnouncementVersion.from);
  }

  @ResolveField(() => Proposal, { nullable: true, description: 'The proposal it is about, if any (null when you may not see it).' })
  proposal(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.linked(rc, 'Proposal', announcement.proposalId);
  }

  @ResolveField(() => Hearing, { nullable: true, description: 'The hearing it is about, if any.' })
  hearing(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.linked(rc, 'Hearing', announcement.hearingId);
  }

  @ResolveField(() => VotingRound, { nullable: true, description: 'The voting round it is about, if any.' })
  votingRound(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.linked(rc, 'VotingRound', announcement.votingRoundId);
  }

  @ResolveField(() => Report, { nullable: true, description: 'The resident’s report it is about, if any.' })
  report(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.linked(rc, 'Report', announcement.reportId);
  }

  @ResolveField(() => Questionnaire, { nullable: true, description: 'The questionnaire it is about, if any (null when you may not see it).' })
  questionnaire(@Parent() announcement: Announcement, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.linked(rc, 'Questionnaire', announcement.questionnaireId);
  }

  private linked(rc: RequestContext, type: string, id: string | null): Promise<Node | null> {
    return id ? this.nodes.fetch(toGlobalId(type, id), rc) : Promise.resolve(null);
  }
}

@Resolver(() => AnnouncementVersion)
export class AnnouncementVersionResolver {
  @ResolveField(() => String, { description: 'In the reader’s language (Thai when there is no English).' })
  title(@Parent() version: AnnouncementVersion, @Ctx() rc: RequestContext): string {
    return inLocale(rc, version.titleTh, version.titleEn);
  }

  @ResolveField(() => String, { description: 'Markdown, in the reader’s language (Thai when there is no English).' })
  body(@Parent() version: AnnouncementVersion, @Ctx() rc: RequestContext): string {
    return inLocale(rc, version.bodyTh, version.bodyEn);
  }
}

export const ANNOUNCEMENT_RESOLVERS = [AnnouncementsResolver, AnnouncementVersionResolver];
