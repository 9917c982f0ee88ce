#!/usr/bin/env node
// Where a server's CPU went, from a V8 CPU profile (issue 17: "the profile that shows where the time goes").
//
//   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- cast --quick
//   node bench/tools/profile-summary.js /tmp/prof/CPU.*.cpuprofile [top=25]
//
// Prints, for one profile, the share of the samples that were idle, and of the busy ones: garbage
// collection, socket writes (`writev`, `writeBuffer`, `writeUtf8String`: the kernel's part of sending to
// PostgreSQL, Redis and the client), JSON, and the rest by the file that holds the code (the server
// bundle is one file, so by function there), then the top functions by their own time. Self time only:
// what a function spent outside the functions it called.
'use strict';
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/tools/profile-summary.js <file.cpuprofile> [top=25]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: V8 records which node each sample landed in and the time since the previous one.
const selfMicros = new Map();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

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
console.log(`${basename(file)}: ${(total / 1e6).toFixed(2)} s sampled, idle ${percent(idle, total)}, busy ${(busy / 1e6).toFixed(2)} s`);
console.log('\nBusy time by kind (share of busy):');
for (const [kind, micros] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${percent(micros, busy).padStart(6)}  ${kind}`);
console.log(`\nTop ${top} functions by self time (share of busy):`);
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${percent(micros, busy).padStart(6)}  ${name}`);
