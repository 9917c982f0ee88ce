import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * scripts/build-stamp.js decides whether `npm start` compiles. It trusts the files' sizes, times and
 * inodes while none has moved since they were hashed, and hashes them otherwise. Each case runs it in a
 * project of its own (a source, a compiled file and the bundle), in a Node process of its own, as
 * scripts/start.js does.
 */
describe('the build stamp (whether npm start compiles)', () => {
  const ROOT = join(__dirname, '..', '..');
  let project: string;
  const file = (path: string) => join(project, path);
  const write = (path: string, text: string) => {
    mkdirSync(join(file(path), '..'), { recursive: true });
    writeFileSync(file(path), text);
  };
  /** Sets a file's time a minute back: stats are trusted only once the files have settled. */
  const settle = (path: string, secondsAgo = 60) => {
    const past = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file(path), past, past);
  };
  const PATHS = ['src/main.ts', 'dist/src/main.js', 'dist/src/server.bundle.js'];
  const run = (code: string): string => execFileSync(process.execPath, ['-e', `const s = require('./scripts/build-stamp'); ${code}`], { cwd: project, encoding: 'utf8' }).trim();
  const upToDate = () => run('console.log(s.upToDate())') === 'true';
  /** What a build does at its end: the sources' stats and hash taken before the compile, the outputs' after. */
  const built = () => run('s.writeStamp(s.inputsHash(), s.inputsStats())');
  const stamp = () => readFileSync(file('dist/.build-stamp'), 'utf8').split(' ');

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'build-stamp-'));
    mkdirSync(file('scripts'));
    copyFileSync(join(ROOT, 'scripts', 'build-stamp.js'), file('scripts/build-stamp.js'));
    write('src/main.ts', 'export const answer = 42;\n');
    write('dist/src/main.js', 'exports.answer = 42;\n');
    write('dist/src/server.bundle.js', 'exports.answer = 42; // bundled\n');
    for (const path of ['scripts/build-stamp.js', ...PATHS]) settle(path);
    settle('dist/src/server.bundle.js', 30);
    built();
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('finds an unchanged build up to date from the stats it recorded, without hashing again', () => {
    const [inputs, outputs, inStats, outStats] = stamp();
    expect(inStats).toMatch(/^[0-9a-f]{64}$/);
    expect(outStats).toMatch(/^[0-9a-f]{64}$/);
    expect(upToDate()).toBe(true);
    expect(stamp()).toEqual([inputs, outputs, inStats, outStats]);
    // The proof that it read no file: content changed behind the same size, time and inode goes unseen
    // (as by git's index; no editor or checkout does this).
    const { mtime } = statSync(file('src/main.ts'));
    writeFileSync(file('src/main.ts'), 'export const answer = 43;\n');
    utimesSync(file('src/main.ts'), mtime, mtime);
    expect(upToDate()).toBe(true);
  });

  it('compiles after a source is edited, even to the same size', () => {
    write('src/main.ts', 'export const answer = 43;\n');
    settle('src/main.ts', 10);
    expect(upToDate()).toBe(false);
  });

  it('compiles after a compiled file is changed by something else', () => {
    write('dist/src/main.js', 'exports.answer = 41;\n');
    settle('dist/src/main.js', 10);
    expect(upToDate()).toBe(false);
  });

  it('does not compile after a copy or a checkout that only set new times, and trusts the new stats next time', () => {
    const [inputs, outputs, inStats] = stamp();
    for (const path of PATHS) settle(path, 20);
    expect(upToDate()).toBe(true);
    const [inputsAfter, outputsAfter, inStatsAfter, outStatsAfter] = stamp();
    expect([inputsAfter, outputsAfter]).toEqual([inputs, outputs]);
    expect(inStatsAfter).not.toBe(inStats);
    expect(outStatsAfter).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not trust stats of a file changed moments ago: it hashes, and records them once they have settled', () => {
    writeFileSync(file('src/main.ts'), 'export const answer = 42;\n');
    expect(upToDate()).toBe(true);
    expect(stamp()[2]).toBe('-');
    settle('src/main.ts');
    expect(upToDate()).toBe(true);
    expect(stamp()[2]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes the bundle the newest file again after another compile rewrote dist/ unchanged, so that main.js loads it', () => {
    settle('dist/src/main.js', 5);
    expect(statSync(file('dist/src/main.js')).mtimeMs).toBeGreaterThan(statSync(file('dist/src/server.bundle.js')).mtimeMs);
    expect(upToDate()).toBe(true);
    expect(statSync(file('dist/src/server.bundle.js')).mtimeMs).toBeGreaterThan(statSync(file('dist/src/main.js')).mtimeMs);
  });

  it('compiles when there is no stamp, or no compiled server', () => {
    rmSync(file('dist/src/main.js'));
    expect(upToDate()).toBe(false);
    write('dist/src/main.js', 'exports.answer = 42;\n');
    rmSync(file('dist/.build-stamp'));
    expect(upToDate()).toBe(false);
  });
});
