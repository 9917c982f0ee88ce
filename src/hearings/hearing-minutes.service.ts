import { deletedAccountName } from '../accounts/erasure/deleted-account';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { RequestContext } from '../common/context/request-context';
import { DistrictsService } from '../districts/districts.service';
import { ProposalEntity, ProposalStatus } from '../proposals/entities/proposal.entity';
import { AdjournmentEntity, AgendaItemEntity, HearingStatus, QuestionEntity, QuestionStatus, StatementEntity } from './entities/hearing.entity';
import { HearingEventKind, HearingLiveService } from './hearing-live.service';
import { HearingsService } from './hearings.service';
import { MinutesRecord, renderMinutes } from './minutes';

/** The minutes: the public record of a closed hearing, gathered from what was stored as it happened. */
@Injectable()
export class HearingMinutesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hearings: HearingsService,
    private readonly districts: DistrictsService,
    private readonly live: HearingLiveService,
  ) {}

  /** The public record, once the hearing is closed (null before), its Markdown in the reader's language (rc.locale). */
  async minutes(rc: RequestContext, hearingId: string): Promise<(MinutesRecord & { markdown: string }) | null> {
    const hearing = await this.hearings.find(rc, hearingId);
    if (!hearing || hearing.status !== HearingStatus.CLOSED) return null;
    const em = this.dataSource.manager;
    const agenda = await em.find(AgendaItemEntity, { where: { hearingId }, order: { position: 'ASC' } });
    const statements = await em.find(StatementEntity, { where: { hearingId }, order: { startedAt: 'ASC' } });
    const adjournments = await em.find(AdjournmentEntity, { where: { hearingId }, order: { adjournedAt: 'ASC' } });
    // Every question asked is on the record, most voted first: answered, left open at the close, or dismissed.
    const questions = await em.find(QuestionEntity, { where: { hearingId }, order: { upvoteCount: 'DESC', createdAt: 'ASC' } });
    const withStatus = (status: QuestionStatus) => questions.filter((q) => q.status === status);
    const userIds = [...new Set([...statements.map((s) => s.speakerId), ...questions.map((q) => q.authorId)])];
    const users = userIds.length ? await em.find(UserEntity, { where: { id: In(userIds) }, select: { id: true, displayName: true, deletedAt: true } }) : [];
    const proposalIds = agenda.map((i) => i.proposalId).filter((id): id is string => !!id);
    const proposals = proposalIds.length ? await em.find(ProposalEntity, { where: { id: In(proposalIds) }, select: { id: true, title: true, status: true } }) : [];
    const live = await this.live.snapshot({ em }, hearing, HearingEventKind.STATE_CHANGED);
    const district = await this.districts.find(hearing.districtCode);
    const record: MinutesRecord = {
      hearing,
      districtName: { th: district?.nameTh ?? hearing.districtCode, en: district?.nameEn ?? hearing.districtCode },
      agenda,
      // A proposal hidden since is named without its title.
      proposalTitles: new Map(proposals.map((p) => [p.id, p.status === ProposalStatus.HIDDEN ? null : p.title])),
      attendance: live.attendance,
      statements,
      adjournments,
      answeredQuestions: withStatus(QuestionStatus.ANSWERED),
      unansweredQuestions: withStatus(QuestionStatus.OPEN),
      dismissedQuestions: withStatus(QuestionStatus.DISMISSED),
      // Statements and questions stay on the record; an erased speaker is named "deleted account".
      names: new Map(users.map((u) => [u.id, u.deletedAt ? deletedAccountName(rc.locale) : u.displayName])),
    };
    return { ...record, markdown: renderMinutes(record, rc.locale) };
  }
}
