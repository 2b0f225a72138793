// @ts-check
import { part } from './part.mjs';

// the idempotent call insert: duplicate provider deliveries, even concurrent
// ones, make one call (the insert and the two paths that use it)
export default part('calls', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: [
    'src/calls/calls.api.spec.ts',
    'src/integrations/integrations.api.spec.ts',
    'src/webhooks/webhooks.api.spec.ts',
    'src/audit/audit-routes.api.spec.ts',
  ],
  // line ranges of insertNew, create and recordReport: move them with the methods
  mutate: [
    'apps/api/src/calls/calls.repository.ts:100-122',
    'apps/api/src/calls/calls.service.ts:79-115',
    'apps/api/src/calls/calls.service.ts:146-197',
  ],
});
