// @ts-check
// `npm run test:mutation` (part 2): mutation testing of the API's
// security-critical rules, each against the specs that prove it (see
// docs/testing.md for the figures and the surviving mutants).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'apps/api/jest.config.cts',
    enableFindRelatedTests: false,
    config: {
      testMatch: [
        '<rootDir>/src/calls/call-timeline.spec.ts',
        '<rootDir>/src/integrations/provider-events.spec.ts',
        '<rootDir>/src/tenancy/db.service.spec.ts',
        '<rootDir>/src/access/auth.guard.spec.ts',
      ],
    },
  },
  mutate: [
    'apps/api/src/calls/call-timeline.ts',
    'apps/api/src/tenancy/db.service.ts',
    'apps/api/src/access/auth.guard.ts',
  ],
  coverageAnalysis: 'perTest',
  // two cores shared by several sessions
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/api.html' },
  jsonReporter: { fileName: 'reports/mutation/api.json' },
  tempDirName: 'tmp/stryker',
  cleanTempDir: 'always',
  ignorePatterns: [
    '/dist',
    '/tmp',
    '/coverage',
    '/reports',
    '/.nx',
    '/data',
    '/apps/console',
    '/apps/console-e2e',
    '/ops',
    '/docker',
    '/docs',
  ],
};
