import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(__dirname, 'main.ts');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/**
 * The API's entry point as a process: the real main.ts compiled on the fly
 * (@swc-node/register), run from an empty folder with only the variables
 * given, so neither the caller's environment nor a .env can interfere.
 */
function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const dir = cwd ?? mkdtempSync(join(tmpdir(), 'acc-cli-spec-'));
  try {
    const res = spawnSync(
      process.execPath,
      ['-r', require.resolve('@swc-node/register'), MAIN, ...args],
      {
        cwd: dir,
        env: {
          PATH: process.env['PATH'] ?? '',
          SWC_NODE_PROJECT: join(__dirname, '..', 'tsconfig.app.json'),
          ...env,
        },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  } finally {
    if (!cwd) rmSync(dir, { recursive: true, force: true });
  }
}

describe('main: the command line', () => {
  it.each(['--version', '-v'])('%s prints the package version and exits 0', (flag) => {
    const res = run([flag]);
    expect(res).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('a bad API_PORT and a short JWT_SECRET in production: exit 1, exactly two config error lines, no stack trace', () => {
    const res = run([], { NODE_ENV: 'production', API_PORT: 'abc', JWT_SECRET: 'short' });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('config error: '))).toBe(true);
    expect(lines.map((l) => l.split(':')[1].trim()).sort()).toEqual(['API_PORT', 'JWT_SECRET']);
    expect(res.stderr).not.toMatch(/\n\s+at |Error:|short/);
  });

  it('API_HEAP_MB that is not a whole number: exit 1 with one line', () => {
    const res = run([], { API_HEAP_MB: '1.5x' });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'error: API_HEAP_MB must be a whole number of megabytes (0 = no limit), got "1.5x"\n',
    );
  });

  it('reads a .env in the working folder; a variable already set wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-cli-spec-'));
    try {
      writeFileSync(join(dir, '.env'), 'API_PORT=abc\nLOG_LEVEL=loud\n');
      const fromFile = run([], { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, dir);
      expect(fromFile.code).toBe(1);
      expect(
        fromFile.stderr
          .trimEnd()
          .split('\n')
          .map((l) => l.split(':')[1].trim())
          .sort(),
      ).toEqual(['API_PORT', 'LOG_LEVEL']);

      const overridden = run(
        [],
        { NODE_ENV: 'production', JWT_SECRET: 'short', API_PORT: '9090', LOG_LEVEL: 'warn' },
        dir,
      );
      expect(overridden.code).toBe(1);
      expect(overridden.stderr).toMatch(/^config error: JWT_SECRET: [^\n]+\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown command: exit 1 with one error line', () => {
    const res = run(['frobnicate']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: unknown command "frobnicate"[^\n]*\n$/);
  });
});
