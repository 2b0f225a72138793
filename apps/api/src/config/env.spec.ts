import { ConfigError, durationSeconds, parseEnv } from './env';

const SECRET_32 = 'x'.repeat(32);

/** The problems parseEnv reports, or [] when it accepts the environment. */
function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
}

describe('parseEnv: one clear line per bad value', () => {
  it('fills in the documented defaults', () => {
    expect(parseEnv({})).toMatchObject({
      NODE_ENV: 'development',
      API_PORT: 8080,
      API_HOST: '0.0.0.0',
      DATABASE_POOL_MAX: 10,
      DATABASE_POOL_WAIT_MS: 2_000,
      MIGRATE_ON_BOOT: true,
      DATA_DIR: 'data',
      JWT_EXPIRATION: '24h',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      CORS_ORIGINS: [],
      BODY_LIMIT: '1mb',
      THROTTLE_AUTH_LIMIT: 10,
      THROTTLE_IP_LIMIT: 30,
      THROTTLE_AUTH_TTL_SECONDS: 60,
    });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    expect(
      parseEnv({
        API_PORT: '3000',
        MIGRATE_ON_BOOT: 'false',
        SMTP_SECURE: 'yes',
        DATABASE_POOL_MAX: '25',
      }),
    ).toMatchObject({
      API_PORT: 3000,
      MIGRATE_ON_BOOT: false,
      SMTP_SECURE: true,
      DATABASE_POOL_MAX: 25,
    });
  });

  it('treats an empty value as unset', () => {
    expect(parseEnv({ API_PORT: '', DATABASE_URL: '', CORS_ORIGINS: '' })).toMatchObject({
      API_PORT: 8080,
      CORS_ORIGINS: [],
    });
  });

  it.each(['abc', '0', '70000', '8080.5', '-1'])(
    'API_PORT=%s -> one line naming API_PORT and the value',
    (port) => {
      const lines = problems({ API_PORT: port });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^API_PORT: /);
      expect(lines[0]).toContain(`"${port}"`);
      expect(lines[0]).not.toContain('\n');
    },
  );

  it('production with a short JWT_SECRET -> one line naming JWT_SECRET, without echoing it', () => {
    const lines = problems({ NODE_ENV: 'production', JWT_SECRET: 'short-secret' });
    expect(lines).toEqual([expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes/)]);
    expect(lines[0]).not.toContain('short-secret');
  });

  it('production without JWT_SECRET -> refused', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
  });

  it('counts the secret in bytes: 32 bytes pass, 31 do not', () => {
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: SECRET_32 })).toEqual([]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'é'.repeat(16) })).toEqual([]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) })).toHaveLength(1);
  });

  it('a short secret outside production is allowed (development convenience)', () => {
    expect(problems({ NODE_ENV: 'development', JWT_SECRET: 'short' })).toEqual([]);
  });

  it('both at once -> two lines, one per variable', () => {
    const lines = problems({ NODE_ENV: 'production', JWT_SECRET: 'short', API_PORT: 'abc' });
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['API_PORT', 'JWT_SECRET']);
    const error = new ConfigError(lines);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('points mail links at the API port when FRONTEND_URL is unset (the API serves the console)', () => {
    expect(parseEnv({}).FRONTEND_URL).toBe('http://localhost:8080');
    expect(parseEnv({ API_PORT: '18099' }).FRONTEND_URL).toBe('http://localhost:18099');
    expect(
      parseEnv({ API_PORT: '18099', FRONTEND_URL: 'https://app.example.com' }).FRONTEND_URL,
    ).toBe('https://app.example.com');
  });

  it('reports every bad variable, not just the first', () => {
    const lines = problems({
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'huge',
      MIGRATE_ON_BOOT: 'maybe',
      FRONTEND_URL: 'not a url',
    });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'BODY_LIMIT',
      'FRONTEND_URL',
      'LOG_LEVEL',
      'MIGRATE_ON_BOOT',
    ]);
  });

  it("never prints a URL's credentials", () => {
    const lines = problems({
      DATABASE_URL: 'mysql://api:hunter2@db.internal:3306/acc',
      REDIS_URL: 'http://:p%40ss@cache:6379',
    });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'REDIS_URL']);
    expect(lines.join('\n')).not.toMatch(/hunter2|p%40ss/);
    expect(lines.join('\n')).toContain('db.internal');
  });

  it.each([
    ['http://console.test', ['http://console.test']],
    [' http://a.test , ,http://b.test,', ['http://a.test', 'http://b.test']],
    [
      'https://x.example.com,https://y.example.com',
      ['https://x.example.com', 'https://y.example.com'],
    ],
  ])('CORS_ORIGINS=%j -> %j', (raw, origins) => {
    expect(parseEnv({ CORS_ORIGINS: raw }).CORS_ORIGINS).toEqual(origins);
  });

  it('DATABASE_READ_URLS must all be PostgreSQL URLs', () => {
    expect(
      parseEnv({ DATABASE_READ_URLS: 'postgres://a/x, postgresql://b/y' }).DATABASE_READ_URLS,
    ).toEqual(['postgres://a/x', 'postgresql://b/y']);
    expect(problems({ DATABASE_READ_URLS: 'postgres://a/x,redis://b' })).toEqual([
      expect.stringMatching(/^DATABASE_READ_URLS: /),
    ]);
  });

  it.each([
    ['3600', 3600],
    ['90m', 5400],
    ['24h', 86_400],
    ['7d', 604_800],
  ])('durationSeconds(%s) = %d', (d, s) => {
    expect(durationSeconds(d)).toBe(s);
  });

  it('refuses a malformed JWT_EXPIRATION', () => {
    expect(problems({ JWT_EXPIRATION: 'forever' })).toEqual([
      expect.stringMatching(/^JWT_EXPIRATION: /),
    ]);
  });
});
