import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Client } from 'pg';
import { createDatabase } from '../lib/database';
import { postGraphQL } from '../lib/http';
import { BENCH_ADMIN_EMAIL, spawnServer } from '../lib/server';
import { LatencySummary, nowMs, round, summarize } from '../lib/stats';
import { Figure, Scenario } from '../lib/types';
import { DISTRICT, loginAdmin } from '../lib/voting-fixtures';

const RESULTS = `query($i: QuestionnaireResultsInput!) { questionnaireResults(input: $i) { responses final
  questions { questionId type answered options { optionId count share points meanRank } scale { mean median distribution { value count } } number { count mean median min max }
    textAnswers(first: 20) { edges { node { id text } } } } } }`;

/**
 * 8. Questionnaire results (issue 16): the public results of an open questionnaire (shown live, NAMED)
 * with 1,000, 10,000 and 100,000 responses, sequential requests over HTTP beside the empty query, and
 * the recount that follows a change of the responses. The questionnaire has one question of each type
 * (single and multiple choice, scale 1–5, ranking of 4, number, short text); questionnaires, responses
 * and answers are written with SQL as the server writes them (answers generated in the database), with
 * the response-event counters a submission moves.
 */
export const questionnaireResults: Scenario = {
  name: 'questionnaire-results',
  async run(ctx) {
    const sizes = [1_000, 10_000, 100_000];
    const requests = Number(process.env.BENCH_QRESULTS_REQUESTS ?? (ctx.quick ? 200 : 1000));
    const warmup = 20;
    const capSeconds = ctx.quick ? 15 : 30;
    const cleanup: (() => Promise<void>)[] = [];
    try {
      const db = await createDatabase(ctx.postgresUrl, 'qresults');
      cleanup.push(() => db.drop());
      const server = await spawnServer({ databaseUrl: db.url, redisUrl: ctx.redisUrl });
      cleanup.push(() => server.stop());
      await loginAdmin(server.url);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      cleanup.push(() => client.end());
      const adminId = (await client.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [BENCH_ADMIN_EMAIL])).rows[0].id;

      const seeded: { n: number; id: string; uuid: string; seconds: number }[] = [];
      for (const n of sizes) {
        const t = nowMs();
        const uuid = await seedQuestionnaire(client, adminId, n);
        seeded.push({ n, uuid, id: Buffer.from(`Questionnaire:${uuid}`).toString('base64url'), seconds: (nowMs() - t) / 1000 });
        ctx.log(`questionnaire-results: ${n} responses seeded in ${((nowMs() - t) / 1000).toFixed(1)} s`);
      }
      await client.query('ANALYZE');

      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      cleanup.push(async () => agent.destroy());
      const read = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(server.url, query, variables, { agent });
      const time = async (query: string, variables: Record<string, unknown>, check?: (data: any) => void): Promise<LatencySummary> => {
        for (let i = 0; i < warmup; i++) await read(query, variables);
        const samples: number[] = [];
        let last: any;
        const until = nowMs() + capSeconds * 1000;
        for (let i = 0; i < requests && nowMs() < until; i++) {
          const started = nowMs();
          last = await read(query, variables);
          samples.push(nowMs() - started);
        }
        check?.(last);
        return summarize(samples);
      };

      const latency: Record<number, LatencySummary> = {};
      const recountMs: Record<number, number> = {};
      for (const s of seeded) {
        // The first read after responses changed counts again; the reads after it find the counted row.
        await client.query(`UPDATE questionnaire_result_events SET count = count + 1 WHERE questionnaire_id = $1 AND shard = 0`, [s.uuid]);
        const started = nowMs();
        await read(RESULTS, { i: { questionnaireId: s.id } });
        recountMs[s.n] = nowMs() - started;
        latency[s.n] = await time(RESULTS, { i: { questionnaireId: s.id } }, (data) => {
          const results = data?.questionnaireResults;
          if (!results || results.responses !== s.n) throw new Error(`questionnaire-results: expected ${s.n} responses, got ${JSON.stringify(data).slice(0, 300)}`);
        });
        ctx.log(`questionnaire-results: ${s.n} responses: recount ${recountMs[s.n].toFixed(0)} ms, p50 ${latency[s.n].p50.toFixed(2)} ms, p99 ${latency[s.n].p99.toFixed(2)} ms`);
      }
      const floor = await time('{ __typename }', {});
      ctx.log(`questionnaire-results: { __typename }: p99 ${floor.p99.toFixed(2)} ms`);

      const [small, , big] = sizes;
      const figures: Figure[] = [
        ...sizes.map((n) => ({
          metric: `questionnaire results p99 at ${n.toLocaleString('en-US')} responses`,
          value: round(latency[n].p99, 2),
          unit: 'ms',
          reference: { name: 'empty query { __typename } p99', value: round(floor.p99, 2) },
          ratio: round(floor.p99 / latency[n].p99, 3),
          ...(n === big
            ? {
                target: `p99 flat as responses grow: at ${big.toLocaleString('en-US')} within 1.5 × the p99 at ${small.toLocaleString('en-US')}`,
                met: latency[big].p99 <= 1.5 * latency[small].p99,
                miss: latency[big].p99 <= 1.5 * latency[small].p99 ? undefined : `${(latency[big].p99 / latency[small].p99).toFixed(2)} × the p99 at ${small.toLocaleString('en-US')}`,
              }
            : {}),
          note: `${latency[n].count} sequential requests after ${warmup} unmeasured, over HTTP, anonymous reader (results shown live); p50 ${latency[n].p50.toFixed(2)} ms. Results come from the row counted after the last change (one row and the 16 event counters per read).`,
        })),
        ...sizes.map((n) => ({
          metric: `questionnaire recount after a change, ${n.toLocaleString('en-US')} responses`,
          value: round(recountMs[n], 1),
          unit: 'ms',
          note: 'the first results request after the responses changed: the aggregates over every answer (counts per option, Borda points, scale and number statistics with medians), stored for the reads after it',
        })),
        { metric: 'empty query { __typename } p99', value: round(floor.p99, 2), unit: 'ms', note: 'the floor under the results query: no resolver, no SQL' },
      ];
      return {
        scenario: '9. Questionnaire results',
        figures,
        details: { sizes, requests, warmup, capSeconds, seeded: seeded.map((s) => ({ responses: s.n, seconds: round(s.seconds, 1) })), latency, recountMs, emptyQuery: floor },
      };
    } finally {
      for (const step of cleanup.reverse()) await step().catch((error: unknown) => ctx.log(`questionnaire-results: cleanup failed: ${String(error)}`));
    }
  },
};

