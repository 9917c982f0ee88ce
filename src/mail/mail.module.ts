import { Global, Module } from '@nestjs/common';
import { HearingReminders } from './hearing-reminders';
import { Mailer } from './mailer';

/** Outgoing mail, and the clock job that reminds registrants of tomorrow's hearings. */
@Global()
@Module({
  providers: [Mailer, HearingReminders],
  exports: [Mailer, HearingReminders],
})
export class MailModule {}
