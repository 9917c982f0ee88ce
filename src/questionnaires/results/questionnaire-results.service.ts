import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext, Viewer } from '../../common/context/request-context';
import { AppError, ErrorCode, msg } from '../../common/errors/app-error';
import { toGlobalId } from '../../common/relay/global-id';
import {
  QuestionnaireOptionResult,
  QuestionnaireQuestionResult,
  QuestionnaireResults,
  QuestionnaireResultsGroup,
  QuestionTally,
  ResultsTally,
} from './questionnaire-results.type';
import { countAnswers, CountedQuestion, CountedType, countWhole, emptyTally } from './results-counter';
import { QuestionnaireResultsLive } from './results-live.service';

/** Response events (new and changed responses) per published batch of an anonymous questionnaire's live results. */
export const LIVE_BATCH = 20;

/** What the results read of a questionnaire. */
export interface ResultsQuestionnaire {
  id: string;
  districtCode: string;
  status: 'DRAFT' | 'OPEN' | 'CLOSED';
  anonymous: boolean;
  resultsLive: boolean;
}

/** A question with what the API shows of it. */
interface ResultsQuestion extends CountedQuestion {
  title: string;
  options: { id: string; label: string; labelEn: string | null }[];
}

/**
 * A questionnaire's results: who may see them, and the figures, kept in one cached row per questionnaire
 * (QuestionnaireResultsCacheEntity) that is valid as long as the count of response events has not moved.
 * A read costs the sum of at most 16 counter rows and that one row, whatever the number of responses;
 * the aggregates run again only after responses changed. An anonymous questionnaire's cached row moves
 * only by whole batches while it is open: everyone, its staff too, sees the last published batch, so no
 * change of the figures can be set beside who was seen answering when. Closed, the figures are exact.
 */
