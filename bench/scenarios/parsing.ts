import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, DocumentNode, GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { checkDocumentShape, DEFAULT_LIMITS, measureOperation } from '../../src/common/limits/operation-limits';
import { documentShapeRule } from '../../src/common/limits/operation-limits.plugin';
import { HOSTILE_DOCUMENTS } from '../../test/support/hostile-documents';
import { nowMs, round, summarize } from '../lib/stats';
import { Figure, Scenario } from '../lib/types';

const ROOT = resolve(__dirname, '..', '..', '..');

/** What each transport runs before executing: the milliseconds it took and the first error code, if any. */
type Pipeline = (schema: GraphQLSchema, query: string, variables: Record<string, unknown> | undefined) => string | undefined;

const codeOf = (errors: readonly GraphQLError[]) => (errors.length ? String(errors[0].extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED') : undefined);

function parsed(query: string, maxTokens?: number): DocumentNode | string {
  try {
    return parse(query, maxTokens ? { maxTokens } : undefined);
  } catch {
    return 'GRAPHQL_PARSE_FAILED';
  }
}

/** graphql-ws's onSubscribe: parse (bounded), the shape limits, validation, the cost and variables. */
const overWebSocket: Pipeline = (schema, query, variables) => {
  const document = parsed(query, DEFAULT_LIMITS.maxTokens);
  if (typeof document === 'string') return document;
  return codeOf(checkDocumentShape(document)) ?? codeOf(validate(schema, document, specifiedRules)) ?? codeOf(measureOperation(schema, document, null, variables).errors);
};

/** Apollo over HTTP: parse (parseOptions), validation with the shape rule among the rules, then the limits plugin. */
const overHttp: Pipeline = (schema, query, variables) => {
  const document = parsed(query, DEFAULT_LIMITS.maxTokens);
  if (typeof document === 'string') return document;
  return codeOf(validate(schema, document, [...specifiedRules, documentShapeRule])) ?? codeOf(measureOperation(schema, document, null, variables).errors);
};

/** graphql-js alone, unbounded: parse and validate (the reference, where it finishes at all). */
const graphqlAlone: Pipeline = (schema, query) => {
  const document = parsed(query);
  if (typeof document === 'string') return document;
  return codeOf(validate(schema, document, specifiedRules));
};

/**
 * 6. Parsing and validation: every document of test/support/hostile-documents.ts (the F24 fragment
 * chain, wide and deep mixes, 1 MB of repeated fields, 5,000-level variables...) through what the
 * server runs before executing, over each transport, in this process on the committed schema.gql
 * (the same types; the declared field costs, e.g. verifyAuditChain's, are not in SDL, so cost
 * refusals that rest on them show as answered here). No database: parse, limits and validation do
 * not touch it.
 */
export const parsing: Scenario = {
  name: 'parsing',
  async run(ctx) {
    const schema = buildSchema(readFileSync(resolve(ROOT, 'schema.gql'), 'utf8'));
    const repeats = ctx.quick ? 5 : 30;
    const rows: Record<string, unknown>[] = [];
    // The slowest median of the documents the server goes on to execute, and of those it refuses.
    let worstAccepted = { p50: 0, max: 0, name: '' };
    let worstRefused = { p50: 0, max: 0, name: '' };
    const variablesOf = (json?: string) => (json ? (JSON.parse(json) as Record<string, unknown>) : undefined);
    // Three untimed passes over every document warm the JIT, so the first document timed is not the slowest for that.
    for (let pass = 0; pass < 3; pass++) for (const doc of HOSTILE_DOCUMENTS) for (const pipeline of [overWebSocket, overHttp]) pipeline(schema, doc.query, variablesOf(doc.variablesJson));
    for (const doc of HOSTILE_DOCUMENTS) {
      const variables = variablesOf(doc.variablesJson);
      const row: Record<string, unknown> = { document: doc.name, bytes: Buffer.byteLength(doc.query) };
      for (const [transport, pipeline] of [['ws', overWebSocket], ['http', overHttp]] as const) {
        const samples: number[] = [];
        let code: string | undefined;
        for (let i = 0; i < repeats; i++) {
          const started = nowMs();
          code = pipeline(schema, doc.query, variables);
          samples.push(nowMs() - started);
        }
        const s = summarize(samples);
        row[transport] = { code: code ?? 'passes', p50Ms: round(s.p50, 3), maxMs: round(s.max, 3) };
        const worst = code === undefined ? worstAccepted : worstRefused;
        if (s.p50 > worst.p50) Object.assign(worst, { p50: s.p50, max: s.max, name: `${doc.name} (${transport})` });
      }
      // graphql-js alone, once: unbounded, it is the slow reference (seconds for 1 MB).
      const started = nowMs();
      const aloneCode = graphqlAlone(schema, doc.query, variables);
      row.graphqlAlone = { code: aloneCode ?? 'valid', ms: round(nowMs() - started, 1) };
      rows.push(row);
      ctx.log(`parsing: ${doc.name}: ${JSON.stringify(row)}`);
    }
    const alone = (name: string) => (rows.find((r) => r.document === name)?.graphqlAlone as { ms: number } | undefined)?.ms ?? NaN;
    const oneMb = HOSTILE_DOCUMENTS.find((d) => d.name.startsWith('1 MB'))!.name;
    const thousand = HOSTILE_DOCUMENTS.find((d) => d.name.startsWith('1,000 repeats'))!.name;
    const at = (name: string, transport: 'ws' | 'http') => (rows.find((r) => r.document === name)?.[transport] as { p50Ms: number }).p50Ms;
    const figures: Figure[] = [
      {
        metric: 'parse + limits + validation, slowest document the server goes on to execute (median)',
        value: round(worstAccepted.p50, 2),
        unit: 'ms',
        target: '≤ 25 ms median for every document',
        met: Math.max(worstAccepted.p50, worstRefused.p50) <= 25,
        note: `${worstAccepted.name}, max ${round(worstAccepted.max, 1)} ms; ${HOSTILE_DOCUMENTS.length} documents (test/support/hostile-documents.ts) × 2 transports × ${repeats} runs, in-process on schema.gql`,
      },
      {
        metric: 'parse + limits (+ validation where reached), slowest refused document (median)',
        value: round(worstRefused.p50, 2),
        unit: 'ms',
        note: `${worstRefused.name}, max ${round(worstRefused.max, 1)} ms`,
      },
      {
        metric: '1 MB of repeated fields over HTTP, refused at 5,000 tokens (GRAPHQL_PARSE_FAILED), median',
        value: at(oneMb, 'http'),
        unit: 'ms',
        reference: { name: 'graphql-js parse + validate, unbounded', value: alone(oneMb) },
        ratio: round(alone(oneMb) / at(oneMb, 'http'), 1),
      },
      {
        metric: '1,000 repeats of one field over HTTP, refused before the costly rules (QUERY_TOO_COMPLEX), median',
        value: at(thousand, 'http'),
        unit: 'ms',
        reference: { name: 'graphql-js parse + validate', value: alone(thousand) },
        ratio: round(alone(thousand) / at(thousand, 'http'), 1),
      },
    ];
    return { scenario: '6. Parsing and validation', figures, details: { repeats, documents: rows } };
  },
};
