import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL');

const duration = z
  .string()
  .regex(/^\d+\s*(s|m|h|d)?$/, 'must be a duration such as 3600, 90m, 24h or 7d');

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/**
 * Every variable the API reads. Each bad value is reported on one line at
 * boot; nothing else reads process.env.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_MIGRATION_URL: postgresUrl.optional(),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case role name')
    .optional(),
  DATABASE_READ_URLS: csv.pipe(z.array(postgresUrl)).default([]),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // 0 turns it off; the embedded database never sets it (one session: ending it ends the database)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(15_000),
  // unset: half of DATABASE_POOL_MAX, rounded up
  DATABASE_POOL_TENANT_MAX: z.coerce.number().int().min(1).max(200).optional(),
  MIGRATE_ON_BOOT: bool.default(true),
  MIGRATIONS_DIR: z.string().default('migrations'),
  DATA_DIR: z.string().default('data'),
  SEED_ON_EMPTY: bool.optional(),
  JWT_SECRET: z.string().optional(),
  JWT_EXPIRATION: duration.default('24h'),
  // seals the voice providers' secrets at rest; unset: derived from JWT_SECRET
  INTEGRATIONS_SECRETS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).default('ai-call-center'),
  JWT_AUDIENCE: z.string().min(1).default('ai-call-center-api'),
  API_PORT: port.default(8080),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: port.default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('AI Call Center <no-reply@localhost>'),
  // unset: the API's own port on localhost, where it serves the console
  FRONTEND_URL: z.url({ error: 'must be an absolute URL' }).optional(),
  CORS_ORIGINS: csv.default([]),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 1mb')
    .default('1mb'),
  TRUST_PROXY: z.string().default('loopback'),
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  UPLOAD_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(0).default(1_024),
  EXPORT_WRITE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SERVE_CONSOLE: bool.default(true),
  CONSOLE_DIST: z.string().default('dist/apps/console/browser'),
  API_URL: z.string().default(''),
  APP_NAME: z.string().default('AI Call Center'),
  APP_VERSION: z.string().optional(),
  THROTTLE_AUTH_LIMIT: z.coerce.number().int().min(1).default(10),
  THROTTLE_IP_LIMIT: z.coerce.number().int().min(1).default(30),
  THROTTLE_AUTH_TTL_SECONDS: z.coerce.number().int().min(1).default(60),
  // the job engine: a worker in this process (else only `main.js worker` processes run jobs)
  WORKER_IN_API: bool.default(true),
  // the worker's own connections (default DATABASE_URL): it LISTENs for new jobs, which needs a
  // session, so point it at PostgreSQL itself when DATABASE_URL is PgBouncer in transaction mode
  JOBS_DATABASE_URL: postgresUrl.optional(),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  // new jobs arrive by LISTEN/NOTIFY; the poll is the fallback
  JOBS_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  // the campaign simulator: ringing after one step, answered after two, a conversation of three
  // the providers' APIs for the vapi and retell dialers (tests point them at a local server)
  VAPI_API_URL: z.string().url().default('https://api.vapi.ai'),
  RETELL_API_URL: z.string().url().default('https://api.retellai.com'),
  SIMULATOR_STEP_MS: z.coerce.number().int().min(10).max(60_000).default(1_500),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // the first retry's delay; each next one is 4 times longer (with jitter)
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(15_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  // an endpoint whose every attempt failed for this long is disabled and its tenant's admins mailed
  WEBHOOK_DISABLE_AFTER: duration.default('5d'),
  // deliveries to loopback, private and other non-public addresses, and over plain http
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
});

export type Env = Omit<z.infer<typeof EnvSchema>, 'FRONTEND_URL'> & { FRONTEND_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** A URL's user and password never reach the error output: scheme://***@host. */
function withoutCredentials(value: string): string {
  return value.replace(/\/\/[^/\s]*@/g, '//***@');
}

/** Parses the environment, or throws one line per bad variable. */
/** `requireSecrets: false` for commands that issue no token (migrate). */
export function parseEnv(raw: NodeJS.ProcessEnv, { requireSecrets = true } = {}): Env {
  // An empty value means "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => {
        const key = String(i.path[0] ?? 'environment');
        const value =
          key in cleaned && !/SECRET|PASSWORD/.test(key)
            ? ` (got "${withoutCredentials(String(cleaned[key]))}")`
            : '';
        return `${key}: ${i.message}${value}`;
      });
  // Checked on its own so that it is reported together with any other bad value.
  const secretBytes = cleaned['JWT_SECRET'] ? Buffer.byteLength(cleaned['JWT_SECRET']) : 0;
  if (requireSecrets && cleaned['NODE_ENV'] === 'production' && secretBytes < 32) {
    problems.push(`JWT_SECRET: must be at least 32 bytes in production (got ${secretBytes})`);
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const env = result.data;
  return { ...env, FRONTEND_URL: env.FRONTEND_URL ?? `http://localhost:${env.API_PORT}` };
}

/** Seconds in a duration such as 90m or 24h. */
export function durationSeconds(d: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * Reads .env when present (variables already set win) and validates the
 * result: throws ConfigError with one line per bad value.
 */
export function loadEnvironment(opts: { requireSecrets?: boolean } = {}, file = '.env'): Env {
  if (existsSync(file)) process.loadEnvFile(file);
  return parseEnv(process.env, opts);
}
