const { execFileSync } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/**
 * Process-level tests (npm start, SIGTERM, bad configuration) run the compiled server: build it, as
 * `npm start` does, unless dist/ is already built from these sources.
 * Without TEST_DATABASE_URL, suites run on embedded databases: migrate one, and let each suite's database
 * start as a copy of it (see embedded-db-process.js).
 */
module.exports = async () => {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js'), '--if-changed'], { cwd: root, stdio: 'inherit' });
  if (!process.env.TEST_DATABASE_URL) {
    const template = join(mkdtempSync(join(tmpdir(), 'dp-test-')), 'embedded-template.tar');
    execFileSync(process.execPath, [join(__dirname, 'embedded-template.js'), template], { cwd: root, stdio: 'inherit' });
    process.env.EMBEDDED_TEST_TEMPLATE = template;
  }
};
