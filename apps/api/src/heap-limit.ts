import { getHeapStatistics } from 'node:v8';
import { SHARE_ENV, Worker, isMainThread } from 'node:worker_threads';

const DEFAULT_HEAP_MB = 384;

/**
 * Without a heap limit V8 lets the old generation grow far past the live heap
 * under load (a bare `node main.js` peaked at 349 MB RSS for ~55 MB live, see
 * docs/performance.md "Memory"), and Node cannot set the limit once running.
 * So a server started without `--max-old-space-size` runs in one worker thread
 * whose old generation is limited to API_HEAP_MB (default 384; 0 turns this
 * off): the same single process, with the limit the production units set.
 * Returns false when the caller should serve on this thread.
 */
export async function serveInLimitedThread(argv: string[]): Promise<boolean> {
  const limitMb = heapLimitMb();
  if (!isMainThread || limitMb === 0 || alreadyLimited()) return false;
  const worker = new Worker(process.argv[1], {
    argv,
    env: SHARE_ENV,
    resourceLimits: { maxOldGenerationSizeMb: limitMb },
  });
  // signals reach the main thread only: the server drains on the message instead
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => worker.postMessage({ signal }));
  }
  const code = await new Promise<number>((resolve) => {
    worker.once('exit', resolve);
    worker.once('error', (e) => {
      process.stderr.write(`error: ${e.message}\n`);
      resolve(1);
    });
  });
  process.exit(code);
}

function heapLimitMb(): number {
  const raw = process.env['API_HEAP_MB'];
  if (raw === undefined || raw === '') return DEFAULT_HEAP_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 0) {
    throw new Error(`API_HEAP_MB must be a whole number of megabytes (0 = no limit), got "${raw}"`);
  }
  return mb;
}

/** A limit given on the command line or in NODE_OPTIONS wins. */
function alreadyLimited(): boolean {
  const flags = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`;
  return (
    /--max-old-space-size|--max_old_space_size/.test(flags) ||
    getHeapStatistics().heap_size_limit < 1024 * 1024 * 1024
  );
}
