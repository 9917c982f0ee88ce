import { OnModuleInit } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { mapConnection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from '../districts/district.type';
import { DistrictsService } from '../districts/districts.service';
import { Hearing } from '../hearings/hearing.type';
import { Proposal } from '../proposals/proposal.type';
import { CloseQuestionnairePayload, CreateQuestionnairePayload, OpenQuestionnairePayload, RespondToQuestionnairePayload, UpdateQuestionnairePayload } from './dto/payloads';
import {
  CloseQuestionnaireInput,
  CreateQuestionnaireInput,
  MyQuestionnaireResponseInput,
  OpenQuestionnaireInput,
  QuestionnairesArgs,
  RespondToQuestionnaireInput,
  UpdateQuestionnaireInput,
} from './dto/questionnaire.input';
import { QuestionnaireOptionEntity, QuestionnaireQuestionEntity, QuestionnaireSectionEntity, QuestionType } from './entities/questionnaire.entity';
import { AnswerRow } from './questionnaire-answers';
import { QuestionnaireResponses } from './questionnaire-responses.service';
import {
  Questionnaire,
  QuestionnaireAnswer,
  QuestionnaireConnection,
  QuestionnaireOption,
  QuestionnaireQuestion,
  QuestionnaireResponse,
  QuestionnaireSection,
  QuestionShowWhen,
} from './questionnaire.type';
import { QuestionnairesService } from './questionnaires.service';

@Resolver(() => Questionnaire)
export class QuestionnairesResolver implements OnModuleInit {
  constructor(
    private readonly service: QuestionnairesService,
    private readonly responses: QuestionnaireResponses,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Questionnaire', async (id, rc) => {
      const questionnaire = await this.service.find(rc, id);
      return questionnaire ? Questionnaire.from(questionnaire) : null;
    });
    this.nodes.register('QuestionnaireSection', async (id, rc) => {
      const section = await this.service.findPart(rc, QuestionnaireSectionEntity, id);
      return section ? QuestionnaireSection.from(section) : null;
    });
    this.nodes.register('QuestionnaireQuestion', async (id, rc) => {
      const question = await this.service.findPart(rc, QuestionnaireQuestionEntity, id);
      return question ? QuestionnaireQuestion.from(question, await this.service.options(question.questionnaireId)) : null;
    });
    this.nodes.register('QuestionnaireOption', async (id, rc) => {
      const option = await this.service.findPart(rc, QuestionnaireOptionEntity, id);
      return option ? QuestionnaireOption.from(option) : null;
    });
  }

  @Query(() => Questionnaire, { nullable: true, description: 'A questionnaire by id; null when there is none or it is a draft you may not see.' })
  questionnaire(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Questionnaire | null> {
    return this.nodes.fetchAs<Questionnaire>(id, 'Questionnaire', rc, 'id');
  }

  @Query(() => QuestionnaireConnection, { description: 'Questionnaires, newest first: open and closed ones for everyone, drafts for their district’s staff and administrators.' })
  async questionnaires(@Args() args: QuestionnairesArgs, @Ctx() rc: RequestContext): Promise<QuestionnaireConnection> {
    return mapConnection(await this.service.list(rc, args), Questionnaire.from);
  }

  @Query(() => QuestionnaireResponse, {
    nullable: true,
    description: 'Your response: in a NAMED questionnaire yours as signed in; in an ANONYMOUS one only through the receipt your last response was given. Null when there is none.',
  })
  async myQuestionnaireResponse(@Args('input', { type: () => MyQuestionnaireResponseInput }) input: MyQuestionnaireResponseInput, @Ctx() rc: RequestContext): Promise<QuestionnaireResponse | null> {
    const mine = await this.responses.mine(rc, input);
    return mine && this.toResponse(mine.rows, mine.updatedAt, await this.questionnaireParts(input.questionnaireId, rc));
  }

  @Mutation(() => CreateQuestionnairePayload, { description: 'A district’s staff build a questionnaire (DRAFT): sections, questions and options, its audience and anonymity.' })
  async createQuestionnaire(@Args('input', { type: () => CreateQuestionnaireInput }) input: CreateQuestionnaireInput, @Ctx() rc: RequestContext): Promise<CreateQuestionnairePayload> {
    return { questionnaire: Questionnaire.from(await this.service.create(rc, input)) };
  }

  @Mutation(() => UpdateQuestionnairePayload, { description: 'Replaces a DRAFT’s whole content (new ids for its sections, questions and options); QUESTIONS_FROZEN once it has opened.' })
  async updateQuestionnaire(@Args('input', { type: () => UpdateQuestionnaireInput }) input: UpdateQuestionnaireInput, @Ctx() rc: RequestContext): Promise<UpdateQuestionnairePayload> {
    return { questionnaire: Questionnaire.from(await this.service.update(rc, input)) };
  }

  @Mutation(() => OpenQuestionnairePayload, { description: 'DRAFT → OPEN now (the clock does it at opensAt); its questions freeze.' })
  async openQuestionnaire(@Args('input', { type: () => OpenQuestionnaireInput }) input: OpenQuestionnaireInput, @Ctx() rc: RequestContext): Promise<OpenQuestionnairePayload> {
    return { questionnaire: Questionnaire.from(await this.service.open(rc, input.questionnaireId)) };
  }

  @Mutation(() => CloseQuestionnairePayload, { description: 'OPEN → CLOSED now (the clock does it at closesAt).' })
  async closeQuestionnaire(@Args('input', { type: () => CloseQuestionnaireInput }) input: CloseQuestionnaireInput, @Ctx() rc: RequestContext): Promise<CloseQuestionnairePayload> {
    return { questionnaire: Questionnaire.from(await this.service.close(rc, input.questionnaireId)) };
  }

  @Mutation(() => RespondToQuestionnairePayload, {
    description: 'Answer an OPEN questionnaire, or change your answers until it closes: one response per person. Any refused answer refuses the whole response (its code names the question).',
  })
  async respondToQuestionnaire(@Args('input', { type: () => RespondToQuestionnaireInput }) input: RespondToQuestionnaireInput, @Ctx() rc: RequestContext): Promise<RespondToQuestionnairePayload> {
    const outcome = await this.responses.respond(rc, input);
    const parts = { questions: await this.service.questions(outcome.questionnaire.id), options: await this.service.options(outcome.questionnaire.id) };
    return {
      questionnaire: Questionnaire.from(outcome.questionnaire),
      receipt: outcome.receipt,
      replaced: outcome.replaced,
      response: this.toResponse(outcome.rows, outcome.updatedAt, parts),
    };
  }

  private async questionnaireParts(globalId: string, rc: RequestContext): Promise<{ questions: QuestionnaireQuestionEntity[]; options: QuestionnaireOptionEntity[] }> {
    const questionnaire = await this.service.require(rc, globalId);
    return { questions: await this.service.questions(questionnaire.id), options: await this.service.options(questionnaire.id) };
  }

  /** Answer rows as the respondent reads them, in question order; a ranking's options in rank order. */
  private toResponse(rows: AnswerRow[], updatedAt: Date | null, parts: { questions: QuestionnaireQuestionEntity[]; options: QuestionnaireOptionEntity[] }): QuestionnaireResponse {
    const answers = parts.questions
      .filter((question) => rows.some((row) => row.questionId === question.id))
      .map((question) => {
        const own = rows.filter((row) => row.questionId === question.id);
        const chosen = own
          .filter((row) => row.optionId)
          .map((row) => ({ row, option: parts.options.find((o) => o.id === row.optionId)! }))
          .sort((a, b) => (question.type === QuestionType.RANKING ? a.row.rank! - b.row.rank! : a.option.position - b.option.position));
        return Object.assign(new QuestionnaireAnswer(), {
          questionId: question.id,
          options: chosen.map((c) => QuestionnaireOption.from(c.option)),
          number: own[0].numberValue === null ? null : Number(own[0].numberValue),
          text: own[0].textValue,
        });
      });
    return { answers, updatedAt };
  }

  @ResolveField(() => District)
  async district(@Parent() questionnaire: Questionnaire): Promise<District> {
    return District.from((await this.districts.find(questionnaire.districtCode))!);
  }

  @ResolveField(() => Proposal, { nullable: true, description: 'The proposal it consults on, when you may see it.' })
  async proposal(@Parent() questionnaire: Questionnaire, @Ctx() rc: RequestContext): Promise<Proposal | null> {
    return questionnaire.proposalId ? ((await this.nodes.fetch(toGlobalId('Proposal', questionnaire.proposalId), rc)) as Proposal | null) : null;
  }

  @ResolveField(() => Hearing, { nullable: true, description: 'The hearing it belongs to, when you may see it.' })
  async hearing(@Parent() questionnaire: Questionnaire, @Ctx() rc: RequestContext): Promise<Hearing | null> {
    return questionnaire.hearingId ? ((await this.nodes.fetch(toGlobalId('Hearing', questionnaire.hearingId), rc)) as Hearing | null) : null;
  }

  @ResolveField(() => [QuestionnaireSection])
  async sections(@Parent() questionnaire: Questionnaire): Promise<QuestionnaireSection[]> {
    return (await this.service.sections(questionnaire.questionnaireId)).map(QuestionnaireSection.from);
  }

  @ResolveField(() => [QuestionnaireQuestion], { description: 'Every question, in order (sections follow each other).' })
  async questions(@Parent() questionnaire: Questionnaire): Promise<QuestionnaireQuestion[]> {
    const options = await this.service.options(questionnaire.questionnaireId);
    return (await this.service.questions(questionnaire.questionnaireId)).map((q) => QuestionnaireQuestion.from(q, options));
  }

  @ResolveField(() => Int, { description: 'How many people have responded.' })
  responseCount(@Parent() questionnaire: Questionnaire): Promise<number> {
    return this.service.responseCount(questionnaire.questionnaireId);
  }

  @ResolveField(() => Boolean, { description: 'Whether you have responded (false when signed out).' })
  viewerHasResponded(@Parent() questionnaire: Questionnaire, @Ctx() rc: RequestContext): Promise<boolean> {
    return this.responses.responded(rc, questionnaire.questionnaireId);
  }
}

