import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * src/code-cache.ts loads the server bundle with the bytecode a previous start compiled. Each load runs
 * the compiled module (dist/, built by the tests' setup) in a Node process of its own, as a start does,
 * on a small module in a directory of its own.
 */
describe('the code cache of the server bundle', () => {
  const loader = join(__dirname, '..', '..', 'dist', 'src', 'code-cache.js');
  let dir: string;
  let bundle: string;
  let cache: string;
  const module = (answer: number) => `
    exports.answer = () => ${answer};
    exports.helper = require('./helper.js').name;
    // How the bundle loads what it leaves outside, \`import()\` included (scripts/bundle-server.js).
    exports.imported = () => Promise.resolve().then(() => require('node:path')).then((path) => typeof path.join);
  `;
  /** Loads the bundle, runs it, keeps its code, and says what it found and answered. */
  const load = (): { cached: boolean; answer: number; helper: string; imported: string } =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '-e',
          `const { requireWithCodeCache } = require(${JSON.stringify(loader)});
           const loaded = requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
           loaded.exports.imported().then((imported) => {
             loaded.keep();
             console.log(JSON.stringify({ cached: loaded.cached, answer: loaded.exports.answer(), helper: loaded.exports.helper, imported }));
           });`,
        ],
        { encoding: 'utf8' },
      ),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    bundle = join(dir, 'src', 'server.bundle.js');
    cache = join(dir, '.server-bundle.code-cache');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'helper.js'), "exports.name = 'helper';\n");
    writeFileSync(bundle, module(41));
  });
  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles the first time and keeps the code; the next load takes it and runs the same module', () => {
    expect(load()).toEqual({ cached: false, answer: 41, helper: 'helper', imported: 'function' });
    expect(statSync(cache).size).toBeGreaterThan(0);
    expect(load()).toEqual({ cached: true, answer: 41, helper: 'helper', imported: 'function' });
  });

  it('never runs the code of another build, even one of the same length (the only thing V8 checks of the source)', () => {
    load();
    const { mtime } = statSync(bundle);
    writeFileSync(bundle, module(42));
    // Even when the new build's time is the old one's: the file's inode or size tells it apart.
    utimesSync(bundle, mtime, mtime);
    rmSync(bundle);
    writeFileSync(bundle, module(43));
    expect(load()).toEqual({ cached: false, answer: 43, helper: 'helper', imported: 'function' });
    expect(load()).toEqual({ cached: true, answer: 43, helper: 'helper', imported: 'function' });
  });

  it('compiles as without a cache when the kept one is damaged', () => {
    load();
    writeFileSync(cache, Buffer.concat([Buffer.alloc(32), Buffer.from('not bytecode')]));
    expect(load()).toEqual({ cached: false, answer: 41, helper: 'helper', imported: 'function' });
  });

  it('runs when the cache cannot be written (a read-only installation)', () => {
    chmodSync(dir, 0o555);
    // root writes anyway: the point is only that a refused write does not stop the server.
    if (process.getuid?.() === 0) rmSync(cache, { force: true });
    expect(load()).toMatchObject({ cached: false, answer: 41 });
  });
});
