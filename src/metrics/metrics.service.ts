import { Injectable } from '@nestjs/common';
import { DocumentNode, FragmentDefinitionNode, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueryCounter } from '../database/query-counter';

const META_FIELDS = new Set(['__typename', '__schema', '__type']);

/**
 * Prometheus metrics: GraphQL requests and their latency by root field, errors by code, open
 * subscriptions, ballots cast, the database pool and the SQL statements requests sent. One registry per server instance.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({ name: 'graphql_requests_total', help: 'GraphQL operations over HTTP by root field, type and outcome (an operation selecting several root fields counts once for each).', labelNames: ['field', 'type', 'outcome'], registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL operation latency over HTTP by root field and type.',
    labelNames: ['field', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by code.', labelNames: ['code'], registers: [this.registry] });
  readonly subscriptions = new Gauge({ name: 'graphql_subscriptions_open', help: 'Subscriptions open on this instance.', registers: [this.registry] });
  readonly slowConsumersClosed = new Counter({ name: 'graphql_ws_slow_consumers_closed_total', help: 'WebSockets closed (4408) because their client stopped reading.', registers: [this.registry] });
  readonly ballots = new Counter({ name: 'ballots_cast_total', help: 'Ballots accepted (new or replacing) on this instance.', labelNames: ['kind'], registers: [this.registry] });

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    new Gauge({ name: 'db_pool_connections', help: 'Database pool connections.', labelNames: ['state'], registers: [this.registry], collect() {
      const p = pool();
      this.set({ state: 'total' }, p?.totalCount ?? 0);
      this.set({ state: 'idle' }, p?.idleCount ?? 0);
      this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
    } });
    // What QueryCounter counted since the last scrape: statements sent for requests (timers excluded).
    let counted = QueryCounter.count;
    new Counter({ name: 'db_queries_total', help: 'SQL statements sent for requests and subscriptions (background jobs excluded).', registers: [this.registry], collect() {
      const now = QueryCounter.count;
      if (now > counted) this.inc(now - counted);
      counted = now;
    } });
  }

  /**
   * An error's code as a label. Codes are constants of this server and its libraries (ErrorCode,
   * graphql's and Apollo's own), never client text; anything else counts as OTHER.
   */
  static errorCode(code: string): string {
    return /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : 'OTHER';
  }

  /**
   * The labels an operation is counted under: the schema's root fields it selects (through fragments
   * too), never anything the client named, so the number of series is bounded by the schema.
   * `none` when the document never became an operation (it did not parse or validate).
   */
  static rootFields(schema: GraphQLSchema, document: DocumentNode | undefined, operation: OperationDefinitionNode | undefined): { field: string; type: string }[] {
    const root = operation && schema.getRootType(operation.operation);
    if (!document || !operation || !root) return [{ field: 'none', type: operation?.operation ?? 'none' }];
    const known = root.getFields();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    const fields = new Set<string>();
    const spread = new Set<string>();
    const pending: SelectionSetNode[] = [operation.selectionSet];
    for (let set = pending.pop(); set; set = pending.pop()) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) fields.add(selection.name.value in known || META_FIELDS.has(selection.name.value) ? selection.name.value : 'unknown');
        else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
        else if (!spread.has(selection.name.value)) {
          // Each fragment once: a fragment spread twice selects the same root fields.
          spread.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) pending.push(fragment.selectionSet);
        }
      }
    }
    return [...fields].sort().map((field) => ({ field, type: operation.operation }));
  }
}
