import { appendFileSync } from 'node:fs';

/**
 * A check that cannot run on this machine. On CI (CI=true) that is a failure
 * with this message; locally it is printed, and npm test lists it in its
 * closing summary (scripts/test.sh passes ACC_SKIP_LOG).
 */
export function cannotRunHere(what: string): void {
  if (process.env['CI'] === 'true') throw new Error(`cannot run on CI: ${what}`);
  const log = process.env['ACC_SKIP_LOG'];
  if (log) appendFileSync(log, `${what}\n`);
  process.stdout.write(`skipped: ${what}\n`);
}
