// @ts-check
import { part } from './part.mjs';

// a call's timestamps and status, from the API and from provider events
export default part('timeline', {
  jestConfig: 'apps/api/jest.config.cts',
  specs: ['src/calls/call-timeline.spec.ts', 'src/integrations/provider-events.spec.ts'],
  mutate: ['apps/api/src/calls/call-timeline.ts'],
});
