import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(__dirname, '..', 'main.ts');

let project: string | undefined;

/** The API's compiler settings, with @acc/contracts found from the repository root (for @swc-node/register). */
function swcProject(): string {
  if (project) return project;
  project = join(mkdtempSync(join(tmpdir(), 'acc-main-process-')), 'tsconfig.json');
  writeFileSync(
    project,
    JSON.stringify({
      extends: join(ROOT, 'apps', 'api', 'tsconfig.app.json'),
      compilerOptions: {
        baseUrl: ROOT,
        paths: { '@acc/contracts': ['libs/contracts/src/index.ts'] },
      },
    }),
  );
  return project;
}

/**
 * `main.js <command>` as its own process (main.ts compiled on the fly), as
 * systemd or compose run it, with only PATH and `env` in its environment;
 * its output is piped.
 */
export function spawnMain(command: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), MAIN, command], {
    env: { PATH: process.env['PATH'] ?? '', SWC_NODE_PROJECT: swcProject(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A TCP port free on 127.0.0.1 right now, for a process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
