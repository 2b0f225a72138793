/* API tests: unit specs and API specs against a real PostgreSQL (see src/testing). */
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
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
  moduleFileExtensions: ['ts', 'js', 'html'],
  globalSetup: '<rootDir>/src/testing/global-setup.ts',
  testTimeout: 30_000,
  coverageDirectory: '../../coverage/apps/api',
};
