#!/usr/bin/env node
// Where a server's CPU went, from a V8 CPU profile (issue 17: "the profile that shows where the time goes").
//
//   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- cast --quick
//   node bench/tools/profile-summary.js /tmp/prof/CPU.*.cpuprofile [top=25] [--window=<from>-<to>] [--origins]
//
// A profile covers the server's whole life. `--window=38-58` keeps the seconds 38 to 58 from its first sample (the fan-out scenario's closed loop of casting, found by the
// times the bench logs against the time in the profile's name). `--origins` adds the busy time split by
// what the sample's stack was doing: garbage collection, `ws` keep-alive pings, live delivery (the fan-out's
// chunks under `processImmediate`, or a `ws` frame sent), socket writes to PostgreSQL (under pg's `submit`),
// of HTTP answers (under `end`), other writes, and everything else.
//
// Prints, for one profile, the share of the samples that were idle, and of the busy ones: garbage
// collection, socket writes (`writev`, `writeBuffer`, `writeUtf8String`: the kernel's part of sending to
// PostgreSQL, Redis and the client), JSON, and the rest by the file that holds the code (the server
// bundle is one file, so by function there), then the top functions by their own time. Self time only:
// what a function spent outside the functions it called.
'use strict';
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

const windowArg = process.argv.find((a) => a.startsWith('--window='));
const [file, topArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node bench/tools/profile-summary.js <file.cpuprofile> [top=25] [--window=<from>-<to>] [--origins]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const origins = process.argv.includes('--origins');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const [windowFrom, windowTo] = windowArg ? windowArg.slice('--window='.length).split('-').map((n) => Number(n) * 1e6) : [0, Infinity];
if (!(windowTo > windowFrom)) {
  console.error('--window takes two numbers of seconds, from-to');
  process.exit(2);
}

// Self time per node: V8 records which node each sample landed in and the time since the previous one.
const sampledAt = [];
profile.timeDeltas.reduce((at, delta, i) => (sampledAt[i] = at + delta), 0);
const selfMicros = new Map();
profile.samples.forEach((id, i) => {
  if (sampledAt[i] >= windowFrom && sampledAt[i] <= windowTo) selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);
const byFunction = new Map();
const byKind = new Map();
let total = 0;
let idle = 0;
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (!micros) continue;
  total += micros;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += micros;
    continue;
  }
  const kind =
    functionName === '(garbage collector)' ? 'garbage collection'
    : SOCKET_WRITES.has(functionName) ? 'socket writes'
    : functionName === '(program)' ? 'V8 and Node outside JavaScript (program)'
    : /^(stringify|parse)$/.test(functionName) && !url ? 'JSON'
    : url ? basename(url.replace(/^file:\/\//, '')) : 'native';
  byKind.set(kind, (byKind.get(kind) ?? 0) + micros);
  const name = `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
}

const busy = total - idle;
const percent = (micros, of) => `${((100 * micros) / of).toFixed(1)}%`;
console.log(`${basename(file)}${windowArg ? ` (seconds ${windowFrom / 1e6} to ${windowTo / 1e6})` : ''}: ${(total / 1e6).toFixed(2)} s sampled, idle ${percent(idle, total)}, busy ${(busy / 1e6).toFixed(2)} s`);
console.log('\nBusy time by kind (share of busy):');
for (const [kind, micros] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${percent(micros, busy).padStart(6)}  ${kind}`);
if (origins) {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byOrigin = new Map();
  for (const [id, micros] of selfMicros) {
    const own = nodeById.get(id).callFrame.functionName;
    if (own === '(idle)') continue;
    const stack = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) stack.add(nodeById.get(at).callFrame.functionName);
    const write = SOCKET_WRITES.has(own);
    const origin =
      own === '(garbage collector)' ? 'garbage collection'
      : stack.has('ping') || stack.has('pong') ? 'keep-alive pings (ws)'
      : stack.has('sendFrame') || stack.has('processImmediate') ? 'live delivery (fan-out chunks, ws frames)'
      : write && stack.has('submit') ? 'socket writes to PostgreSQL'
      : write && stack.has('end') ? 'socket writes of HTTP answers'
      : write ? 'other socket writes'
      : 'everything else';
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + micros);
  }
  console.log('\nBusy time by origin (seconds, share of busy):');
  for (const [origin, micros] of [...byOrigin].sort((a, b) => b[1] - a[1])) console.log(`  ${(micros / 1e6).toFixed(2).padStart(6)} s ${percent(micros, busy).padStart(6)}  ${origin}`);
}
console.log(`\nTop ${top} functions by self time (share of busy):`);
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${percent(micros, busy).padStart(6)}  ${name}`);
