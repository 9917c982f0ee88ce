import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { auditAbout } from '../../audit/audit-scope';
import { Clock } from '../../common/clock/clock';
import { RequestContext } from '../../common/context/request-context';
import { AppError, msg } from '../../common/errors/app-error';
import { InputCheck } from '../../common/errors/validation';
import { ConnectionShape, PageArgs, paginate } from '../../common/pagination/connection';
import { fromGlobalId, toGlobalId } from '../../common/relay/global-id';
import { UnitOfWork } from '../../database/unit-of-work';
import { QuestionnaireAnswerEntity } from '../entities/questionnaire.entity';
import { QuestionnaireQuestionResult, QuestionnaireTextAnswer } from './questionnaire-results.type';
import { QuestionnaireResultsService } from './questionnaire-results.service';
import { QuestionnaireResultsLive } from './results-live.service';

const REASON_MAX = 1000;

/**
 * Free-text answers: listed page by page (by answer id, which says nothing of when it was written),
 * and moderated by the district's staff. Hidden answers reach the staff only, marked; nobody else sees
 * them, in the results, over subscriptions or in the exports.
 */
@Injectable()
export class QuestionnaireTextAnswersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly results: QuestionnaireResultsService,
    private readonly live: QuestionnaireResultsLive,
    private readonly clock: Clock,
  ) {}

  /** The text answers of a question whose results the viewer sees (the results resolved it for them). */
  async page(rc: RequestContext, question: QuestionnaireQuestionResult, districtCode: string, page: PageArgs): Promise<ConnectionShape<QuestionnaireTextAnswer>> {
    const staff = QuestionnaireResultsService.isStaff(rc.viewer, { districtCode });
    const query = this.dataSource
      .getRepository(QuestionnaireAnswerEntity)
      .createQueryBuilder('a')
      .where('a.question_id = :question AND a.text_value IS NOT NULL', { question: question.questionDbId });
    if (!staff) query.andWhere('NOT a.hidden');
    if (question.publishedOnly) query.andWhere('EXISTS (SELECT 1 FROM questionnaire_published_answers p WHERE p.answer_id = a.id)');
    return paginate(query, page, { columns: [{ sql: 'a.id', value: (a) => a.id }], direction: 'ASC' }, (a) => QuestionnaireTextAnswer.from(a, staff));
  }

  /** One text answer by id, as `node(id)` shows it: null when the viewer may not see it. */
  /** `em`: a transaction's, when called inside one (the embedded database has one connection). */
  async find(rc: RequestContext, id: string, em: EntityManager = this.dataSource.manager): Promise<QuestionnaireTextAnswer | null> {
    const answer = await em.getRepository(QuestionnaireAnswerEntity).findOneBy({ id });
    if (!answer || answer.textValue === null) return null;
    const questionnaire = await this.results.find(answer.questionnaireId, em);
    if (!questionnaire || !QuestionnaireResultsService.maySee(rc.viewer, questionnaire) || (questionnaire.status === 'DRAFT' && !QuestionnaireResultsService.isStaff(rc.viewer, questionnaire))) return null;
    const staff = QuestionnaireResultsService.isStaff(rc.viewer, questionnaire);
    if (answer.hidden && !staff) return null;
    if (questionnaire.anonymous && questionnaire.status === 'OPEN') {
      const published: unknown[] = await em.query(`SELECT 1 FROM questionnaire_published_answers WHERE answer_id = $1`, [id]);
      if (!published.length) return null;
    }
    return QuestionnaireTextAnswer.from(answer, staff);
  }

  /** The district's staff (or an administrator) hide a text answer, or show it again, with a reason. */
  async moderate(rc: RequestContext, answerGlobalId: string, hide: boolean, reason: string): Promise<QuestionnaireTextAnswer> {
    const viewer = rc.requireViewer();
    const id = fromGlobalId(answerGlobalId, 'QuestionnaireTextAnswer', 'input.questionnaireTextAnswerId');
    const check = new InputCheck();
    const text = check.text('reason', reason, { min: 3, max: REASON_MAX, multiline: true });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const answer = await tx.em.findOne(QuestionnaireAnswerEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const questionnaire = answer && answer.textValue !== null ? await this.results.find(answer.questionnaireId, tx.em) : null;
      if (!answer || !questionnaire || !QuestionnaireResultsService.isStaff(viewer, questionnaire)) {
        // Outside the staff an answer that exists is refused, one they could not see is not found.
        if (answer && questionnaire && (await this.find(rc, id, tx.em))) throw AppError.forbidden(msg('questionnaireResults.errors.staffOnly'));
        throw AppError.notFound('QuestionnaireTextAnswer');
      }
      auditAbout({ district: questionnaire.districtCode, subject: toGlobalId('QuestionnaireTextAnswer', answer.id) });
      if (answer.hidden === hide) throw AppError.illegalState(msg(hide ? 'questionnaireResults.errors.alreadyHidden' : 'questionnaireResults.errors.notHidden'));
      answer.hidden = hide;
      answer.hiddenReason = hide ? text : null;
      answer.hiddenBy = hide ? viewer.id : null;
      answer.hiddenAt = hide ? this.clock.now() : null;
      await tx.em.update(QuestionnaireAnswerEntity, { id }, { hidden: answer.hidden, hiddenReason: answer.hiddenReason, hiddenBy: answer.hiddenBy, hiddenAt: answer.hiddenAt });
      this.live.stateChanged(tx, questionnaire.id);
      return QuestionnaireTextAnswer.from(answer, true);
    });
  }
}
