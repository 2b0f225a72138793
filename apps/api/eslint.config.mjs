import baseConfig, { boundaries } from '../../eslint.config.mjs';

/**
 * The API's folders from the bottom up (docs/decisions.md, "Layers"): a
 * folder imports only from folders below it, never from one beside or above
 * it, so there are no import loops between folders. Files at the top of
 * src/ (main, server, cli, app.module, app.factory) only wire things up.
 */
const LAYERS = [
  ['config'],
  ['database', 'redis', 'mail'],
  ['common'],
  ['tenancy'],
  ['jobs'],
  ['metrics', 'throttling'],
  ['usage'],
  ['access'],
  ['audit'],
  ['users'],
  ['tenants'],
  ['auth', 'agents', 'api-keys'],
  ['invitations'],
  ['webhooks'],
  ['leads'],
  ['calls'],
  ['integrations'],
  ['campaigns'],
  ['seed', 'health', 'console-host'],
];

const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));

const layerRules = [...rank.keys()].map((folder) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [...rank.keys()]
          .filter((other) => other !== folder && rank.get(other) >= rank.get(folder))
          .map((other) => ({
            group: [`../${other}`, `../${other}/*`, `../../${other}/*`],
            message: `${folder}/ may import only from the folders below it (apps/api/eslint.config.mjs)`,
          })),
      },
    ],
  },
}));

/** SQL is the repositories' (each table has one owner); services and controllers call them. */
const noSqlOutsideRepositories = {
  files: ['src/**/*.service.ts', 'src/**/*.controller.ts'],
  // the pool and the tenant transaction themselves
  ignores: ['src/database/**', 'src/tenancy/**'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector:
          'CallExpression[callee.property.name=/^(query|execute|manager|createQueryBuilder)$/]',
        message: "SQL belongs to the table's repository; call a repository method",
      },
    ],
  },
};

/** The specs hold the integrators' client (libs/api-client) to the real API; the API itself never imports it. */
const specsUseTheClient = {
  files: ['src/**/*.spec.ts'],
  rules: { '@nx/enforce-module-boundaries': boundaries({ api: ['scope:api-client'] }) },
};

export default [...baseConfig, ...layerRules, noSqlOutsideRepositories, specsUseTheClient];
