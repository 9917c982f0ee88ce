#!/usr/bin/env node
// What one live subscriber costs the server's V8 heap, and in which objects (issue 17).
//
//   node bench/tools/heap-diff.js [subscribers=2000]
//
// Starts the compiled server (dist/src/main.js; build first with `node scripts/build.js --if-changed`)
// with `--heapsnapshot-signal=SIGUSR2`, so that no server code is needed to take a snapshot: SIGUSR2
// makes V8 write one into the server's working directory (a temporary one here). It opens a secret LIVE
// round, takes a snapshot, opens N anonymous graphql-ws subscribers of the round's turnout and results
// (the fan-out benchmark's document), takes a second snapshot, and prints the heap's growth per
// subscriber, then the top 30 constructors by their objects' self size per subscriber (V8's own size of
// each object, not what it retains: a dominator tree of 200 MB snapshots would take longer than the
// measure). A snapshot collects garbage first, so both count only what is reachable.
//
// Give it a PostgreSQL database of its own (DATABASE_URL, empty or left by an earlier run): the whole run
// takes about 30 s. Without one the server uses the embedded database in a temporary directory, and each
// snapshot then takes minutes. The first start after a build (when main.js writes its code cache) has
// also made the second snapshot take many minutes, more than once: start the server once before measuring
// (a run stuck there is that; kill its server). HEAP_DIFF_KEEP=1 keeps the snapshots and prints where.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/heapdiff node bench/tools/heap-diff.js 2000
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const WebSocket = require(join(ROOT, 'node_modules', 'ws'));
const { createClient } = require(join(ROOT, 'node_modules', 'graphql-ws'));

const SUBSCRIBERS = Number(process.argv[2] ?? 2000);
const ADMIN = { email: 'admin@heap.example', password: 'Heap-Diff-Curator-Passphrase-2026!' };
const SUBSCRIPTION = `subscription Live($r: ID!) { votingRoundUpdated(roundId: $r) { roundId status turnout results { ballots final options { label votes share } } } }`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function gql(url, query, variables = {}, token) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
  return body.data;
}

async function openRound(url) {
  const token = (await gql(url, `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: ADMIN })).login.accessToken;
  const created = await gql(
    url,
    `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { id } } }`,
    {
      i: {
        districtCode: '1001',
        title: 'Heap diff vote',
        method: 'SINGLE_CHOICE',
        options: [{ label: 'Yes' }, { label: 'No' }],
        opensAt: new Date(Date.now() - 1000).toISOString(),
        closesAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
        resultsVisibility: 'LIVE',
        secret: true,
      },
    },
    token,
  );
  const id = created.createVotingRound.votingRound.id;
  await gql(url, `mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: id } }, token);
  // The server's clock may open it first.
  await gql(url, `mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { status } } }`, { i: { roundId: id } }, token).catch((e) => {
    if (!/ILLEGAL_STATE|Cannot open/.test(e.message)) throw e;
  });
  return id;
}

/** SIGUSR2, then the new snapshot's path once V8 has finished writing it (the server answers again). */
async function snapshot(child, dir, url) {
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  for (;;) {
    await sleep(500);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    // Writing blocks the server's event loop: an answer means the file is complete.
    const size = statSync(join(dir, file)).size;
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok && statSync(join(dir, file)).size === size) return join(dir, file);
  }
}

/** Self size and count of objects per constructor (V8's node name for objects and closures, the type otherwise). */
function byConstructor(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + TYPE]];
    const size = snap.nodes[i + SIZE];
    const name = type === 'object' || type === 'closure' ? `${snap.strings[snap.nodes[i + NAME]]}${type === 'closure' ? ' (closure)' : ''}` : `(${type})`;
    const group = groups.get(name) ?? { size: 0, count: 0 };
    group.size += size;
    group.count += 1;
    groups.set(name, group);
    total += size;
  }
  return { groups, total };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'heap-diff-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'production',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    AUTH_SECRET: 'heap-diff-secret-heap-diff-secret-0123456',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_PER_IP: '10000000',
    WS_CONNECTIONS_PER_IP: '1000000',
    WS_MESSAGES_PER_SECOND: '100000',
    DATA_DIR: join(dir, 'data'),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  };
  const child = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', join(ROOT, 'dist', 'src', 'main.js')], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const clients = [];
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) break;
      if (i > 600) throw new Error('the server was not ready within 120 s');
      await sleep(200);
    }
    const roundId = await openRound(url);
    // One subscriber first: what the first one costs (the document's parse, the channel) is not per subscriber.
    const subscribe = () =>
      new Promise((done, fail) => {
        const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
        clients.push(client);
        client.subscribe({ query: SUBSCRIPTION, variables: { r: roundId } }, { next: () => done(), error: fail, complete: () => undefined });
        // A subscription sends nothing until an update: it counts once the server says it is open.
        client.on('connected', () => setTimeout(done, 50));
      });
    await subscribe();
    await sleep(1000);
    const first = await snapshot(child, dir, url);
    for (let i = 1; i <= SUBSCRIBERS; i += 100) await Promise.all(Array.from({ length: Math.min(100, SUBSCRIBERS - i + 1) }, subscribe));
    await sleep(2000);
    const second = await snapshot(child, dir, url);

    const a = byConstructor(first);
    const b = byConstructor(second);
    const rows = [...b.groups].map(([name, g]) => {
      const old = a.groups.get(name) ?? { size: 0, count: 0 };
      return { name, bytes: (g.size - old.size) / SUBSCRIBERS, count: (g.count - old.count) / SUBSCRIBERS };
    });
    rows.sort((x, y) => y.bytes - x.bytes);
    console.log(`${SUBSCRIBERS} anonymous subscribers of one round's votingRoundUpdated`);
    console.log(`heap ${(a.total / 2 ** 20).toFixed(1)} MiB -> ${(b.total / 2 ** 20).toFixed(1)} MiB: ${((b.total - a.total) / SUBSCRIBERS).toFixed(0)} bytes per subscriber`);
    console.log('bytes/sub  objects/sub  constructor');
    for (const row of rows.slice(0, 30)) console.log(`${row.bytes.toFixed(0).padStart(9)}  ${row.count.toFixed(2).padStart(11)}  ${row.name}`);
    if (process.env.HEAP_DIFF_KEEP) console.log(`snapshots: ${first} ${second}`);
  } finally {
    for (const client of clients) void client.dispose();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    if (!process.env.HEAP_DIFF_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
