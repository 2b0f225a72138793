import { ConfigError } from './config/env';

/**
 * What the process prints before it exits 1 at boot: one line per bad
 * variable, else one line for the error (its cause and fix), never a stack.
 */
export function bootFailureLines(e: unknown): string[] {
  if (e instanceof ConfigError) return e.problems.map((p) => `config error: ${p}`);
  const message = e instanceof Error ? e.message : String(e);
  return [`error: ${message.replace(/\s*\n\s*/g, ' ')}`];
}
