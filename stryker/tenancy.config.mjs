// @ts-check
import { part } from './part.mjs';

// the tenant transaction: no scope, no query
export default part('tenancy', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: ['src/tenancy/db.service.spec.ts'],
  mutate: ['apps/api/src/tenancy/db.service.ts'],
});
