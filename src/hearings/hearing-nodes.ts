import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { NodeRegistry } from '../common/relay/node-registry';
import { Node } from '../common/relay/node.interface';
import { AgendaItemEntity, HearingEntity, QuestionEntity, RegistrationEntity, SpeakerRequestEntity, SpeakerRequestStatus, StatementEntity } from './entities/hearing.entity';
import { AgendaItem, Hearing, Question, Registration, SpeakerRequest, Statement } from './hearing.type';
import { HearingsService } from './hearings.service';

/** Requests anyone may see by id: those the live queue and floor show, and turns taken (their statements are public). */
const PUBLIC_REQUESTS: readonly SpeakerRequestStatus[] = [SpeakerRequestStatus.QUEUED, SpeakerRequestStatus.SPEAKING, SpeakerRequestStatus.DONE];

/**
 * `node(id)` for hearings (public, as `hearing(id)` shows them) and their parts. Each part is hidden when its hearing is, and otherwise shown to whom
 * the field listing it shows it: the agenda, questions (dismissed ones too) and statements to everyone,
 * as `Hearing.agenda`, `questions` and `statements` do; a registration to its registrant and the hosts
 * who see `Hearing.registrations`; a request to speak to everyone while the live queue or floor shows it
 * or once it became a statement, a withdrawn one only to its requester and the hosts.
 */
@Injectable()
export class HearingNodes implements OnModuleInit {
  constructor(
    private readonly nodes: NodeRegistry,
    private readonly dataSource: DataSource,
    private readonly hearings: HearingsService,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Hearing', async (id, rc) => {
      const hearing = await this.hearings.find(rc, id);
      return hearing ? Hearing.from(hearing) : null;
    });
    this.register('AgendaItem', AgendaItemEntity, (item) => AgendaItem.from(item));
    this.register('Question', QuestionEntity, (question) => Question.from(question));
    this.register('Statement', StatementEntity, (statement) => Statement.from(statement));
    this.register('Registration', RegistrationEntity, (registration, hearing, rc) =>
      rc.viewer?.id === registration.userId || HearingsService.isHost(rc.viewer, hearing) ? Registration.from(registration) : null,
    );
    this.register('SpeakerRequest', SpeakerRequestEntity, (request, hearing, rc) =>
      PUBLIC_REQUESTS.includes(request.status) || rc.viewer?.id === request.userId || HearingsService.isHost(rc.viewer, hearing) ? SpeakerRequest.from(request) : null,
    );
  }

  private register<E extends ObjectLiteral & { hearingId: string }>(type: string, entity: EntityTarget<E>, show: (row: E, hearing: HearingEntity, rc: RequestContext) => Node | null): void {
    this.nodes.register(type, async (id, rc) => {
      const row = await this.dataSource.getRepository(entity).findOneBy({ id } as never);
      const hearing = row ? await this.hearings.find(rc, row.hearingId) : null;
      return row && hearing ? show(row, hearing, rc) : null;
    });
  }
}
