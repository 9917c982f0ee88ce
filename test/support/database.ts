import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { fork } from 'node:child_process';
import { join } from 'node:path';

/** A database of a test file's own: a fresh one on TEST_DATABASE_URL's server, or an in-memory embedded one. */
export interface TestDatabase {
  url: string;
  embedded: boolean;
  drop(): Promise<void>;
}

export function realPostgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = realPostgresUrl();
  if (!serverUrl) return startEmbeddedDatabase();
  const name = `dp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The embedded database in a child process of its own (see embedded-db-process.js for why). */
export function startEmbeddedDatabase(): Promise<TestDatabase> {
  const child = fork(join(__dirname, 'embedded-db-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`embedded database exited with ${code}`)));
    child.once('message', (message: { url?: string; error?: string }) => {
      if (!message.url) return reject(new Error(message.error ?? 'embedded database failed to start'));
      child.removeAllListeners('exit');
      resolve({
        url: message.url,
        embedded: true,
        drop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
