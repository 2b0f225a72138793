// @ts-check
import { part } from './part.mjs';

// the role order and phone normalisation
export default part('contracts', {
  jestConfig: 'libs/contracts/jest.config.cts',
  specs: ['src/lib/contracts.spec.ts'],
  mutate: ['libs/contracts/src/lib/phone.ts', 'libs/contracts/src/lib/common.ts:3-10'],
});