@Resolver(() => QuestionnaireSection)
export class QuestionnaireSectionResolver {
  constructor(private readonly service: QuestionnairesService) {}

  @ResolveField(() => Questionnaire)
  async questionnaire(@Parent() section: QuestionnaireSection, @Ctx() rc: RequestContext): Promise<Questionnaire> {
    return Questionnaire.from((await this.service.find(rc, section.questionnaireId))!);
  }

  @ResolveField(() => [QuestionnaireQuestion], { description: 'Its questions, in order.' })
  async questions(@Parent() section: QuestionnaireSection): Promise<QuestionnaireQuestion[]> {
    const options = await this.service.options(section.questionnaireId);
    return (await this.service.questions(section.questionnaireId)).filter((q) => q.sectionId === section.sectionId).map((q) => QuestionnaireQuestion.from(q, options));
  }
}

@Resolver(() => QuestionnaireQuestion)
export class QuestionnaireQuestionResolver {
  constructor(private readonly service: QuestionnairesService) {}

  @ResolveField(() => QuestionnaireSection)
  async section(@Parent() question: QuestionnaireQuestion): Promise<QuestionnaireSection> {
    return QuestionnaireSection.from((await this.service.sections(question.questionnaireId)).find((s) => s.id === question.sectionId)!);
  }