/** An open, NAMED questionnaire with results shown live, one question of each counted type, and `n` responses answering all of them. */
async function seedQuestionnaire(client: Client, adminId: string, n: number): Promise<string> {
  const id = randomUUID();
  const section = randomUUID();
  const q = { single: randomUUID(), multiple: randomUUID(), scale: randomUUID(), ranking: randomUUID(), number: randomUUID(), text: randomUUID() };
  const options = (count: number) => Array.from({ length: count }, () => randomUUID());
  const singleOptions = options(4);
  const multipleOptions = options(5);
  const rankingOptions = options(4);
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO questionnaires (id, district_code, title_th, status, audience, anonymity, created_by, opened_at, results_live)
     VALUES ($1, $2, $3, 'OPEN', 'SIGNED_IN', 'NAMED', $4, now(), true)`,
    [id, DISTRICT, `แบบสอบถาม ${n}`, adminId],
  );
  await client.query(`INSERT INTO questionnaire_sections (id, questionnaire_id, position, title_th) VALUES ($1, $2, 0, 'ส่วนที่ 1')`, [section, id]);
  const question = (qid: string, position: number, type: string, extra: { min?: number; max?: number } = {}) =>
    client.query(`INSERT INTO questionnaire_questions (id, questionnaire_id, section_id, position, type, prompt_th, min_value, max_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      qid,
      id,
      section,
      position,
      type,
      `คำถาม ${position + 1}`,
      extra.min ?? null,
      extra.max ?? null,
    ]);
  await question(q.single, 0, 'SINGLE_CHOICE');
  await question(q.multiple, 1, 'MULTIPLE_CHOICE');
  await question(q.scale, 2, 'SCALE', { min: 1, max: 5 });
  await question(q.ranking, 3, 'RANKING');
  await question(q.number, 4, 'NUMBER', { min: 0, max: 120 });
  await question(q.text, 5, 'SHORT_TEXT');
  for (const [qid, ids] of [
    [q.single, singleOptions],
    [q.multiple, multipleOptions],
    [q.ranking, rankingOptions],
  ] as const) {
    for (const [position, oid] of ids.entries()) {
      await client.query(`INSERT INTO questionnaire_options (id, question_id, questionnaire_id, position, label_th) VALUES ($1, $2, $3, $4, $5)`, [oid, qid, id, position, `ตัวเลือก ${position + 1}`]);
    }
  }
  // Responses, then their answers, generated in the database (as submitResponse writes them: one row per marked or ranked option, a number, a text).
  await client.query(
    `INSERT INTO questionnaire_responses (id, questionnaire_id, slot, receipt_hash, respondent_id, submitted_at)
     SELECT gen_random_uuid(), $1, md5('s' || i) || md5('t' || i), md5('r' || i) || md5('u' || i), NULL, now() FROM generate_series(1, $2) AS i`,
    [id, n],
  );
  const answers = (select: string, params: unknown[]) =>
    client.query(
      `INSERT INTO questionnaire_answers (response_id, questionnaire_id, question_id, option_id, rank, number_value, text_value)
       SELECT r.id, $1, ${select} FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM questionnaire_responses WHERE questionnaire_id = $1) r`,
      [id, ...params],
    );
  await answers(`$2, ($3::uuid[])[1 + r.i % 4], NULL, NULL, NULL`, [q.single, singleOptions]);
  await answers(`$2, ($3::uuid[])[1 + r.i % 5], NULL, NULL, NULL`, [q.multiple, multipleOptions]);
  await answers(`$2, ($3::uuid[])[1 + (r.i + 2) % 5], NULL, NULL, NULL`, [q.multiple, multipleOptions]);
  await answers(`$2, NULL, NULL, 1 + r.i % 5, NULL`, [q.scale]);
  for (let rank = 1; rank <= 4; rank++) await answers(`$2, ($3::uuid[])[1 + (r.i + $4::int) % 4], $4::int, NULL, NULL`, [q.ranking, rankingOptions, rank]);
  await answers(`$2, NULL, NULL, r.i % 100, NULL`, [q.number]);
  await answers(`$2, NULL, NULL, NULL, 'ความเห็นที่ ' || r.i`, [q.text]);
  await client.query(`INSERT INTO questionnaire_result_events (questionnaire_id, shard, count) VALUES ($1, 0, $2)`, [id, n]);
  await client.query('COMMIT');
  return id;
}
