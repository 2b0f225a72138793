import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Development without JWT_SECRET: a random secret kept in the data folder, so
 * sign-ins survive restarts. Production requires JWT_SECRET (see env.ts).
 */
export function resolveJwtSecret(secret: string | undefined, dataDir: string): string {
  if (secret) return secret;
  const file = join(dataDir, '.jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  writeFileSync(file, generated, { mode: 0o600 });
  return generated;
}
