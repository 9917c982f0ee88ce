import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';

/** What a start finds of the last start's compiled code, and how to keep this start's for the next. */
export interface LoadedWithCodeCache<T> {
  exports: T;
  /** Whether V8 took the compiled code kept by an earlier start (false: there was none, or it was of another file or V8). */
  cached: boolean;
  /** Keeps the code compiled so far for the next start, unless this start used the kept one. Called once the server is ready, so that what starting it compiled is kept too. */
  keep(): void;
}

/**
 * Requires the CommonJS file `file` as `require` would, with V8's code cache: the bytecode of every
 * function compiled until `keep()`, written beside dist/src after a start that had none, read by the
 * next. Node 20 has no compile cache of its own for `require` (Node 22's `module.enableCompileCache`),
 * and compiling the 12 MB server bundle, then the functions a start runs, is about a quarter of a
 * start's main thread.
 *
 * V8 checks that a cache is of its own version and flags, but of the source only its length: the cache
 * is therefore kept under the file's size, time and inode when it was made, and used only while the
 * file still has them (a build or a copy writes a new file; hashing the 12 MB at every start would
 * cost 60 ms). Failing to write it (a read-only dist/) costs the next start its compile, nothing more.
 */
export function requireWithCodeCache<T>(file: string, cacheFile: string): LoadedWithCodeCache<T> {
  const { size, mtimeMs, ino } = statSync(file);
  const digest = createHash('sha256').update(`${file}\0${size}\0${mtimeMs}\0${ino}`).digest();
  const source = readFileSync(file, 'utf8');
  let kept: Buffer | undefined;
  try {
    const data = readFileSync(cacheFile);
    if (data.subarray(0, digest.length).equals(digest)) kept = data.subarray(digest.length);
  } catch {
    // none yet
  }
  const script = new Script(Module.wrap(source), {
    filename: file,
    cachedData: kept,
    // The server bundle has no `import()` (scripts/bundle-server.js): this serves another file's, when
    // compiled afresh (code read from a cache loses it, nodejs/node#43663).
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cached = kept !== undefined && !script.cachedDataRejected;
  const module = new Module(file, require.main ?? undefined);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  (Module as unknown as { _cache: Record<string, Module> })._cache[file] = module;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports as T,
    cached,
    keep() {
      if (cached) return;
      try {
        const temporary = join(dirname(cacheFile), `.${process.pid}.code-cache`);
        writeFileSync(temporary, Buffer.concat([digest, script.createCachedData()]));
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only dist/: the next start compiles, as without a cache.
      }
    },
  };
}
