import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppLogger, LOGGER } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/config';

/** One plain-text mail, already written in its reader's language. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** What the mail is about, for the log (never its text: a reset link is a credential). */
  kind: string;
}

/**
 * Sends mail through the SMTP server of SMTP_URL (nodemailer). Without one, outside production each
 * message is written to the log instead, so a developer can follow a reset link; in production it is
 * dropped with a warning (the boot says so once), because a reset link in a log is a credential any log
 * reader could use.
 *
 * Mail goes out in the background, after the request that caused it has been answered: how long an
 * SMTP server takes must not show in the answer (a password reset answers the same for every email).
 */
@Injectable()
export class Mailer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly transport?: Transporter;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    if (config.smtpUrl) this.transport = createTransport(config.smtpUrl);
  }

  onApplicationBootstrap(): void {
    if (!this.transport && this.config.nodeEnv === 'production') {
      this.logger.error('SMTP_URL is not set: no mail will be sent (password resets, residency decisions, hearing reminders are dropped)');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.idle();
    this.transport?.close();
  }

  /** Queues a message; failures are logged, never thrown at the caller. */
  sendLater(message: MailMessage): void {
    const sending = this.send(message).catch((error: Error) => this.logger.warn({ kind: message.kind, error: error.message }, 'mail not sent'));
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  /** Runs `work` (which may queue mail) in the background, as sendLater does, logging a failure. */
  inBackground(what: string, work: () => Promise<unknown>): void {
    const running = work().then(
      () => undefined,
      (error: Error) => this.logger.warn({ what, error: error.message }, 'background mail work failed'),
    );
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
  }

  /** Resolves when every message queued so far has been handed over (or has failed): tests and shutdown wait for it. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async send(message: MailMessage): Promise<void> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.config.mailFrom, to: message.to, subject: message.subject, text: message.text });
    } else if (this.config.nodeEnv === 'production') {
      this.logger.warn({ kind: message.kind }, 'mail dropped: SMTP_URL is not set');
    } else {
      this.logger.info({ mail: { from: this.config.mailFrom, to: message.to, subject: message.subject, text: message.text }, kind: message.kind }, 'mail (SMTP_URL is not set: written to the log)');
    }
  }
}
