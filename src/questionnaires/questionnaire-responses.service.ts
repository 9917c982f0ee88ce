import { createHash, createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResidencyStatus } from '../accounts/entities/residency.entity';
import { AccountKind } from '../accounts/entities/user.entity';
import { auditAbout } from '../audit/audit-scope';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { MyQuestionnaireResponseInput, RespondToQuestionnaireInput } from './dto/questionnaire.input';
import {
  QuestionnaireAnonymity,
  QuestionnaireAnswerEntity,
  QuestionnaireEntity,
  QuestionnaireOptionEntity,
  QuestionnaireParticipationEntity,
  QuestionnaireQuestionEntity,
  QuestionnaireReplacedReceiptEntity,
  QuestionnaireResponseEntity,
  QuestionnaireStatus,
} from './entities/questionnaire.entity';
import { answersFingerprint, AnswerRow, checkAnswers } from './questionnaire-answers';
import { requireInAudience, Respondent } from './questionnaire-audience';
import { QuestionnaireResultsLive } from './results/results-live.service';
import { QuestionnairesService } from './questionnaires.service';

/** What a response answers: `repeated` when it was a retry, which changed nothing. */
export interface ResponseOutcome {
  questionnaire: QuestionnaireEntity;
  receipt: string;
  replaced: boolean;
  rows: AnswerRow[];
  /** NAMED only: when the standing answers were given. */
  updatedAt: Date | null;
}

/**
 * Responding, as the ballot box votes (src/voting/ballot-box.service.ts): who responded
 * (questionnaire_participations) and what they answered (questionnaire_responses and _answers) are
 * written in one transaction but share nothing a query can join. A response sits under a slot, a keyed
 * hash of questionnaire and account (BALLOT_SECRET), which keeps one response per person under any
 * concurrency and lets a change replace its answers; in an ANONYMOUS questionnaire it holds no account
 * and no time, its answers get fresh random ids on each change, and the respondent sees it again only
 * through the receipt they were given (stored as a hash).
 */
