import { realPostgresUrl } from './database';

/**
 * Some tests need a real PostgreSQL (true concurrency) or Redis (several instances). They run when
 * those are configured; with REQUIRE_SERVICES=1 (CI) their absence fails the suite instead of skipping.
 */
export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

export function redisUrl(): string | undefined {
  return process.env.REDIS_URL || undefined;
}

/** `describe` when the named services are available, `describe.skip` otherwise (or a failure when required). */
export function describeWith(needs: { postgres?: boolean; redis?: boolean }, name: string, body: () => void): void {
  const missing: string[] = [];
  if (needs.postgres && !realPostgresUrl()) missing.push('TEST_DATABASE_URL');
  if (needs.redis && !redisUrl()) missing.push('REDIS_URL');
  if (missing.length === 0) {
    describe(name, body);
  } else if (servicesRequired) {
    describe(name, () => {
      it('has the services it needs', () => {
        throw new Error(`REQUIRE_SERVICES=1 but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
      });
    });
  } else {
    describe.skip(`${name} (needs ${missing.join(', ')})`, body);
  }
}
