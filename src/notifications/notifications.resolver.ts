import { OnModuleInit } from '@nestjs/common';
import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Clock } from '../common/clock/clock';
import { Ctx } from '../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { NodeRegistry } from '../common/relay/node-registry';
import { channel, EventBus } from '../realtime/event-bus';
import { MarkNotificationsReadInput } from './dto/notifications.input';
import { MarkNotificationsReadPayload } from './dto/payloads';
import { Notification, NotificationConnection } from './notification.type';
import { NOTIFICATION_ADDED, NotificationEvent, NotificationsService } from './notifications.service';

@Resolver(() => Notification)
export class NotificationsResolver implements OnModuleInit {
  constructor(
    private readonly service: NotificationsService,
    private readonly users: UsersService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Notification', async (id, rc) => {
      const notification = await this.service.findVisible(rc, id);
      return notification ? Notification.from(notification) : null;
    });
  }

  @Query(() => NotificationConnection, { description: 'Your notifications, newest first.' })
  async notifications(
    @Args() page: PageArgs,
    @Args('unreadOnly', { type: () => Boolean, nullable: true, defaultValue: false }) unreadOnly: boolean,
    @Ctx() rc: RequestContext,
  ): Promise<NotificationConnection> {
    return mapConnection(await this.service.list(rc, unreadOnly, page), Notification.from);
  }

  @Query(() => Int, { description: 'How many of your notifications are unread.' })
  unreadNotificationCount(@Ctx() rc: RequestContext): Promise<number> {
    return this.service.unreadCount(rc);
  }

  @Mutation(() => MarkNotificationsReadPayload, { description: 'Mark the given notifications read (all of them when no ids are given).' })
  async markNotificationsRead(
    @Args('input', { type: () => MarkNotificationsReadInput }) input: MarkNotificationsReadInput,
    @Ctx() rc: RequestContext,
  ): Promise<MarkNotificationsReadPayload> {
    const changed = await this.service.markRead(rc, input.notificationIds, this.clock.now());
    return { changed, unreadCount: await this.service.unreadCount(rc) };
  }

  @Subscription(() => Notification, {
    name: 'notifications',
    description: 'Your notifications as they happen.',
    filter(this: NotificationsResolver, event: NotificationEvent, _args: unknown, context: GraphQLContext) {
      return context.rc.viewer?.id === event.userId;
    },
    async resolve(this: NotificationsResolver, event: NotificationEvent, _args: unknown, context: GraphQLContext): Promise<Notification> {
      const notification = await this.service.forSubscriber(context.rc, event);
      if (!notification) throw AppError.notFound('Notification');
      return Notification.from(notification);
    },
  })
  notificationsSubscription(@Ctx() rc: RequestContext): AsyncIterableIterator<NotificationEvent> {
    return this.events.subscribe<NotificationEvent>(channel(NOTIFICATION_ADDED, rc.requireViewer().id));
  }

  @ResolveField(() => String, { description: "What happened, in one line, in your language (your account's locale as it is now)." })
  async title(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<string> {
    return (await this.service.textFor(rc, notification)).title;
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'The particulars, in your language: the old and new status, the reason given, the new times (Bangkok time), or what it quotes (the start of a reply, a proposal title) as it reads now: nothing once you may no longer read it.',
  })
  async body(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<string | null> {
    return (await this.service.textFor(rc, notification)).body;
  }

  @ResolveField(() => String, { nullable: true, deprecationReason: 'Use body: the same text, now written in your language.' })
  async detail(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<string | null> {
    return (await this.service.textFor(rc, notification)).body;
  }

  @ResolveField(() => User, { nullable: true, description: 'Who caused it, if a person did.' })
  async actor(@Parent() notification: Notification, @Ctx() rc: RequestContext): Promise<User | null> {
    const user = notification.actorId ? await rc.loader(this.users.userById).load(notification.actorId) : null;
    return user ? User.from(user) : null;
  }
}
