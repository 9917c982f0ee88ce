import { EntityManager } from 'typeorm';
import { OptionTally, QuestionTally, ResultsTally } from './questionnaire-results.type';

/** The question types as the counter treats them. */
export type CountedType = 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'RANKING' | 'SCALE' | 'NUMBER' | 'SHORT_TEXT' | 'LONG_TEXT';

/** What the counter reads of a question. */
export interface CountedQuestion {
  id: string;
  type: CountedType;
  /** Its options in their order (choice and ranking questions). */
  optionIds: string[];
  /** Scale questions: the ends. */
  scaleMin: number | null;
  scaleMax: number | null;
}

/** A group key: the option of the cut question, or '' for the responses that did not answer it. */
export type GroupKey = string;
const WHOLE = '*';

/**
 * Counting a questionnaire's answers: a handful of aggregate statements over the answers of its
 * questions (each walks the index on answers by question), whatever the number of responses; nothing is
 * loaded per response. With `cutBy` (a single-choice question), the same figures per option of that
 * question, and for those who did not answer it.
 */
export async function countAnswers(em: EntityManager, questionnaireId: string, questions: CountedQuestion[], cutBy?: string): Promise<Map<GroupKey, ResultsTally>> {
  // The group of each answer (and response): the whole, or the response's answer to the cut question.
  const cutJoin = (response: string) => (cutBy ? `LEFT JOIN questionnaire_answers c ON c.response_id = ${response} AND c.question_id = $2` : '');
  const group = cutBy ? `coalesce(c.option_id::text, '')` : `'${WHOLE}'`;
  const params: unknown[] = cutBy ? [questionnaireId, cutBy] : [questionnaireId];
  const scaleIds = questions.filter((q) => q.type === 'SCALE').map((q) => q.id);
  // One after the other: inside a transaction they share its connection.
  const [responses, answered, choices, numbers, scalePoints] = await sequentially([
    () => em.query(`SELECT ${group} AS g, count(*)::int AS n FROM questionnaire_responses r ${cutJoin('r.id')} WHERE r.questionnaire_id = $1 GROUP BY 1`, params) as Promise<{ g: string; n: number }[]>,
    // A multiple choice or a ranking is several rows of one response: counted once.
    () => em.query(`SELECT ${group} AS g, a.question_id, count(DISTINCT a.response_id)::int AS n FROM questionnaire_answers a ${cutJoin('a.response_id')} WHERE a.questionnaire_id = $1 GROUP BY 1, 2`, params) as Promise<
      { g: string; question_id: string; n: number }[]
    >,
    // Choices and rankings: one row per marked (or ranked) option.
    () => em.query(
      `SELECT ${group} AS g, a.question_id, a.option_id, count(*)::int AS n, avg(a.rank)::float8 AS mean_rank,
              coalesce(sum(a.rank), 0)::bigint AS rank_sum, count(*) FILTER (WHERE a.rank = 1)::int AS first_places
         FROM questionnaire_answers a ${cutJoin('a.response_id')}
        WHERE a.questionnaire_id = $1 AND a.option_id IS NOT NULL
        GROUP BY 1, 2, 3`,
      params,
    ) as Promise<{ g: string; question_id: string; option_id: string; n: number; mean_rank: number | null; rank_sum: string; first_places: number }[]>,
    () => em.query(
      `SELECT ${group} AS g, a.question_id, count(*)::int AS n, avg(a.number_value)::float8 AS mean,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY a.number_value::float8) AS median, min(a.number_value)::float8 AS min, max(a.number_value)::float8 AS max
         FROM questionnaire_answers a ${cutJoin('a.response_id')}
        WHERE a.questionnaire_id = $1 AND a.number_value IS NOT NULL
        GROUP BY 1, 2`,
      params,
    ) as Promise<{ g: string; question_id: string; n: number; mean: number | null; median: number | null; min: number | null; max: number | null }[]>,
    () => scaleIds.length
      ? (em.query(
          `SELECT ${group} AS g, a.question_id, a.number_value::float8 AS value, count(*)::int AS n
             FROM questionnaire_answers a ${cutJoin('a.response_id')}
            WHERE a.questionnaire_id = $1 AND a.question_id = ANY($${params.length + 1}) AND a.number_value IS NOT NULL
            GROUP BY 1, 2, 3`,
          [...params, scaleIds],
        ) as Promise<{ g: string; question_id: string; value: number; n: number }[]>)
      : Promise.resolve([]),
  ]);

  const groups = new Set<GroupKey>(cutBy ? [...(questions.find((q) => q.id === cutBy)?.optionIds ?? []), ''] : [WHOLE]);
  for (const row of responses) groups.add(row.g);
  const result = new Map<GroupKey, ResultsTally>();
  for (const g of groups) {
    result.set(g, {
      responses: responses.find((r) => r.g === g)?.n ?? 0,
      questions: questions.map((q) => tallyOf(q, g, answered, choices, numbers, scalePoints)),
    });
  }
  return result;
}

