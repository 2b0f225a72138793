import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for the serving process. V8
 * allocates an allocation site's objects straight in old space once most of
 * them survive a scavenge. A request's objects (pg rows, their strings) do
 * survive one when it falls while the request waits on the database, and
 * die right after the answer: pretenured, they fill old space, cost
 * mark-compacts, and the decision stays for the life of the process (a few
 * slow requests were enough to put a server into that mode for good).
 * Without it a leads page costs ~15% less CPU (docs/performance.md, issue 17,
 * "Seventh pass"). NODE_OPTIONS does not accept this flag, so the server sets
 * it itself, before it builds anything; it applies to the worker thread of
 * heap-limit.ts as well (V8's flags are the process's).
 */
export function disablePretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
