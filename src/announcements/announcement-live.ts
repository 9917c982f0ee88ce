import { Injectable } from '@nestjs/common';
import { CITY } from '../audit/audit-entry.entity';
import { Tx } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { channel, EventBus } from '../realtime/event-bus';

export const ANNOUNCEMENT_PUBLISHED = 'announcementPublished';

/** What crosses the pub/sub: the id only. Each subscriber reads the announcement again, with their rights at that event. */
export interface AnnouncementEvent {
  announcementId: string;
}

/** The channel of a district's announcements (a city-wide one is told on every district's, and the city's). */
export function announcementChannel(districtCode: string | null): string {
  return channel(ANNOUNCEMENT_PUBLISHED, districtCode ?? CITY);
}

/** Publishes announcements as they are published, after the transaction that published them commits. */
@Injectable()
export class AnnouncementLive {
  constructor(
    private readonly events: EventBus,
    private readonly districts: DistrictsService,
  ) {}

  announce(tx: Tx, announcement: { id: string; districtCode: string | null }): void {
    tx.afterCommit(() => this.publish(announcement));
  }

  private async publish(announcement: { id: string; districtCode: string | null }): Promise<void> {
    const event: AnnouncementEvent = { announcementId: announcement.id };
    // City-wide ones are in every district's list, so every district's subscribers hear them too.
    const codes = announcement.districtCode ? [announcement.districtCode] : [null, ...(await this.districts.list()).map((d) => d.code)];
    for (const code of codes) this.events.publish(announcementChannel(code), event);
  }
}
