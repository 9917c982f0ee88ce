import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { RequestContext, Viewer } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { ConnectionShape, paginate } from '../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { DistrictsService } from '../districts/districts.service';
import { DistrictNews } from '../following';
import { HearingEntity } from '../hearings/entities/hearing.entity';
import { ProposalEntity } from '../proposals/entities/proposal.entity';
import { CreateQuestionnaireInput, QuestionInput, QuestionnaireContentInput, QuestionnairesArgs, UpdateQuestionnaireInput } from './dto/questionnaire.input';
import {
  QuestionnaireEntity,
  QuestionnaireOptionEntity,
  QuestionnaireQuestionEntity,
  QuestionnaireResponseEntity,
  QuestionnaireSectionEntity,
  QuestionnaireStatus,
  QuestionType,
} from './entities/questionnaire.entity';
import { CHOICE_TYPES, NUMBER_TYPES } from './questionnaire-answers';
import { QuestionnaireResultsLive } from './results/results-live.service';

const MAX_SECTIONS = 20;
const MAX_QUESTIONS = 100;
const MAX_OPTIONS = 30;
/** What numeric(15, 4) holds. */
const NUMBER_LIMIT = 99_999_999_999;

/** A questionnaire's content as rows, ready to insert (ids chosen here, so show-when can point at them). */
interface Content {
  fields: Pick<QuestionnaireEntity, 'titleTh' | 'titleEn' | 'introductionTh' | 'introductionEn' | 'audience' | 'anonymity' | 'resultsLive' | 'proposalId' | 'hearingId' | 'opensAt' | 'closesAt'>;
  sections: Omit<QuestionnaireSectionEntity, 'questionnaireId'>[];
  questions: Omit<QuestionnaireQuestionEntity, 'questionnaireId'>[];
  options: Omit<QuestionnaireOptionEntity, 'questionnaireId'>[];
}

