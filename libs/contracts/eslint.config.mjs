import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      // The contracts run in the browser too: nothing server-side may leak in.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'express', 'node:*'],
              message: 'contracts are browser-safe: no server imports',
            },
            { group: ['@angular/*'], message: 'contracts do not depend on the console' },
          ],
        },
      ],
    },
  },
];
