// @ts-check
import { part } from './part.mjs';

// the member rules: no role above your own, owners only by owners, always
// one active owner, invitations active only when accepted (the API specs
// prove the row locks under them, at a minute a run: too slow to mutate)
export default part('members', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: ['src/users/users.service.spec.ts'],
  mutate: ['apps/api/src/users/users.service.ts'],
});
