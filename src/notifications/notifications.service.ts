import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { ConnectionShape, PageArgs, paginate } from '../common/pagination/connection';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { fromGlobalId } from '../common/relay/global-id';
import { channel, EventBus } from '../realtime/event-bus';
import { NotificationEntity, NotificationKind, NotificationValues } from './notification.entity';
import { NotificationText, writeNotification } from './notification-texts';
import { Notification } from './notification.type';

export const NOTIFICATION_ADDED = 'notificationAdded';

export interface NotificationEvent {
  notificationId: string;
  userId: string;
}

export interface NotificationDraft {
  userId: string;
  kind: NotificationKind;
  actorId?: string | null;
  proposalId?: string | null;
  commentId?: string | null;
  hearingId?: string | null;
  reportId?: string | null;
  /** What its text is written from; never text itself (see NotificationValues). */
  values?: NotificationValues;
}

/** What a notification of one kind quotes of someone's content, read as it is now and as its reader may see it. */
export type QuoteReader = (rc: RequestContext, notification: Notification) => Promise<string | null>;

/** Tells accounts what concerns them: written in the caller's transaction, pushed after it commits. */
@Injectable()
export class NotificationsService {
  private readonly quotes = new Map<NotificationKind, QuoteReader>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventBus,
  ) {}

  /**
   * A kind whose detail quotes someone's content (a reply's text, a proposal's title) registers how to
   * read it: the quote is never stored, so a hidden reply or a retitled plan is not kept on in people's
   * notifications.
   */
  quote(kind: NotificationKind, reader: QuoteReader): void {
    if (this.quotes.has(kind)) throw new Error(`Notification kind ${kind} quoted twice`);
    this.quotes.set(kind, reader);
  }

  /**
   * The notification written out in the reader's language (the account's locale as it is now, so a
   * change of locale changes past notifications too), with what it quotes as it reads now.
   */
  textFor(rc: RequestContext, notification: Notification): Promise<NotificationText> {
    notification.text ??= (async () => {
      const quote = this.quotes.get(notification.kind);
      return writeNotification(rc.locale, notification.kind, notification.values, quote ? await quote(rc, notification) : null);
    })();
    return notification.text;
  }

  /** Nobody is told of their own actions. */
  async notify(tx: Tx, drafts: NotificationDraft[]): Promise<void> {
    const wanted = drafts.filter((d) => d.userId !== d.actorId);
    for (const draft of wanted) if (this.quotes.has(draft.kind) && draft.values && Object.keys(draft.values).length) throw new Error(`${draft.kind} quotes its content when read: store no values`);
    if (wanted.length === 0) return;
    const rows = await tx.em.save(
      NotificationEntity,
      wanted.map((d) =>
        tx.em.create(NotificationEntity, {
          ...d,
          actorId: d.actorId ?? null,
          proposalId: d.proposalId ?? null,
          commentId: d.commentId ?? null,
          hearingId: d.hearingId ?? null,
          reportId: d.reportId ?? null,
          values: d.values ?? {},
        }),
      ),
    );
    tx.afterCommit(() => {
      for (const row of rows) {
        const event: NotificationEvent = { notificationId: row.id, userId: row.userId };
        this.events.publish(channel(NOTIFICATION_ADDED, row.userId), event);
      }
    });
  }

  /**
   * Pushes notifications written by someone else's statement (district news, in batches of thousands)
   * to their recipients live, after that statement committed. See EventBus.publishEach for why a
   * batch does not cost a pub/sub message per recipient.
   */
  announce(rows: { id: string; userId: string }[]): void {
    this.events.publishEach(rows.map((row) => ({ name: channel(NOTIFICATION_ADDED, row.userId), payload: { notificationId: row.id, userId: row.userId } satisfies NotificationEvent })));
  }

  async list(rc: RequestContext, unreadOnly: boolean, page: PageArgs): Promise<ConnectionShape<NotificationEntity>> {
    const viewer = rc.requireViewer();
    const query = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n').where('n.user_id = :user', { user: viewer.id });
    if (unreadOnly) query.andWhere('n.read_at IS NULL');
    return paginate(query, page, { columns: [{ sql: 'n.created_at', value: (n) => n.createdAt }, { sql: 'n.id', value: (n) => n.id }], direction: 'DESC' }, (n) => n);
  }

  async unreadCount(rc: RequestContext): Promise<number> {
    const viewer = rc.requireViewer();
    return this.dataSource.getRepository(NotificationEntity).countBy({ userId: viewer.id, readAt: IsNull() });
  }

  /** Marks the given notifications (or all, when none are given) as read; returns how many changed. */
  async markRead(rc: RequestContext, globalIds: string[] | null | undefined, now: Date): Promise<number> {
    const viewer = rc.requireViewer();
    const ids = (globalIds ?? []).map((id, i) => fromGlobalId(id, 'Notification', `input.notificationIds[${i}]`));
    return this.unitOfWork.run(async ({ em }) => {
      const where = { userId: viewer.id, readAt: IsNull(), ...(ids.length ? { id: In(ids) } : {}) };
      return (await em.update(NotificationEntity, where, { readAt: now })).affected ?? 0;
    });
  }

  async forSubscriber(rc: RequestContext, event: NotificationEvent): Promise<NotificationEntity | null> {
    if (rc.viewer?.id !== event.userId) return null;
    return this.dataSource.getRepository(NotificationEntity).findOneBy({ id: event.notificationId, userId: event.userId });
  }

  async findVisible(rc: RequestContext, id: string): Promise<NotificationEntity | null> {
    if (!rc.viewer) return null;
    return this.dataSource.getRepository(NotificationEntity).findOneBy({ id, userId: rc.viewer.id });
  }
}
