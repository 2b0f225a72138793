import nx from '@nx/eslint-plugin';

/**
 * Which projects may import which, by tag. The API client (libs/api-client)
 * is for integrators: only the API's specs, which hold it to the real API,
 * import it (apps/api/eslint.config.mjs).
 */
export const boundaries = (extra = {}) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: [
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      {
        sourceTag: 'scope:api',
        onlyDependOnLibsWithTags: ['scope:shared', 'scope:api', ...(extra.api ?? [])],
      },
      { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared', 'scope:console'] },
      { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:api-client', onlyDependOnLibsWithTags: ['scope:api-client'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/test-output', 'data/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      // The console never imports API code; contracts import neither side.
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
];
