// `npm start`: compiles when dist/ was not built from the sources as they are now (scripts/build.js
// --if-changed, in a process of its own), then runs the server in this process. As npm's `prestart`,
// the check cost a second Node process and shell before every start (about 0.3 s of a 3 s start).
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { upToDate } = require('./build-stamp');

if (!upToDate()) {
  const build = spawnSync(process.execPath, [join(__dirname, 'build.js'), '--if-changed'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require('../dist/src/main.js');
