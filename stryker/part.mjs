// @ts-check
// `npm run test:mutation`: one StrykerJS run per part (stryker/<part>.config.mjs),
// each mutating a few security-critical files against only the specs that
// prove them; docs/testing.md has the figures and every surviving mutant.

/**
 * @param {string} name the part, used for its report files
 * @param {{ jestConfig: string, specs: string[], mutate: string[] }} part
 *   specs relative to the jest config's rootDir
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function part(name, { jestConfig, specs, mutate }) {
  return {
    testRunner: 'jest',
    jest: {
      projectType: 'custom',
      configFile: jestConfig,
      enableFindRelatedTests: false,
      config: { testMatch: specs.map((s) => `<rootDir>/${s}`) },
    },
    mutate,
    coverageAnalysis: 'perTest',
    // a rerun tests only the mutants whose code or covering tests changed
    incremental: true,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    // two cores shared by several sessions
    concurrency: 1,
    timeoutMS: 60_000,
    // the API specs' first run (every test, with coverage) takes minutes on a loaded machine
    dryRunTimeoutMinutes: 30,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
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
}
