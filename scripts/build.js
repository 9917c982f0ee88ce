// `npm run build` compiles the TypeScript into dist/ with `nest build` (nest-cli.json: tsc with
// tsconfig.build.json), then bundles the server's modules into dist/src/server.bundle.js
// (scripts/bundle-server.js). With --if-changed (`npm start` through scripts/start.js, `npm run bench`,
// and the tests' setup) it compiles only when dist/ was not built from the sources as they are now
// (scripts/build-stamp.js): a start then costs the server's start-up, not a compile (about 20 s, even
// when tsc finds nothing to do).
//
// Why not `prepare` (npm ci builds, npm start only runs): dist/ would go stale after an edit or a pull,
// and `npm ci --ignore-scripts` or `--omit=dev` (no tsc) would leave none.
'use strict';
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { stampFile, inputsHash, inputsStats, upToDate, writeStamp } = require('./build-stamp');
const { bundleServer, OUTPUT: bundleOutput } = require('./bundle-server');

const root = join(__dirname, '..');

if (process.argv.includes('--if-changed') && upToDate()) process.exit(0);
// Taken before compiling: a source edited meanwhile makes the next start compile again.
const inStats = inputsStats();
const before = inputsHash();
rmSync(stampFile, { force: true });
// A bundle of an older build must not outlive a failed one (main.js would load it).
rmSync(bundleOutput, { force: true });
if (process.argv.includes('--if-changed')) console.log('Compiling: dist/ was not built from the sources as they are now.');
try {
  execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { cwd: root, stdio: 'inherit' });
} catch (error) {
  process.exit(typeof error.status === 'number' ? error.status : 1);
}
bundleServer().then(
  () => writeStamp(before, inStats),
  (error) => {
    console.error(`Bundling dist/src/server.js failed: ${error.message}`);
    process.exit(1);
  },
);
