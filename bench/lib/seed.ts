import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AccessTokens, newRefreshToken } from '../../src/accounts/tokens';
import { BENCH_AUTH_SECRET } from './server';

export interface BenchAccount {
  /** The users.id (uuid). */
  uuid: string;
  token: string;
}

/**
 * Verified residents of a district, written straight to the database as test/support/voting.ts's
 * bulkResidents does (argon2 for thousands of accounts would take minutes), 10,000 to a transaction,
 * with sessions stored like any other and access tokens signed with the bench server's secret.
 */
export async function bulkResidents(databaseUrl: string, districtCode: string, count: number, label = 'bench'): Promise<BenchAccount[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const signer = new AccessTokens(BENCH_AUTH_SECRET, 6 * 3600);
    const accounts: BenchAccount[] = [];
    for (let start = 0; start < count; start += 10_000) {
      const ids: string[] = [];
      const emails: string[] = [];
      const names: string[] = [];
      const families: string[] = [];
      const hashes: string[] = [];
      for (let i = start; i < Math.min(count, start + 10_000); i++) {
        const id = randomUUID();
        const family = randomUUID();
        ids.push(id);
        emails.push(`${label}.${i}.${id.slice(0, 8)}@bench.example`);
        names.push(`${label} resident ${i}`);
        families.push(family);
        hashes.push(newRefreshToken().hash);
        accounts.push({ uuid: id, token: signer.sign(id, family, new Date()).token });
      }
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO users (id, email, password_hash, display_name, kind) SELECT id, email, '$argon2id$v=19$m=19456,t=2,p=1$unused$unused', name, 'PERSON' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, email, name)`,
        [ids, emails, names],
      );
      await db.query(`INSERT INTO residencies (user_id, district_code, status, reviewed_at) SELECT id, $2, 'APPROVED', now() FROM unnest($1::uuid[]) AS id`, [ids, districtCode]);
      await db.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) SELECT u, f, h, now() + interval '1 day' FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS v(u, f, h)`,
        [ids, families, hashes],
      );
      await db.query('COMMIT');
    }
    return accounts;
  } finally {
    await db.end();
  }
}

/** Runs `work` over items with at most `concurrency` in flight. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** Sum of a Prometheus metric's samples (all label sets) in a /metrics text. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

export async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
