import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * Settings for tests: receivers on loopback, 5 attempts 50 ms, 200 ms, 800 ms
 * and 3.2 s apart (production: 8 over a day), and a poll often enough to find
 * them when they are due.
 */
export const FAST_WEBHOOKS = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_MAX_ATTEMPTS: '5',
  WEBHOOK_TIMEOUT_MS: '2000',
  JOBS_POLL_INTERVAL_MS: '100',
};

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** the body as verified by the Standard Webhooks library with the endpoint's secret; null if it did not verify */
  verified: { type: string; timestamp: string; data: any } | null; // eslint-disable-line @typescript-eslint/no-explicit-any -- any JSON
}

/**
 * A real HTTP receiver of webhooks on loopback. Each request is verified with
 * the `standardwebhooks` library and the secret given for its path; `answer`
 * decides each request's fate (default 200).
 */
export async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const waiters: Array<() => void> = [];
  let answer: (r: Received, res: ServerResponse) => void = (_r, res) => res.end('ok');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      let verified: Received['verified'] = null;
      const secret = secrets.get(path);
      try {
        if (secret)
          verified = new Webhook(secret).verify(
            raw,
            req.headers as Record<string, string>,
          ) as never;
      } catch {
        verified = null;
      }
      const r: Received = { path, headers: req.headers, raw, verified };
      received.push(r);
      waiters.splice(0).forEach((w) => w());
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    /** the secret that requests to `path` are verified with */
    expect(path: string, secret: string) {
      secrets.set(path, secret);
    },
    /** how to answer from now on */
    answerWith(fn: (r: Received, res: ServerResponse) => void) {
      answer = fn;
    },
    /** waits until `count` requests matched `where` (newest state each time) */
    async waitFor(where: (r: Received) => boolean, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hits = received.filter(where);
        if (hits.length >= count) return hits;
        if (Date.now() > deadline)
          throw new Error(`receiver: ${hits.length} of ${count} requests after ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
