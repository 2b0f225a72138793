import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** APP_VERSION, else the root package.json's version. */
export function appVersion(): string {
  if (cached) return cached;
  if (process.env['APP_VERSION']) return (cached = process.env['APP_VERSION']);
  for (const dir of [process.cwd(), join(__dirname, '..', '..', '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'ai-call-center') return (cached = String(pkg.version));
    } catch {
      // try the next place
    }
  }
  return (cached = '0.0.0');
}
