// @ts-check
import { part } from './part.mjs';

// the member rules: no role above your own, owners only by owners, always
// one active owner, invitations active only when accepted
export default part('members', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: [
    'src/users/members.api.spec.ts',
    'src/auth/cross-tenant.api.spec.ts',
    'src/invitations/invitations.api.spec.ts',
    'src/audit/audit-routes.api.spec.ts',
  ],
  mutate: ['apps/api/src/users/users.service.ts'],
});
