// The server's modules as one file, dist/src/server.bundle.js, which main.js loads in place of
// dist/src/server.js (see src/main.ts). Node 20 loads Nest 12's and Apollo 5's ES modules through
// `require` one file at a time (resolving, reading, and scanning every CommonJS module they import for
// its exports): about 1,400 files and two thirds of a start's time on the main thread. One file built
// by esbuild from the compiled JavaScript (decorator metadata included) takes about 40% less CPU.
//
// What stays outside the bundle, loaded from its own file:
// - the modules main.js loads before it (the configuration, the logger, the embedded database), so that
//   there is one ConfigError and one EmbeddedPostgres class, not a copy of each;
// - native and WebAssembly packages (argon2, sharp, PGlite), whose files are found next to their code;
// - optional packages that are not installed (class-validator, @nestjs/microservices, ...), which
//   their users load in a try and do without.
// The bundle has no `import()`: each is a `require` (see `supported` below).
'use strict';
const { relative, dirname, join } = require('node:path');

const root = join(__dirname, '..');
const distSrc = join(root, 'dist', 'src');
const OUTPUT = join(distSrc, 'server.bundle.js');
const NATIVE = ['@node-rs/argon2', 'sharp', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg-native'];

/**
 * Packages loaded by a name that a bundler cannot follow (`import(name)`, `createRequire(...)(name)`):
 * from node_modules they would be second copies of packages the bundle holds (another DataSource class,
 * which Nest's container would not find; a second TypeORM loaded for nothing). These loaders are given
 * the bundle's copies; a build fails when one of them no longer reads as expected.
 */
const LOADED_BY_NAME = [
  {
    // terminus's TypeOrmHealthIndicator checks for and loads @nestjs/typeorm and typeorm by name.
    file: /node_modules\/@nestjs\/terminus\/dist\/utils\/checkPackage\.util\.js$/,
    prelude: 'const bundledPackages = { "@nestjs/typeorm": () => import("@nestjs/typeorm"), typeorm: () => import("typeorm") };\n',
    replace: [
      ['import.meta.resolve(packageName);', 'if (!(packageName in bundledPackages)) import.meta.resolve(packageName);'],
      ['await import(packageName);', 'await (bundledPackages[packageName] ?? (() => import(packageName)))();'],
    ],
  },
  {
    // TypeORM loads entity and migration files named by path (this server names classes) with an
    // `import()` hidden from the bundler in a Function: as `require`, like every other (see `supported`).
    file: /node_modules\/typeorm\/util\/ImportUtils\.js$/,
    prelude: '',
    replace: [['await Function("return filePath => import(filePath)")()(', 'await ((url) => require(require("node:url").fileURLToPath(url)))(']],
  },
  {
    // @nestjs/typeorm looks in typeorm for classes of TypeORM 0.3 (absent from 1.x).
    file: /node_modules\/@nestjs\/typeorm\/dist\/common\/typeorm-compat\.js$/,
    prelude: 'import * as bundledTypeorm from "typeorm";\n',
    replace: [["const typeorm = require('typeorm');", 'const typeorm = bundledTypeorm;']],
  },
];

function bundleServer() {
  // Required here: `--if-changed` that finds dist/ up to date needs none of it.
  const esbuild = require('esbuild');
  return esbuild
    .build({
      entryPoints: [join(distSrc, 'main.js')],
      bundle: true,
      write: false,
      platform: 'node',
      metafile: true,
      logLevel: 'silent',
      plugins: [{ name: 'main-only', setup: (build) => build.onResolve({ filter: /^\.\/server$/ }, () => ({ path: './server', external: true })) }],
      packages: 'external',
    })
    .then((main) => {
      const loadedByMain = new Set(Object.keys(main.metafile.inputs).map((input) => join(root, input)));
      return esbuild.build({
        entryPoints: [join(distSrc, 'server.js')],
        outfile: OUTPUT,
        write: false,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        // Nest and GraphQL name things after classes: the bundle keeps every class's and function's name.
        keepNames: true,
        // `import()` of what the bundle leaves outside becomes `require` (of ES modules too, Node >= 20.19):
        // main.js runs the bundle with V8's code cache (src/code-cache.ts), and code from a cache loses
        // the loader an `import()` needs (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, nodejs/node#43663).
        supported: { 'dynamic-import': false },
        external: NATIVE,
        // The bundled ES modules ask where they are: the bundle's own place.
        define: { 'import.meta.url': '__bundle_url', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
        banner: { js: '// Built by scripts/bundle-server.js from dist/src/server.js: not to be edited.\nconst __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
        logLevel: 'error',
        plugins: [sharedWithMain(loadedByMain), optionalPackages(), ownPlaces(), loadedByName()],
      });
    })
    .then((built) => require('node:fs').writeFileSync(OUTPUT, namingClassesOnly(built.outputFiles[0].text)));
}

/**
 * keepNames wraps every named function in `__name(fn, "name")`, which defines `name` on it when it is
 * created: on a closure made per call (an arrow, an async function, a method) that adds a property
 * array of 256 bytes, about 2.8 KB of the heap per live subscriber (bench/tools/heap-diff.js, issue 17).
 * What Nest, TypeORM and GraphQL look up by name are classes and constructor functions, which have a
 * `prototype`; arrows, async functions and methods have none and keep the name V8 gave them (stack
 * traces use V8's own name either way).
 */
function namingClassesOnly(bundle) {
  const naming = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
  if (!bundle.includes(naming)) throw new Error(`esbuild's __name no longer reads "${naming}": see namingClassesOnly in scripts/bundle-server.js`);
  return bundle.replace(naming, 'var __name = (target, value) => target.prototype === undefined ? target : __defProp(target, "name", { value, configurable: true });');
}

/** The application's modules that main.js has loaded already are required from their files. */
function sharedWithMain(loadedByMain) {
  return {
    name: 'shared-with-main',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (resolved.errors.length || !loadedByMain.has(resolved.path) || !resolved.path.startsWith(distSrc)) return resolved;
        return { path: `./${relative(distSrc, resolved.path).replace(/\\/g, '/')}`, external: true };
      });
    },
  };
}

/** A package that is not installed stays a `require`/`import` of its name, which fails at run time as it would have. */
function optionalPackages() {
  return {
    name: 'optional-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        return resolved.errors.length ? { path: args.path, external: true } : resolved;
      });
    },
  };
}

/** `__dirname` and `__filename` in the application's modules keep meaning their own compiled file's place. */
function ownPlaces() {
  return {
    name: 'own-places',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(distSrc)) return undefined;
        const source = await require('node:fs/promises').readFile(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: 'js' };
        const place = (target) => `require("node:path").join(__dirname, ${JSON.stringify(relative(distSrc, target).replace(/\\/g, '/'))})`;
        return { contents: source.replace(/\b__dirname\b/g, place(dirname(args.path))).replace(/\b__filename\b/g, place(args.path)), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** The loaders of LOADED_BY_NAME answer with the bundle's copies. */
function loadedByName() {
  return {
    name: 'loaded-by-name',
    setup(build) {
      for (const loader of LOADED_BY_NAME) {
        build.onLoad({ filter: loader.file }, async (args) => {
          let source = await require('node:fs/promises').readFile(args.path, 'utf8');
          for (const [from, to] of loader.replace) {
            if (!source.includes(from)) throw new Error(`${args.path} no longer reads as scripts/bundle-server.js expects ("${from}"): look at how it loads packages now`);
            source = source.replace(from, to);
          }
          return { contents: loader.prelude + source, loader: 'js' };
        });
      }
    },
  };
}

module.exports = { bundleServer, OUTPUT };