  @ResolveField(() => [QuestionnaireOption], { description: 'Choice and ranking questions: its options, in order; empty otherwise.' })
  async options(@Parent() question: QuestionnaireQuestion): Promise<QuestionnaireOption[]> {
    return (await this.service.options(question.questionnaireId)).filter((o) => o.questionId === question.questionId).map(QuestionnaireOption.from);
  }
}

@Resolver(() => QuestionShowWhen)
export class QuestionShowWhenResolver {
  constructor(private readonly service: QuestionnairesService) {}

  @ResolveField(() => QuestionnaireQuestion, { description: 'The earlier question whose answer decides.' })
  async question(@Parent() showWhen: QuestionShowWhen, @Ctx() rc: RequestContext): Promise<QuestionnaireQuestion> {
    const question = (await this.service.findPart(rc, QuestionnaireQuestionEntity, showWhen.questionId))!;
    return QuestionnaireQuestion.from(question, await this.service.options(question.questionnaireId));
  }
}

@Resolver(() => QuestionnaireAnswer)
export class QuestionnaireAnswerResolver {
  constructor(private readonly service: QuestionnairesService) {}

  @ResolveField(() => QuestionnaireQuestion)
  async question(@Parent() answer: QuestionnaireAnswer, @Ctx() rc: RequestContext): Promise<QuestionnaireQuestion> {
    const question = (await this.service.findPart(rc, QuestionnaireQuestionEntity, answer.questionId))!;
    return QuestionnaireQuestion.from(question, await this.service.options(question.questionnaireId));
  }
}

export const QUESTIONNAIRE_RESOLVERS = [QuestionnairesResolver, QuestionnaireSectionResolver, QuestionnaireQuestionResolver, QuestionShowWhenResolver, QuestionnaireAnswerResolver];