/** Runs the statements in turn, keeping each one's result type. */
async function sequentially<T extends unknown[]>(statements: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const results: unknown[] = [];
  for (const statement of statements as (() => Promise<unknown>)[]) results.push(await statement());
  return results as T;
}

/** The whole questionnaire's figures (no cut). */
export async function countWhole(em: EntityManager, questionnaireId: string, questions: CountedQuestion[]): Promise<ResultsTally> {
  return (await countAnswers(em, questionnaireId, questions)).get(WHOLE)!;
}

function tallyOf(
  q: CountedQuestion,
  g: GroupKey,
  answered: { g: string; question_id: string; n: number }[],
  choices: { g: string; question_id: string; option_id: string; n: number; mean_rank: number | null; rank_sum: string; first_places: number }[],
  numbers: { g: string; question_id: string; n: number; mean: number | null; median: number | null; min: number | null; max: number | null }[],
  scalePoints: { g: string; question_id: string; value: number; n: number }[],
): QuestionTally {
  const mine = <T extends { g: string; question_id: string }>(rows: T[]) => rows.filter((r) => r.g === g && r.question_id === q.id);
  const tally: QuestionTally = { questionId: q.id, answered: mine(answered)[0]?.n ?? 0 };
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  switch (q.type) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
    case 'RANKING': {
      const rows = mine(choices);
      const n = q.optionIds.length;
      tally.options = q.optionIds.map((optionId): OptionTally => {
        const row = rows.find((r) => r.option_id === optionId);
        const count = row?.n ?? 0;
        if (q.type !== 'RANKING') return { optionId, count };
        // Borda: n − rank + 1 per ranking that placed it.
        return { optionId, count, points: count * (n + 1) - Number(row?.rank_sum ?? 0), meanRank: row && row.mean_rank !== null ? Number(row.mean_rank) : null, firstPlaces: row?.first_places ?? 0 };
      });
      break;
    }
    case 'SCALE': {
      const row = mine(numbers)[0];
      const points = mine(scalePoints);
      const values: number[] = [];
      for (let v = q.scaleMin ?? 0; v <= (q.scaleMax ?? -1); v++) values.push(v);
      tally.scale = {
        mean: num(row?.mean ?? null),
        median: num(row?.median ?? null),
        distribution: values.map((value) => ({ value, count: points.find((p) => Number(p.value) === value)?.n ?? 0 })),
      };
      break;
    }
    case 'NUMBER': {
      const row = mine(numbers)[0];
      tally.number = { count: row?.n ?? 0, mean: num(row?.mean ?? null), median: num(row?.median ?? null), min: num(row?.min ?? null), max: num(row?.max ?? null) };
      break;
    }
    default:
      break;
  }
  return tally;
}

/** The figures of no response at all: what an anonymous questionnaire shows before its first batch. */
export function emptyTally(questions: CountedQuestion[]): ResultsTally {
  return { responses: 0, questions: questions.map((q) => tallyOf(q, WHOLE, [], [], [], [])) };
}
