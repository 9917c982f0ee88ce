// Whether dist/ was built from the sources as they are now, and the stamp that says so
// (dist/.build-stamp), for scripts/build.js (which writes it) and scripts/start.js (`npm start`, which
// only reads it, and starts a build when it does not match).
//
// Why content hashes and not only modification times: checkouts and copies set times of their own. But
// reading and hashing every source and compiled file is about 0.2 s of every start, so the stamp also
// keeps each file's size, time and inode as they were when it was hashed: while none of them has moved,
// the files are the ones hashed (as git trusts its index), and the hashes are not taken again.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
/** What the output depends on: the sources, the compilers' and the bundler's settings, and their versions (in the lockfile). */
const INPUTS = ['scripts/build.js', 'scripts/build-stamp.js', 'scripts/bundle-server.js', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'src', 'migrations'].map((input) => join(root, input));
/** What dist/ holds of this build: another compile into it (`npm run bench`'s tsc) changes that, and then the stamp no longer vouches for it. */
const OUTPUTS = ['src', 'migrations'].map((output) => join(dist, output));
/**
 * A file changed this recently may change again within the same tick of the file system's clock, and
 * keep its size: its time would then not show the change. Stats taken so soon after a change are not kept.
 */
const SETTLED_MS = 2_000;

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

/** The size, time and inode of every file of `paths`, hashed; null while one of them changed too recently to be trusted. */
function statsOf(paths) {
  const hash = createHash('sha256');
  const settled = Date.now() - SETTLED_MS;
  for (const file of paths.flatMap(files)) {
    const { size, mtimeMs, ino } = statSync(file);
    if (mtimeMs > settled) return null;
    hash.update(`${relative(root, file)}\0${size}\0${mtimeMs}\0${ino}\0`);
  }
  return hash.digest('hex');
}

const inputsHash = () => hashOf(INPUTS);
const inputsStats = () => statsOf(INPUTS);

/** Whether a file of dist/src or dist/migrations is newer than `file`. */
function newerThan(file) {
  const time = statSync(file).mtimeMs;
  return OUTPUTS.flatMap(files).some((other) => other !== file && statSync(other).mtimeMs > time);
}

/** The stamp as written: `<inputs hash> <outputs hash> <inputs' stats|-> <outputs' stats|->`. */
function readStamp() {
  if (!existsSync(join(dist, 'src', 'main.js')) || !existsSync(stampFile)) return null;
  const [inputs, outputs, inStats, outStats] = readFileSync(stampFile, 'utf8').split(' ');
  return { inputs, outputs, inStats, outStats };
}

/**
 * Records that dist/ holds the build of the sources whose hash is `inputs`, taken after their stats
 * `inStats`. The outputs' stats are taken before they are hashed. A file changed after its stats were
 * taken has moved since, and the next check hashes again.
 */
function writeStamp(inputs, inStats) {
  const outStats = statsOf(OUTPUTS);
  writeFileSync(stampFile, `${inputs} ${hashOf(OUTPUTS)} ${inStats ?? '-'} ${outStats ?? '-'}`);
}

/**
 * Whether dist/ is as a build from the current sources left it: by the files' stats while they have not
 * moved, else by hashing them. The bundle is the one main.js loads only while no compiled file is newer
 * (see src/main.ts): after another compile rewrote dist/ unchanged (`npm run bench`'s tsc), it is made
 * the newest again.
 */
function upToDate() {
  const stamp = readStamp();
  if (!stamp) return false;
  const inStats = inputsStats();
  if (inStats && inStats === stamp.inStats && statsOf(OUTPUTS) === stamp.outStats) return true;
  const inputs = inputsHash();
  if (inputs !== stamp.inputs || hashOf(OUTPUTS) !== stamp.outputs) return false;
  const bundle = join(dist, 'src', 'server.bundle.js');
  if (existsSync(bundle) && newerThan(bundle)) utimesSync(bundle, new Date(), new Date());
  // The same files, copied or touched: their new stats are kept, so that the next start need not hash them.
  writeStamp(inputs, inStats);
  return true;
}

module.exports = { stampFile, inputsHash, inputsStats, upToDate, writeStamp };