@Injectable()
export class QuestionnaireResultsService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: QuestionnaireResultsLive,
  ) {}

  onApplicationBootstrap(): void {
    // The flush after responses publishes an anonymous questionnaire only when its next batch is out.
    this.live.attach(async (id) => {
      const questionnaire = await this.find(id);
      if (!questionnaire) return false;
      if (!(questionnaire.anonymous && questionnaire.status === 'OPEN')) return true;
      return this.advanceBatch(questionnaire, await this.questions(id));
    });
  }

  static isStaff(viewer: Viewer | null, questionnaire: Pick<ResultsQuestionnaire, 'districtCode'>): boolean {
    return !!viewer && (viewer.isAdmin || viewer.hostOf.has(questionnaire.districtCode));
  }

  /** Whether `viewer` may see the results now: staff always; everyone once closed, or while open when the questionnaire shows them live. */
  static maySee(viewer: Viewer | null, questionnaire: ResultsQuestionnaire): boolean {
    if (QuestionnaireResultsService.isStaff(viewer, questionnaire)) return true;
    return questionnaire.status === 'CLOSED' || (questionnaire.status === 'OPEN' && questionnaire.resultsLive);
  }

  /** `em`: a transaction's, when called inside one (the embedded database has one connection). */
  async find(id: string, em: EntityManager = this.dataSource.manager): Promise<ResultsQuestionnaire | null> {
    const rows: { id: string; district_code: string; status: ResultsQuestionnaire['status']; anonymity: string; results_live: boolean }[] = await em.query(
      `SELECT id, district_code, status, anonymity, results_live FROM questionnaires WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { id: row.id, districtCode: row.district_code, status: row.status, anonymous: row.anonymity === 'ANONYMOUS', resultsLive: row.results_live } : null;
  }

  /** The questionnaire if the viewer may see its results: NOT_FOUND for a draft outside its staff, RESULTS_NOT_PUBLISHED before they are shown. */
  async requireVisible(rc: RequestContext, id: string): Promise<ResultsQuestionnaire> {
    const questionnaire = await this.find(id);
    if (!questionnaire || (questionnaire.status === 'DRAFT' && !QuestionnaireResultsService.isStaff(rc.viewer, questionnaire))) throw AppError.notFound('Questionnaire');
    if (!QuestionnaireResultsService.maySee(rc.viewer, questionnaire)) throw new AppError(ErrorCode.RESULTS_NOT_PUBLISHED, msg('questionnaireResults.errors.notYet'));
    return questionnaire;
  }

  async questions(questionnaireId: string, em: EntityManager = this.dataSource.manager): Promise<ResultsQuestion[]> {
    const rows: { id: string; type: CountedType; title: string; scale_min: number | null; scale_max: number | null; options: { id: string; label: string; labelEn: string | null }[] }[] =
      await em.query(
        `SELECT q.id, q.type, q.prompt_th AS title, CASE WHEN q.type = 'SCALE' THEN q.min_value::int END AS scale_min, CASE WHEN q.type = 'SCALE' THEN q.max_value::int END AS scale_max,
                (SELECT coalesce(json_agg(json_build_object('id', o.id, 'label', o.label_th, 'labelEn', o.label_en) ORDER BY o.position), '[]')
                   FROM questionnaire_options o WHERE o.question_id = q.id) AS options
           FROM questionnaire_questions q
          WHERE q.questionnaire_id = $1
          ORDER BY q.position`,
        [questionnaireId],
      );
    return rows.map((row) => ({ id: row.id, type: row.type, title: row.title, scaleMin: row.scale_min, scaleMax: row.scale_max, options: row.options, optionIds: row.options.map((o) => o.id) }));
  }

  /** The results as the viewer may see them now, optionally cut by a single-choice question. */
  async results(rc: RequestContext, questionnaireId: string, cutByQuestionId?: string | null): Promise<QuestionnaireResults> {
    const questionnaire = await this.requireVisible(rc, questionnaireId);
    const questions = await this.questions(questionnaire.id);
    const batched = questionnaire.anonymous && questionnaire.status === 'OPEN';
    let cut: ResultsQuestion | undefined;
    if (cutByQuestionId) {
      cut = questions.find((q) => q.id === cutByQuestionId);
      if (!cut || cut.type !== 'SINGLE_CHOICE') throw AppError.badInput([{ field: 'input.cutByQuestionId', message: msg('questionnaireResults.errors.cutBySingleChoice') }]);
      // A cut is counted from the answers as they are: for an anonymous questionnaire, only once the answers stop moving.
      if (batched) throw AppError.illegalState(msg('questionnaireResults.errors.cutAfterClosing'));
    }
    const tally = await this.tally(questionnaire, questions);
    const results = Object.assign(new QuestionnaireResults(), {
      questionnaireId: toGlobalId('Questionnaire', questionnaire.id),
      questionnaireDbId: questionnaire.id,
      status: questionnaire.status,
      final: questionnaire.status === 'CLOSED',
      batched,
      responses: tally.responses,
      questions: this.present(questionnaire, questions, tally),
      cutByQuestionId: cut ? toGlobalId('QuestionnaireQuestion', cut.id) : null,
      groups: null as QuestionnaireResultsGroup[] | null,
    });
    if (cut) {
      const groups = await countAnswers(this.dataSource.manager, questionnaire.id, questions, cut.id);
      results.groups = [...cut.options.map((o) => ({ key: o.id, option: o as (typeof cut.options)[number] | null })), { key: '', option: null }].map(({ key, option }) => {
        const group = groups.get(key) ?? emptyTally(questions);
        return Object.assign(new QuestionnaireResultsGroup(), {
          optionId: option ? toGlobalId('QuestionnaireOption', option.id) : null,
          label: option?.label ?? null,
          labelEn: option?.labelEn ?? null,
          responses: group.responses,
          questions: this.present(questionnaire, questions, group),
        });
      });
    }
    return results;
  }

  /**
   * The whole questionnaire's figures from the cache. Exact for named questionnaires and closed ones
   * (counted again when the response events moved since), the last published batch for an anonymous
   * one while open.
   */
  async tally(questionnaire: ResultsQuestionnaire, questions: CountedQuestion[]): Promise<ResultsTally> {
    const [events, cached] = await Promise.all([this.events(this.dataSource.manager, questionnaire.id), this.cached(this.dataSource.manager, questionnaire.id)]);
    if (questionnaire.anonymous && questionnaire.status === 'OPEN') return cached?.tally ?? emptyTally(questions);
    if (cached && cached.events === events && cached.final === (questionnaire.status === 'CLOSED')) return cached.tally;
    return this.recount(questionnaire, questions, 0);
  }

  /** Publishes an anonymous questionnaire's next batch if one is due; whether it did. */
  async advanceBatch(questionnaire: ResultsQuestionnaire, questions: CountedQuestion[]): Promise<boolean> {
    const [events, cached] = await Promise.all([this.events(this.dataSource.manager, questionnaire.id), this.cached(this.dataSource.manager, questionnaire.id)]);
    if (events < (cached?.events ?? 0) + LIVE_BATCH) return false;
    const before = cached?.events ?? 0;
    await this.recount(questionnaire, questions, LIVE_BATCH);
    return ((await this.cached(this.dataSource.manager, questionnaire.id))?.events ?? 0) > before;
  }

  /**
   * Counts again and stores the figures with the event count they stand for, both read in one snapshot
   * of the database (REPEATABLE READ), so the pair is consistent. The row only moves forward (by `step`
   * events at least): instances that race each other cannot move it back.
   */
  private async recount(questionnaire: ResultsQuestionnaire, questions: CountedQuestion[], step: number): Promise<ResultsTally> {
    try {
      return await this.store(questionnaire, questions, step);
    } catch (error) {
      // Another instance stored the same row meanwhile (a serialization failure): theirs is as fresh.
      if ((error as { code?: string }).code !== '40001') throw error;
      return (await this.cached(this.dataSource.manager, questionnaire.id))?.tally ?? countWhole(this.dataSource.manager, questionnaire.id, questions);
    }
  }

  private store(questionnaire: ResultsQuestionnaire, questions: CountedQuestion[], step: number): Promise<ResultsTally> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      const events = await this.events(em, questionnaire.id);
      const tally = await countWhole(em, questionnaire.id, questions);
      const final = questionnaire.status === 'CLOSED';
      const moved: unknown[] = await em.query(
        `INSERT INTO questionnaire_results_cache (questionnaire_id, events, final, tally) VALUES ($1, $2, $3, $4)
         ON CONFLICT (questionnaire_id) DO UPDATE SET events = EXCLUDED.events, final = EXCLUDED.final, tally = EXCLUDED.tally
          WHERE questionnaire_results_cache.events + $5 <= EXCLUDED.events OR (EXCLUDED.final AND NOT questionnaire_results_cache.final)
         RETURNING events`,
        [questionnaire.id, events, final, JSON.stringify(tally), step],
      );
      // The batch's text answers are listed from now on (the same snapshot: exactly those the batch counts).
      if (moved.length && questionnaire.anonymous) {
        await em.query(
          `INSERT INTO questionnaire_published_answers (answer_id, questionnaire_id)
           SELECT a.id, a.questionnaire_id FROM questionnaire_answers a WHERE a.questionnaire_id = $1 AND a.text_value IS NOT NULL
           ON CONFLICT DO NOTHING`,
          [questionnaire.id],
        );
      }
      return tally;
    });
  }

  private async events(em: EntityManager, questionnaireId: string): Promise<number> {
    const rows: { n: number }[] = await em.query(`SELECT coalesce(sum(count), 0)::int AS n FROM questionnaire_result_events WHERE questionnaire_id = $1`, [questionnaireId]);
    return rows[0].n;
  }

  private async cached(em: EntityManager, questionnaireId: string): Promise<{ events: number; final: boolean; tally: ResultsTally } | null> {
    const rows: { events: number; final: boolean; tally: ResultsTally }[] = await em.query(`SELECT events, final, tally FROM questionnaire_results_cache WHERE questionnaire_id = $1`, [questionnaireId]);
    return rows[0] ?? null;
  }

  private present(questionnaire: ResultsQuestionnaire, questions: ResultsQuestion[], tally: ResultsTally): QuestionnaireQuestionResult[] {
    return questions.map((q) => {
      const figures: QuestionTally = tally.questions.find((t) => t.questionId === q.id) ?? { questionId: q.id, answered: 0 };
      const share = (n: number) => (figures.answered ? n / figures.answered : 0);
      return Object.assign(new QuestionnaireQuestionResult(), {
        questionId: toGlobalId('QuestionnaireQuestion', q.id),
        type: q.type,
        title: q.title,
        answered: figures.answered,
        options: figures.options
          ? figures.options.map((o) => {
              const option = q.options.find((x) => x.id === o.optionId);
              return Object.assign(new QuestionnaireOptionResult(), {
                optionId: toGlobalId('QuestionnaireOption', o.optionId),
                label: option?.label ?? '',
                labelEn: option?.labelEn ?? null,
                count: o.count,
                share: share(o.count),
                points: o.points ?? null,
                meanRank: o.meanRank ?? null,
                firstPlaces: o.firstPlaces ?? null,
              });
            })
          : null,
        scale: figures.scale ? { ...figures.scale, distribution: figures.scale.distribution.map((p) => ({ ...p, share: share(p.count) })) } : null,
        number: figures.number ?? null,
        questionnaireDbId: questionnaire.id,
        districtCode: questionnaire.districtCode,
        questionDbId: q.id,
        isText: q.type === 'SHORT_TEXT' || q.type === 'LONG_TEXT',
        publishedOnly: questionnaire.anonymous && questionnaire.status === 'OPEN',
      });
    });
  }
}