/** Building questionnaires (staff), their lifecycle by hand (the clock is QuestionnaireClock), and reading them. */
@Injectable()
export class QuestionnairesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
    private readonly clock: Clock,
    private readonly news: DistrictNews,
    private readonly resultsLive: QuestionnaireResultsLive,
  ) {}

  onModuleInit(): void {
    // A questionnaire is news while people can see it: open or closed, never a draft.
    this.news.stillPublic('Questionnaire', async (em, id) => {
      const status = (await em.findOneBy(QuestionnaireEntity, { id }))?.status;
      return status === QuestionnaireStatus.OPEN || status === QuestionnaireStatus.CLOSED;
    });
  }

  /** A questionnaire opened (by hand or by the clock) is news for its district's followers and residents: in the opening transaction. */
  tellOpened(tx: Tx, questionnaire: Pick<QuestionnaireEntity, 'id' | 'districtCode' | 'titleTh' | 'titleEn'>): Promise<void> {
    return this.news.tell(tx, {
      districtCode: questionnaire.districtCode,
      topic: 'QUESTIONNAIRE',
      subjectType: 'Questionnaire',
      subjectId: questionnaire.id,
      title: { th: questionnaire.titleTh, en: questionnaire.titleEn },
    });
  }

  static isStaff(viewer: Viewer | null, districtCode: string): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(districtCode));
  }

  private requireStaff(rc: RequestContext, districtCode: string): void {
    if (!QuestionnairesService.isStaff(rc.requireViewer(), districtCode)) throw AppError.forbidden(msg('questionnaires.errors.staffOnly'));
  }

  // ---- reading -------------------------------------------------------------------------------

  /** A questionnaire the viewer may see: drafts only to the district's staff. */
  async find(rc: RequestContext, id: string): Promise<QuestionnaireEntity | null> {
    const questionnaire = await this.dataSource.getRepository(QuestionnaireEntity).findOneBy({ id });
    if (!questionnaire) return null;
    if (questionnaire.status === QuestionnaireStatus.DRAFT && !QuestionnairesService.isStaff(rc.viewer, questionnaire.districtCode)) return null;
    return questionnaire;
  }

  async require(rc: RequestContext, globalId: string, field = 'input.questionnaireId'): Promise<QuestionnaireEntity> {
    const questionnaire = await this.find(rc, fromGlobalId(globalId, 'Questionnaire', field));
    if (!questionnaire) throw AppError.notFound('Questionnaire');
    return questionnaire;
  }

  /** Newest first; drafts only of the districts the viewer runs. */
  async list(rc: RequestContext, args: QuestionnairesArgs): Promise<ConnectionShape<QuestionnaireEntity>> {
    const query = this.dataSource.getRepository(QuestionnaireEntity).createQueryBuilder('q');
    const filter = args.filter ?? {};
    if (filter.districtCode) query.andWhere('q.district_code = :districtCode', { districtCode: (await this.districts.require(filter.districtCode, 'filter.districtCode')).code });
    if (filter.statuses?.length) query.andWhere('q.status IN (:...statuses)', { statuses: filter.statuses });
    const viewer = rc.viewer;
    if (!viewer?.isAdmin) query.andWhere(`(q.status <> 'DRAFT' OR q.district_code IN (:...hosted))`, { hosted: [...(viewer?.hostOf ?? []), ''] });
    return paginate(query, args, { columns: [{ sql: 'q.created_at', value: (q) => q.createdAt }, { sql: 'q.id', value: (q) => q.id }], direction: 'DESC' }, (q) => q);
  }

  sections(questionnaireId: string): Promise<QuestionnaireSectionEntity[]> {
    return this.dataSource.getRepository(QuestionnaireSectionEntity).find({ where: { questionnaireId }, order: { position: 'ASC' } });
  }

  questions(questionnaireId: string): Promise<QuestionnaireQuestionEntity[]> {
    return this.dataSource.getRepository(QuestionnaireQuestionEntity).find({ where: { questionnaireId }, order: { position: 'ASC' } });
  }

  options(questionnaireId: string): Promise<QuestionnaireOptionEntity[]> {
    return this.dataSource.getRepository(QuestionnaireOptionEntity).find({ where: { questionnaireId }, order: { position: 'ASC' } });
  }

  /** A part (section, question, option) by id, when the viewer may see its questionnaire. */
  async findPart<E extends { questionnaireId: string }>(rc: RequestContext, entity: new () => E, id: string): Promise<E | null> {
    const part = await this.dataSource.getRepository(entity).findOneBy({ id } as never);
    return part && (await this.find(rc, part.questionnaireId)) ? part : null;
  }

  responseCount(questionnaireId: string): Promise<number> {
    return this.dataSource.getRepository(QuestionnaireResponseEntity).countBy({ questionnaireId });
  }

  // ---- building ------------------------------------------------------------------------------

  async create(rc: RequestContext, input: CreateQuestionnaireInput): Promise<QuestionnaireEntity> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(input.districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    this.requireStaff(rc, district.code);
    const content = await this.checkContent(input, district.code);
    return this.unitOfWork.run(async (tx) => {
      const questionnaire = await tx.em.save(tx.em.create(QuestionnaireEntity, { ...content.fields, districtCode: district.code, createdBy: viewer.id }));
      auditAbout({ subject: toGlobalId('Questionnaire', questionnaire.id) });
      await this.insertContent(tx, questionnaire.id, content);
      return questionnaire;
    });
  }

  /** A draft's content, replaced whole; QUESTIONS_FROZEN once it has opened. */
  async update(rc: RequestContext, input: UpdateQuestionnaireInput): Promise<QuestionnaireEntity> {
    rc.requireViewer();
    const id = fromGlobalId(input.questionnaireId, 'Questionnaire', 'input.questionnaireId');
    const current = await this.require(rc, input.questionnaireId);
    auditAbout({ district: current.districtCode, subject: toGlobalId('Questionnaire', id) });
    this.requireStaff(rc, current.districtCode);
    const content = await this.checkContent(input, current.districtCode);
    return this.unitOfWork.run(async (tx) => {
      const locked = await tx.em.findOne(QuestionnaireEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw AppError.notFound('Questionnaire');
      if (locked.status !== QuestionnaireStatus.DRAFT) throw new AppError(ErrorCode.QUESTIONS_FROZEN, undefined, undefined, undefined, { status: locked.status });
      await tx.em.delete(QuestionnaireSectionEntity, { questionnaireId: id });
      await tx.em.update(QuestionnaireEntity, { id }, content.fields);
      await this.insertContent(tx, id, content);
      return (await tx.em.findOneBy(QuestionnaireEntity, { id }))!;
    });
  }

  private async insertContent(tx: Tx, questionnaireId: string, content: Content): Promise<void> {
    const own = <T>(rows: T[]) => rows.map((row) => ({ ...row, questionnaireId }));
    await tx.em.insert(QuestionnaireSectionEntity, own(content.sections));
    // Questions first, a show-when on an option held by a placeholder number (the CHECK wants one or the
    // other): the options they point at are inserted after them, then the conditions are set.
    await tx.em.insert(QuestionnaireQuestionEntity, own(content.questions.map((q) => ({ ...q, showWhenOptionId: null, showWhenNumber: q.showWhenQuestionId ? (q.showWhenNumber ?? '0') : null }))));
    if (content.options.length) await tx.em.insert(QuestionnaireOptionEntity, own(content.options));
    for (const q of content.questions.filter((q) => q.showWhenQuestionId)) {
      await tx.em.update(QuestionnaireQuestionEntity, { id: q.id }, { showWhenOptionId: q.showWhenOptionId, showWhenNumber: q.showWhenNumber });
    }
  }

  /** Every problem with a questionnaire's content at once (BAD_USER_INPUT), or its rows. */
  private async checkContent(input: QuestionnaireContentInput, districtCode: string): Promise<Content> {
    const check = new InputCheck();
    const fields: Content['fields'] = {
      titleTh: check.text('titleTh', input.titleTh, { max: 200 }),
      titleEn: this.optionalText(check, 'titleEn', input.titleEn, 200),
      introductionTh: check.text('introductionTh', input.introductionTh, { max: 5000, required: false, multiline: true }),
      introductionEn: this.optionalText(check, 'introductionEn', input.introductionEn, 5000, true),
      audience: input.audience,
      anonymity: input.anonymity,
      resultsLive: input.resultsLive === true,
      proposalId: input.proposalId ? check.globalId('proposalId', input.proposalId, 'Proposal') : null,
      hearingId: input.hearingId ? check.globalId('hearingId', input.hearingId, 'Hearing') : null,
      opensAt: input.opensAt ? check.dateTime('opensAt', input.opensAt) : null,
      closesAt: input.closesAt ? check.dateTime('closesAt', input.closesAt) : null,
    };
    if (fields.opensAt && fields.closesAt && fields.closesAt <= fields.opensAt) check.fail('closesAt', msg('questionnaires.errors.closesBeforeOpens'));
    if (fields.proposalId && !(await this.dataSource.getRepository(ProposalEntity).existsBy({ id: fields.proposalId, districtCode }))) check.fail('proposalId', msg('questionnaires.errors.otherDistrict'));
    if (fields.hearingId && !(await this.dataSource.getRepository(HearingEntity).existsBy({ id: fields.hearingId, districtCode }))) check.fail('hearingId', msg('questionnaires.errors.otherDistrict'));

    const content: Content = { fields, sections: [], questions: [], options: [] };
    const sections = Array.isArray(input.sections) ? input.sections : [];
    if (sections.length < 1 || sections.length > MAX_SECTIONS) check.fail('sections', msg('errors.input.integerRange', { min: 1, max: MAX_SECTIONS }));
    sections.forEach((section, s) => {
      const at = `sections[${s}]`;
      const sectionId = randomUUID();
      content.sections.push({
        id: sectionId,
        position: s + 1,
        titleTh: check.text(`${at}.titleTh`, section.titleTh, { max: 200 }),
        titleEn: this.optionalText(check, `${at}.titleEn`, section.titleEn, 200),
        descriptionTh: check.text(`${at}.descriptionTh`, section.descriptionTh, { max: 2000, required: false, multiline: true }),
        descriptionEn: this.optionalText(check, `${at}.descriptionEn`, section.descriptionEn, 2000, true),
      });
      if (!section.questions?.length) check.fail(`${at}.questions`, msg('questionnaires.errors.noQuestions'));
      (section.questions ?? []).forEach((question, i) => this.checkQuestion(check, `${at}.questions[${i}]`, question, sectionId, content));
    });
    if (content.questions.length > MAX_QUESTIONS) check.fail('sections', msg('questionnaires.errors.tooManyQuestions', { max: MAX_QUESTIONS }));
    check.done();
    return content;
  }

  private checkQuestion(check: InputCheck, at: string, input: QuestionInput, sectionId: string, content: Content): void {
    const id = randomUUID();
    const position = content.questions.length + 1;
    const type = input.type;
    const isChoice = CHOICE_TYPES.includes(type);
    const notFor = (field: string, given: unknown) => given !== null && given !== undefined && check.fail(`${at}.${field}`, msg('questionnaires.errors.notForType'));
    const options = input.options ?? [];
    if (isChoice) {
      if (options.length < 2 || options.length > MAX_OPTIONS) check.fail(`${at}.options`, msg('questionnaires.errors.optionCount', { min: 2, max: MAX_OPTIONS }));
      options.forEach((option, o) =>
        content.options.push({
          id: randomUUID(),
          questionId: id,
          position: o + 1,
          labelTh: check.text(`${at}.options[${o}].labelTh`, option.labelTh, { max: 300 }),
          labelEn: this.optionalText(check, `${at}.options[${o}].labelEn`, option.labelEn, 300),
        }),
      );
    } else if (input.options) check.fail(`${at}.options`, msg('questionnaires.errors.noOptionsHere'));

    let minValue = input.minValue ?? null;
    let maxValue = input.maxValue ?? null;
    if (type === QuestionType.SCALE) {
      minValue ??= 1;
      maxValue ??= 5;
      if (!Number.isInteger(minValue) || !Number.isInteger(maxValue) || maxValue <= minValue || maxValue - minValue > 100) check.fail(`${at}.maxValue`, msg('questionnaires.errors.scaleEnds'));
    } else if (type === QuestionType.NUMBER) {
      for (const [field, value] of [['minValue', minValue], ['maxValue', maxValue]] as const) {
        if (value !== null && (!Number.isFinite(value) || Math.abs(value) > NUMBER_LIMIT)) check.fail(`${at}.${field}`, msg('errors.input.integerRange', { min: -NUMBER_LIMIT, max: NUMBER_LIMIT }));
      }
      if (minValue !== null && maxValue !== null && minValue > maxValue) check.fail(`${at}.minValue`, msg('questionnaires.errors.minAboveMax'));
    } else {
      notFor('minValue', input.minValue);
      notFor('maxValue', input.maxValue);
    }
    if (type === QuestionType.MULTIPLE_CHOICE) {
      const min = input.minChoices ?? 1;
      const max = input.maxChoices ?? options.length;
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > options.length) check.fail(`${at}.maxChoices`, msg('questionnaires.errors.choicesRange'));
    } else {
      notFor('minChoices', input.minChoices);
      notFor('maxChoices', input.maxChoices);
    }
    if (type !== QuestionType.SCALE) for (const field of ['scaleMinLabelTh', 'scaleMinLabelEn', 'scaleMaxLabelTh', 'scaleMaxLabelEn'] as const) notFor(field, input[field]);

    let showWhenQuestionId: string | null = null;
    let showWhenOptionId: string | null = null;
    let showWhenNumber: string | null = null;
    const showWhen = input.showWhen;
    if (showWhen) {
      const earlier = content.questions[showWhen.questionNumber - 1];
      if (!Number.isInteger(showWhen.questionNumber) || showWhen.questionNumber < 1 || !earlier) {
        check.fail(`${at}.showWhen.questionNumber`, msg('questionnaires.errors.showWhenEarlier', { max: position - 1 }));
      } else if (earlier.type === QuestionType.SINGLE_CHOICE || earlier.type === QuestionType.MULTIPLE_CHOICE) {
        const option = content.options.filter((o) => o.questionId === earlier.id)[(showWhen.optionNumber ?? 0) - 1];
        if (!option || showWhen.value !== null && showWhen.value !== undefined) check.fail(`${at}.showWhen.optionNumber`, msg('questionnaires.errors.showWhenOption'));
        else [showWhenQuestionId, showWhenOptionId] = [earlier.id, option.id];
      } else if (NUMBER_TYPES.includes(earlier.type)) {
        if (typeof showWhen.value !== 'number' || !Number.isFinite(showWhen.value) || Math.abs(showWhen.value) > NUMBER_LIMIT || (showWhen.optionNumber ?? null) !== null) check.fail(`${at}.showWhen.value`, msg('questionnaires.errors.showWhenValue'));
        else [showWhenQuestionId, showWhenNumber] = [earlier.id, String(showWhen.value)];
      } else {
        check.fail(`${at}.showWhen.questionNumber`, msg('questionnaires.errors.showWhenText'));
      }
    }
    content.questions.push({
      id,
      sectionId,
      position,
      type,
      required: input.required === true,
      promptTh: check.text(`${at}.promptTh`, input.promptTh, { max: 1000, multiline: true }),
      promptEn: this.optionalText(check, `${at}.promptEn`, input.promptEn, 1000, true),
      minValue: minValue === null ? null : String(minValue),
      maxValue: maxValue === null ? null : String(maxValue),
      minChoices: type === QuestionType.MULTIPLE_CHOICE ? (input.minChoices ?? 1) : null,
      maxChoices: type === QuestionType.MULTIPLE_CHOICE ? (input.maxChoices ?? options.length) : null,
      scaleMinLabelTh: type === QuestionType.SCALE ? this.optionalText(check, `${at}.scaleMinLabelTh`, input.scaleMinLabelTh, 100) : null,
      scaleMinLabelEn: type === QuestionType.SCALE ? this.optionalText(check, `${at}.scaleMinLabelEn`, input.scaleMinLabelEn, 100) : null,
      scaleMaxLabelTh: type === QuestionType.SCALE ? this.optionalText(check, `${at}.scaleMaxLabelTh`, input.scaleMaxLabelTh, 100) : null,
      scaleMaxLabelEn: type === QuestionType.SCALE ? this.optionalText(check, `${at}.scaleMaxLabelEn`, input.scaleMaxLabelEn, 100) : null,
      showWhenQuestionId,
      showWhenOptionId,
      showWhenNumber,
    });
  }

  private optionalText(check: InputCheck, field: string, value: string | null | undefined, max: number, multiline = false): string | null {
    return check.text(field, value, { max, required: false, multiline }) || null;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** DRAFT → OPEN by hand (the clock does it at opensAt); its questions freeze. */
  open(rc: RequestContext, globalId: string): Promise<QuestionnaireEntity> {
    return this.move(rc, globalId, QuestionnaireStatus.DRAFT, QuestionnaireStatus.OPEN, 'questionnaires.errors.cannotOpen');
  }

  /** OPEN → CLOSED by hand (the clock does it at closesAt); responses in flight finish first (they hold a share lock). */
  close(rc: RequestContext, globalId: string): Promise<QuestionnaireEntity> {
    return this.move(rc, globalId, QuestionnaireStatus.OPEN, QuestionnaireStatus.CLOSED, 'questionnaires.errors.cannotClose');
  }

  private async move(rc: RequestContext, globalId: string, from: QuestionnaireStatus, to: QuestionnaireStatus, refusal: string): Promise<QuestionnaireEntity> {
    rc.requireViewer();
    const current = await this.require(rc, globalId);
    auditAbout({ district: current.districtCode, subject: toGlobalId('Questionnaire', current.id) });
    this.requireStaff(rc, current.districtCode);
    return this.unitOfWork.run(async (tx) => {
      const locked = (await tx.em.findOne(QuestionnaireEntity, { where: { id: current.id }, lock: { mode: 'pessimistic_write' } }))!;
      if (locked.status !== from) throw AppError.illegalState(msg(refusal, { status: locked.status }));
      const now = this.clock.now();
      await tx.em.update(QuestionnaireEntity, { id: current.id }, to === QuestionnaireStatus.OPEN ? { status: to, openedAt: now } : { status: to, closedAt: now });
      this.resultsLive.stateChanged(tx, current.id);
      const moved = (await tx.em.findOneBy(QuestionnaireEntity, { id: current.id }))!;
      if (to === QuestionnaireStatus.OPEN) await this.tellOpened(tx, moved);
      return moved;
    });
  }

  /** Questionnaires by id, for loaders. */
  byIds(ids: readonly string[]): Promise<QuestionnaireEntity[]> {
    return this.dataSource.getRepository(QuestionnaireEntity).findBy({ id: In([...ids]) });
  }
}
