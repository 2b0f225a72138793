// @ts-check
import { part } from './part.mjs';

// who may call what: the global auth guard
export default part('guard', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: ['src/access/auth.guard.spec.ts'],
  mutate: ['apps/api/src/access/auth.guard.ts'],
});
