import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx } from '../../common/context/current-context.decorator';
import { GraphQLContext, RequestContext } from '../../common/context/request-context';
import { AppError } from '../../common/errors/app-error';
import { requestForEvent } from '../../common/graphql/live-requests';
import { PageArgs } from '../../common/pagination/connection';
import { fromGlobalId } from '../../common/relay/global-id';
import { NodeRegistry } from '../../common/relay/node-registry';
import { channel, EventBus } from '../../realtime/event-bus';
import { HideQuestionnaireAnswerInput, QuestionnaireResultsInput, UnhideQuestionnaireAnswerInput } from './dto/results.input';
import { HideQuestionnaireAnswerPayload, UnhideQuestionnaireAnswerPayload } from './dto/results.payloads';
import { QuestionnaireQuestionResult, QuestionnaireResults, QuestionnaireTextAnswerConnection } from './questionnaire-results.type';
import { QuestionnaireResultsService } from './questionnaire-results.service';
import { QuestionnaireTextAnswersService } from './questionnaire-text-answers.service';
import { QUESTIONNAIRE_RESULTS_UPDATED, QuestionnaireResultsEvent, RESULTS_UPDATES_PACING } from './results-live.service';

/** Results, their live updates, and the moderation of free-text answers. */
@Resolver(() => QuestionnaireResults)
export class QuestionnaireResultsResolver implements OnModuleInit {
  constructor(
    private readonly results: QuestionnaireResultsService,
    private readonly texts: QuestionnaireTextAnswersService,
    private readonly events: EventBus,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('QuestionnaireTextAnswer', (id, rc) => this.texts.find(rc, id));
  }

  @Query(() => QuestionnaireResults, {
    description:
      'A questionnaire’s results: its district’s staff and administrators always; everyone once it is closed, or while open when it shows results live (RESULTS_NOT_PUBLISHED before). An anonymous questionnaire’s live results move in batches.',
  })
  async questionnaireResults(@Args('input', { type: () => QuestionnaireResultsInput }) input: QuestionnaireResultsInput, @Ctx() rc: RequestContext): Promise<QuestionnaireResults> {
    const id = fromGlobalId(input.questionnaireId, 'Questionnaire', 'input.questionnaireId');
    const cut = input.cutByQuestionId ? fromGlobalId(input.cutByQuestionId, 'QuestionnaireQuestion', 'input.cutByQuestionId') : null;
    return this.results.results(rc, id, cut);
  }

  @Mutation(() => HideQuestionnaireAnswerPayload, { description: 'The district’s staff hide a free-text answer from everyone else, with a reason.' })
  async hideQuestionnaireAnswer(@Args('input', { type: () => HideQuestionnaireAnswerInput }) input: HideQuestionnaireAnswerInput, @Ctx() rc: RequestContext): Promise<HideQuestionnaireAnswerPayload> {
    return { answer: await this.texts.moderate(rc, input.questionnaireTextAnswerId, true, input.reason) };
  }

  @Mutation(() => UnhideQuestionnaireAnswerPayload, { description: 'The district’s staff show a hidden free-text answer again, with a reason.' })
  async unhideQuestionnaireAnswer(
    @Args('input', { type: () => UnhideQuestionnaireAnswerInput }) input: UnhideQuestionnaireAnswerInput,
    @Ctx() rc: RequestContext,
  ): Promise<UnhideQuestionnaireAnswerPayload> {
    return { answer: await this.texts.moderate(rc, input.questionnaireTextAnswerId, false, input.reason) };
  }

  @Subscription(() => QuestionnaireResults, {
    description:
      'A questionnaire’s results as they change, to whoever may see them at each change (checked again per event): after responses (at most ten updates a second; an anonymous questionnaire only per published batch), opening, closing and moderation.',
    filter(this: QuestionnaireResultsResolver, event: QuestionnaireResultsEvent, _args: unknown, context: GraphQLContext) {
      return this.mayHear(event, context);
    },
    resolve(this: QuestionnaireResultsResolver, event: QuestionnaireResultsEvent, _args: unknown, context: GraphQLContext) {
      return this.results.results(context.rc, event.questionnaireId);
    },
  })
  async questionnaireResultsUpdated(@Args('questionnaireId', { type: () => ID }) questionnaireId: string, @Ctx() rc: RequestContext): Promise<AsyncIterableIterator<QuestionnaireResultsEvent>> {
    const id = fromGlobalId(questionnaireId, 'Questionnaire', 'questionnaireId');
    const questionnaire = await this.results.find(id);
    // Anyone may wait for the results of a questionnaire they can see; each event reaches only those who may see the results then.
    if (!questionnaire || (questionnaire.status === 'DRAFT' && !QuestionnaireResultsService.isStaff(rc.viewer, questionnaire))) throw AppError.notFound('Questionnaire');
    return this.events.subscribe<QuestionnaireResultsEvent>(channel(QUESTIONNAIRE_RESULTS_UPDATED, id), RESULTS_UPDATES_PACING);
  }

  private async mayHear(event: QuestionnaireResultsEvent, context: GraphQLContext): Promise<boolean> {
    const rc = await requestForEvent(context, event);
    if (!rc) return false;
    const questionnaire = await this.results.find(event.questionnaireId);
    return !!questionnaire && questionnaire.status !== 'DRAFT' && QuestionnaireResultsService.maySee(rc.viewer, questionnaire);
  }
}

@Resolver(() => QuestionnaireQuestionResult)
export class QuestionnaireQuestionResultResolver {
  constructor(private readonly texts: QuestionnaireTextAnswersService) {}

  @ResolveField(() => QuestionnaireTextAnswerConnection, {
    nullable: true,
    description: 'Text questions: the answers, page by page (in no order of time). Hidden ones only for the district’s staff, marked. Null for other types.',
  })
  async textAnswers(@Parent() question: QuestionnaireQuestionResult, @Args() page: PageArgs, @Ctx() rc: RequestContext) {
    if (!question.isText) return null;
    return this.texts.page(rc, question, question.districtCode, page);
  }
}

export const QUESTIONNAIRE_RESULTS_RESOLVERS = [QuestionnaireResultsResolver, QuestionnaireQuestionResultResolver];