@Injectable()
export class QuestionnaireResponses {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly questionnaires: QuestionnairesService,
    private readonly clock: Clock,
    private readonly resultsLive: QuestionnaireResultsLive,
  ) {}

  private hmac(purpose: string, ...parts: string[]): string {
    return createHmac('sha256', this.config.ballotSecret).update([purpose, ...parts].join(':')).digest('hex');
  }

  private slot(questionnaireId: string, accountId: string): string {
    return this.hmac('questionnaire-slot', questionnaireId, accountId);
  }

  /** Derived, so a retry with the same key gives the same receipt; never stored. */
  private receipt(questionnaireId: string, accountId: string, key: string): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const digest = Buffer.from(this.hmac('questionnaire-receipt', questionnaireId, accountId, key), 'hex');
    const code = Array.from(digest.subarray(0, 20), (b) => alphabet[b % alphabet.length]).join('');
    return `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10, 15)}-${code.slice(15, 20)}`;
  }

  static receiptHash(receipt: string): string {
    return createHash('sha256').update(receipt.trim().toUpperCase()).digest('hex');
  }

  /**
   * One response per person: a first response inserts the participation and, only if it is new, the
   * response; otherwise, under the lock of the respondent's response, a retry (same receipt and answers)
   * changes nothing and a new key replaces the answers. Any refused answer refuses the whole response.
   */
  async respond(rc: RequestContext, input: RespondToQuestionnaireInput): Promise<ResponseOutcome> {
    // As with ballots, the request's log line names no viewer, whichever kind the questionnaire is.
    rc.viewerWithheld = true;
    const viewer = rc.requireViewer();
    const id = fromGlobalId(input.questionnaireId, 'Questionnaire', 'input.questionnaireId');
    const check = new InputCheck();
    const key = check.text('idempotencyKey', input.idempotencyKey, { min: 8, max: 100 });
    // Ids of another type are the input's mistake, found before anything is looked up.
    if (!Array.isArray(input.answers)) check.fail('answers', msg('errors.input.required'));
    else
      input.answers.forEach((answer, i) => {
        check.globalId(`answers[${i}].questionId`, answer?.questionId, 'QuestionnaireQuestion');
        (answer?.optionIds ?? []).forEach((optionId, j) => check.globalId(`answers[${i}].optionIds[${j}]`, optionId, 'QuestionnaireOption'));
      });
    check.done();

    return this.unitOfWork.run(async (tx): Promise<ResponseOutcome> => {
      // A share lock: responses do not wait for each other, but closing waits for them.
      const questionnaire = await tx.em.findOne(QuestionnaireEntity, { where: { id }, lock: { mode: 'pessimistic_read' } });
      if (!questionnaire || (questionnaire.status === QuestionnaireStatus.DRAFT && !QuestionnairesService.isStaff(viewer, questionnaire.districtCode))) throw AppError.notFound('Questionnaire');
      const anonymous = questionnaire.anonymity === QuestionnaireAnonymity.ANONYMOUS;
      // As with secret ballots: an anonymous response's audit entry names no respondent, has no request id and only the hour.
      auditAbout({ district: questionnaire.districtCode, subject: toGlobalId('Questionnaire', id), anonymous });
      const now = this.clock.now();
      const closed = questionnaire.closesAt !== null && now.getTime() >= questionnaire.closesAt.getTime();
      if (questionnaire.status !== QuestionnaireStatus.OPEN || closed) {
        throw new AppError(ErrorCode.QUESTIONNAIRE_NOT_OPEN, undefined, undefined, undefined, { status: closed ? QuestionnaireStatus.CLOSED : questionnaire.status });
      }
      requireInAudience(questionnaire.audience, questionnaire.districtCode, await this.respondent(tx, viewer.id));
      const [questions, options] = await Promise.all([
        tx.em.find(QuestionnaireQuestionEntity, { where: { questionnaireId: id } }),
        tx.em.find(QuestionnaireOptionEntity, { where: { questionnaireId: id } }),
      ]);
      const rows = checkAnswers(questions, options, input.answers);

      const receipt = this.receipt(id, viewer.id, key);
      const receiptHash = QuestionnaireResponses.receiptHash(receipt);
      const slot = this.slot(id, viewer.id);
      const first: unknown[] = await tx.em.query(
        `INSERT INTO questionnaire_participations (questionnaire_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING account_id`,
        [id, viewer.id],
      );
      if (first.length > 0) {
        const named = anonymous ? { respondentId: null, submittedAt: null, changedAt: null } : { respondentId: viewer.id, submittedAt: now, changedAt: now };
        const response = await tx.em.save(tx.em.create(QuestionnaireResponseEntity, { questionnaireId: id, slot, receiptHash, replaced: false, ...named }));
        await this.insertAnswers(tx, id, response.id, rows);
        await this.resultsLive.responsesChanged(tx, id);
        return { questionnaire, receipt, replaced: false, rows, updatedAt: named.changedAt };
      }
      // The respondent's response, locked: their simultaneous requests are decided one after the other.
      const existing = await tx.em.findOne(QuestionnaireResponseEntity, { where: { questionnaireId: id, slot }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw new Error('participation without a response');
      if (existing.receiptHash === receiptHash) {
        const stored = await tx.em.find(QuestionnaireAnswerEntity, { where: { responseId: existing.id } });
        if (answersFingerprint(stored) !== answersFingerprint(rows)) throw AppError.conflict(msg('questionnaires.errors.keyReused'));
        return { questionnaire, receipt, replaced: existing.replaced, rows, updatedAt: existing.changedAt };
      }
      const earlier = await tx.em.findOneBy(QuestionnaireReplacedReceiptEntity, { questionnaireId: id, receiptHash });
      if (earlier) {
        // A late retry of answers since replaced: it changes nothing, and answers with what stands.
        const stored = await tx.em.find(QuestionnaireAnswerEntity, { where: { responseId: existing.id } });
        return { questionnaire, receipt, replaced: earlier.replaced, rows: stored, updatedAt: existing.changedAt };
      }
      await tx.em.insert(QuestionnaireReplacedReceiptEntity, { questionnaireId: id, receiptHash: existing.receiptHash, replaced: existing.replaced });
      await tx.em.delete(QuestionnaireAnswerEntity, { responseId: existing.id });
      await tx.em.update(QuestionnaireResponseEntity, { id: existing.id }, { receiptHash, replaced: true, ...(anonymous ? {} : { changedAt: now }) });
      await this.insertAnswers(tx, id, existing.id, rows);
      await this.resultsLive.responsesChanged(tx, id);
      return { questionnaire, receipt, replaced: true, rows, updatedAt: anonymous ? null : now };
    });
  }

  /** Fresh random ids, no time: nothing orders an anonymous response's answers against who responded when. */
  private async insertAnswers(tx: Tx, questionnaireId: string, responseId: string, rows: AnswerRow[]): Promise<void> {
    if (rows.length) await tx.em.insert(QuestionnaireAnswerEntity, rows.map((row) => ({ ...row, questionnaireId, responseId })));
  }

  private async respondent(tx: Tx, accountId: string): Promise<Respondent> {
    const rows: { kind: AccountKind; resident_of: string | null }[] = await tx.em.query(
      `SELECT u.kind, res.district_code AS resident_of FROM users u LEFT JOIN residencies res ON res.user_id = u.id AND res.status = $2 WHERE u.id = $1`,
      [accountId, ResidencyStatus.APPROVED],
    );
    if (!rows[0]) throw AppError.notFound('Account');
    const follows: { district_code: string; following: boolean }[] = await tx.em.query(`SELECT district_code, following FROM district_follows WHERE user_id = $1`, [accountId]);
    return { kind: rows[0].kind, residentOf: rows[0].resident_of, follows: new Map(follows.map((f) => [f.district_code, f.following])) };
  }

  /**
   * The viewer's own response: in a NAMED questionnaire theirs by account; in an ANONYMOUS one only the
   * response whose receipt is presented (as a voter sees a secret ballot), whoever presents it.
   */
  async mine(rc: RequestContext, input: MyQuestionnaireResponseInput): Promise<{ rows: AnswerRow[]; updatedAt: Date | null } | null> {
    const questionnaire = await this.questionnaires.require(rc, input.questionnaireId);
    let response: QuestionnaireResponseEntity | null;
    if (questionnaire.anonymity === QuestionnaireAnonymity.ANONYMOUS) {
      const check = new InputCheck();
      const receipt = check.text('receipt', input.receipt, { max: 40, required: false });
      if (!receipt) check.fail('receipt', msg('questionnaires.errors.receiptRequired'));
      check.done();
      response = await this.dataSource.getRepository(QuestionnaireResponseEntity).findOneBy({ questionnaireId: questionnaire.id, receiptHash: QuestionnaireResponses.receiptHash(receipt) });
    } else {
      const viewer = rc.requireViewer();
      response = await this.dataSource.getRepository(QuestionnaireResponseEntity).findOneBy({ questionnaireId: questionnaire.id, respondentId: viewer.id });
    }
    if (!response) return null;
    const rows = await this.dataSource.getRepository(QuestionnaireAnswerEntity).find({ where: { responseId: response.id } });
    return { rows, updatedAt: response.changedAt };
  }

  async responded(rc: RequestContext, questionnaireId: string): Promise<boolean> {
    if (!rc.viewer) return false;
    return this.dataSource.getRepository(QuestionnaireParticipationEntity).existsBy({ questionnaireId, accountId: rc.viewer.id });
  }
}
