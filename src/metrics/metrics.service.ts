import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueryCounter } from '../database/query-counter';

/**
 * Prometheus metrics: GraphQL requests and their latency by operation, errors by code, open
 * subscriptions, ballots cast, the database pool and the SQL statements requests sent. One registry per server instance.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({ name: 'graphql_requests_total', help: 'GraphQL operations by name, type and outcome.', labelNames: ['operation', 'type', 'outcome'], registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL operation latency by name and type.',
    labelNames: ['operation', 'type'],
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

  /** Operation names are client-chosen: keep the label set bounded. */
  static label(name: string | null | undefined): string {
    return name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';
  }
}
