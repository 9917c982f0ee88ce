/** Unit and end-to-end suites, two files at a time, each file on a database of its own (see README). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // Tests wait for events, never for time: this only ends a test that hangs (process.spec's HANG too).
  testTimeout: 600_000,
  // Nest 12 and Apollo 5 ship ES modules; jest on Node 20 cannot require them, so swc turns them into CommonJS.
  transformIgnorePatterns: [],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
