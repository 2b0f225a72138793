// @ts-check
// `npm run test:mutation` (part 1): mutation testing of the pure
// security-critical contracts: the role order and phone normalisation.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'libs/contracts/jest.config.cts',
    enableFindRelatedTests: false,
  },
  mutate: ['libs/contracts/src/lib/phone.ts', 'libs/contracts/src/lib/common.ts:3-10'],
  coverageAnalysis: 'perTest',
  // two cores shared by several sessions
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/contracts.html' },
  jsonReporter: { fileName: 'reports/mutation/contracts.json' },
  tempDirName: 'tmp/stryker',
  cleanTempDir: 'always',
  ignorePatterns: [
    '/dist',
    '/tmp',
    '/coverage',
    '/reports',
    '/.nx',
    '/data',
    '/apps',
    '/ops',
    '/docker',
    '/docs',
  ],
};
