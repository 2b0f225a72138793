import { bootFailureLines } from './boot-failure';
import { ConfigError } from './config/env';

describe('what a failed boot prints', () => {
  it('one line per bad variable', () => {
    expect(bootFailureLines(new ConfigError(['API_PORT: bad', 'JWT_SECRET: short']))).toEqual([
      'config error: API_PORT: bad',
      'config error: JWT_SECRET: short',
    ]);
  });

  it('one line for any other error, however its message is wrapped', () => {
    expect(bootFailureLines(new Error('cause;\n  fix'))).toEqual(['error: cause; fix']);
  });
});
