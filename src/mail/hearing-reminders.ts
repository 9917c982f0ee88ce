import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundJob } from '../common/clock/background-job';
import { Clock } from '../common/clock/clock';
import { AppLogger, LOGGER } from '../common/logging/logger';
import { formatDateTime } from '../i18n/dates';
import { t } from '../i18n/i18n';
import { Locale } from '../i18n/locale';
import { Mailer } from './mailer';

/** How long before a hearing starts its registrants are reminded: "the day before". */
export const REMINDER_AHEAD_MS = 24 * 3600_000;

/**
 * The clock job that emails each person with a confirmed seat or online place a reminder once the
 * hearing starts within a day, unless they switched reminders off. Each reminder is claimed by inserting
 * its (hearing, person) row into `hearing_reminders` before it is sent, so across restarts and several
 * instances a person is reminded of a hearing at most once (a mail lost by the SMTP server is not retried).
 */
@Injectable()
export class HearingReminders implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job = new BackgroundJob(() => this.pass(), 60_000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Runs a whole pass (begun after the call) and answers when its mail has been handed over. */
  async tick(): Promise<void> {
    await this.job.run();
    await this.mailer.idle();
  }

  private async pass(): Promise<void> {
    try {
      const now = this.clock.now();
      const claimed: { email: string; locale: Locale; display_name: string; title: string; starts_at: Date; venue: string | null; online_url: string | null; mode: string }[] =
        await this.dataSource.query(
          `WITH claimed AS (
             INSERT INTO hearing_reminders (hearing_id, user_id, sent_at)
             SELECT r.hearing_id, r.user_id, $1
               FROM hearing_registrations r
               JOIN hearings h ON h.id = r.hearing_id
               JOIN users u ON u.id = r.user_id
              WHERE r.status = 'CONFIRMED' AND h.status IN ('SCHEDULED', 'OPEN')
                AND h.starts_at > $1 AND h.starts_at <= $2 AND u.email_hearing_reminders
             ON CONFLICT DO NOTHING
             RETURNING hearing_id, user_id
           )
           SELECT u.email, u.locale, u.display_name, h.title, h.starts_at, h.venue, h.online_url, r.mode
             FROM claimed c
             JOIN users u ON u.id = c.user_id
             JOIN hearings h ON h.id = c.hearing_id
             JOIN hearing_registrations r ON r.hearing_id = c.hearing_id AND r.user_id = c.user_id AND r.status = 'CONFIRMED'`,
          [now, new Date(now.getTime() + REMINDER_AHEAD_MS)],
        );
      for (const row of claimed) {
        const locale = row.locale;
        const where = row.mode === 'ONLINE' ? (row.online_url ?? '') : (row.venue ?? '');
        const values = { name: row.display_name, title: row.title, when: formatDateTime(locale, new Date(row.starts_at)), where };
        this.mailer.sendLater({
          kind: 'hearing-reminder',
          to: row.email,
          subject: t(locale, 'mail.hearingReminder.subject', values),
          text: `${t(locale, 'mail.hearingReminder.body', values)}\n\n${t(locale, 'mail.footer.switchOff')}`,
        });
      }
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'hearing reminder pass failed');
    }
  }
}
