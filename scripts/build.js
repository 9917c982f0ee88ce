// `npm run build` compiles the TypeScript into dist/ with `nest build` (nest-cli.json: tsc with
// tsconfig.build.json), then bundles the server's modules into dist/src/server.bundle.js
// (scripts/bundle-server.js). With --if-changed (`npm start`, and the tests' setup) it compiles only when dist/
// was not built from the sources as they are now: a start then costs the server's start-up, not a
// compile (about 20 s, even when tsc finds nothing to do).
//
// Why not `prepare` (npm ci builds, npm start only runs): dist/ would go stale after an edit or a pull,
// and `npm ci --ignore-scripts` or `--omit=dev` (no tsc) would leave none. Why content hashes and not
// modification times: checkouts and copies set times of their own.
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { bundleServer, OUTPUT: bundleOutput } = require('./bundle-server');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
/** What the output depends on: the sources, the compilers' and the bundler's settings, and their versions (in the lockfile). */
const INPUTS = ['scripts/build.js', 'scripts/bundle-server.js', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'src', 'migrations'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function hashOf(paths) {
  const hash = createHash('sha256');
  for (const file of paths.flatMap(files)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const inputsHash = () => hashOf(INPUTS.map((input) => join(root, input)));
/**
 * What dist/ holds of this build: another compile into it (`npm run bench`'s, a plain tsc of other
 * sources) changes that, and then the stamp no longer vouches for it.
 */
const outputsHash = () => hashOf(['src', 'migrations'].map((output) => join(dist, output)));

/** Whether a file of dist/src or dist/migrations is newer than `file`. */
function newerThan(file) {
  const time = statSync(file).mtimeMs;
  return ['src', 'migrations'].flatMap((output) => files(join(dist, output))).some((other) => other !== file && statSync(other).mtimeMs > time);
}

const before = inputsHash();
if (process.argv.includes('--if-changed') && existsSync(join(dist, 'src', 'main.js')) && existsSync(stampFile)) {
  if (readFileSync(stampFile, 'utf8') === `${before} ${outputsHash()}`) {
    // dist/ is as this build left it, bundle included, but another compile (`npm run bench`'s tsc) may
    // have rewritten its files unchanged: main.js then takes the bundle for stale (see src/main.ts) until
    // it is again the newest file.
    if (existsSync(bundleOutput) && newerThan(bundleOutput)) utimesSync(bundleOutput, new Date(), new Date());
    process.exit(0);
  }
}
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
  // Hashed before compiling: a source edited meanwhile makes the next start compile again.
  () => writeFileSync(stampFile, `${before} ${outputsHash()}`),
  (error) => {
    console.error(`Bundling dist/src/server.js failed: ${error.message}`);
    process.exit(1);
  },
);
