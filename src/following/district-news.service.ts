import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tx } from '../database/unit-of-work';
import { AnnouncementKind, DistrictNewsEntity, NewsTopic } from './district-news.entity';

/** What a capability tells a district's followers and residents (or, city-wide, everyone concerned). */
export interface DistrictNewsItem {
  /** Null: city-wide. */
  districtCode: string | null;
  topic: NewsTopic;
  /** ANNOUNCEMENT only. EMERGENCY reaches every follower and resident whatever their preferences (city-wide: every account). */
  announcementKind?: AnnouncementKind;
  /** The node type of what it is about: 'Announcement', 'Proposal', 'Hearing', 'VotingRound', 'Questionnaire'. */
  subjectType: string;
  /** Its uuid (not the global id). */
  subjectId: string;
  title: { th: string; en?: string | null };
}

/**
 * The one way to tell a district's people something. `tell` only records the news in the caller's
 * transaction, so nothing is told of a change that rolls back; DistrictNewsDelivery tells the people in
 * batches, choosing them when it delivers (who unfollowed meanwhile is not told). Call it only for what
 * every account may see once the transaction commits (a published proposal, never a draft).
 */
@Injectable()
export class DistrictNews {
  async tell(tx: Tx, news: DistrictNewsItem): Promise<void> {
    if (news.topic === 'ANNOUNCEMENT' ? !news.announcementKind : news.announcementKind) throw new Error(`DistrictNews.tell: announcementKind goes with ANNOUNCEMENT news, and only with it`);
    await tx.em.insert(DistrictNewsEntity, {
      districtCode: news.districtCode,
      topic: news.topic,
      announcementKind: news.announcementKind ?? null,
      subjectType: news.subjectType,
      subjectId: news.subjectId,
      title: { th: news.title.th, en: news.title.en ?? null },
    });
  }

  /**
   * A capability whose things can stop being public after they were told (a proposal hidden by a
   * moderator) says how to check: delivery asks before each batch and stops telling one that is not.
   */
  stillPublic(subjectType: string, check: SubjectCheck): void {
    if (this.checks.has(subjectType)) throw new Error(`DistrictNews: ${subjectType} checked twice`);
    this.checks.set(subjectType, check);
  }

  /** Whether everyone may still see the subject (true for a type that registered no check). */
  async isPublic(em: EntityManager, subjectType: string, subjectId: string): Promise<boolean> {
    const check = this.checks.get(subjectType);
    return check ? check(em, subjectId) : true;
  }

  private readonly checks = new Map<string, SubjectCheck>();
}

export type SubjectCheck = (em: EntityManager, subjectId: string) => Promise<boolean>;
