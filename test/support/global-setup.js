const { execFileSync } = require('node:child_process');

/** Process-level tests (npm start, SIGTERM, bad configuration) run the compiled server: build it once. */
module.exports = async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: `${__dirname}/../..`, stdio: 'inherit' });
};
