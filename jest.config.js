/** Jest projects: `npm test` runs them all; `npm run test:unit` is the quick loop. */
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = { preset: undefined, testEnvironment: 'node', transform: tsJest, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Integration and browser tests talk to real servers; a slow CI machine must not fail them on time alone.
  testTimeout: 120000,
  // Two worker processes, each replaced once it holds more than 1 GB after a file. On a 2-core
  // machine Jest's default is one worker, and one worker means the whole suite in Jest's own process:
  // ~100 files of servers, models and module registries grew it past its 4 GB heap (a crash with no
  // result, 16 minutes in). Most tests wait on real servers, so two at a time also halves the time.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
    {
      // Fault tests: real processes killed, cut off and restarted (worker crashes, Postgres and Redis
      // outages, rolling stop, scale-out). Same globalSetup module as integration, so a full run shares
      // one database (jest runs each globalSetup module once).
      ...common,
      displayName: 'fault',
      testMatch: ['<rootDir>/tests/fault/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
    {
      // Security: worst-case inputs (regex time bombs, cache hammering, user regexes) against the real
      // API, worker and a production-flagged process. Same globalSetup module as integration.
      ...common,
      displayName: 'security',
      testMatch: ['<rootDir>/tests/security/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.js',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
    },
  ],
};
