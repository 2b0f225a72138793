import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { isPublicAddress } from './public-address';

/** What one attempt got: an answer (any status) or the reason there was none. */
export interface Attempt {
  ok: boolean;
  status: number | null;
  /** the first KB of the answer */
  body: string | null;
  error: string | null;
  durationMs: number;
}

export interface SenderOptions {
  timeoutMs: number;
  /** plain http and non-public addresses (development and tests) */
  allowPrivate: boolean;
  /** name resolution (dns.lookup unless a test gives its own) */
  resolve?: typeof dnsLookup;
}

/** A message to send: the stored body, signed anew on each attempt with the attempt's time. */
export interface Message {
  id: string;
  body: string;
  secret: string;
}

const LOGGED_BYTES = 1024;
// an answer is read this far at most (then the connection is dropped): a receiver cannot stream forever
const READ_LIMIT = 64 * 1024;

/** Why a URL may not be used when only public https endpoints are allowed; null when it may. */
export function urlRefusal(url: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const u = new URL(url);
  if (u.protocol !== 'https:') return 'must use https';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isPublicAddress(host)) return 'must not point at a private or local address';
  if (host === 'localhost' || host.endsWith('.localhost'))
    return 'must not point at a private or local address';
  return null;
}

/**
 * Resolves like dns.lookup, but refuses when any address the name resolves
 * to is not public: checked at connect time, after DNS, so a name that
 * later resolves to an internal address (DNS rebinding) is refused too.
 */
const publicOnlyLookup =
  (resolve: typeof dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused || addresses.length === 0) {
        const e = Object.assign(
          new Error(
            `${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not public`,
          ),
          { code: 'EWEBHOOKADDRESS' },
        );
        return callback(e, '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };

/**
 * POSTs signed webhook messages (Standard Webhooks: webhook-id,
 * webhook-timestamp, webhook-signature). Redirects are not followed (a 3xx
 * is a failed attempt); the whole attempt is bounded by timeoutMs.
 */
export class WebhookSender {
  // connections to a receiver are reused between deliveries
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly opts: SenderOptions) {}

  headers(m: Message, at: Date): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'ai-call-center-webhooks/1',
      'webhook-id': m.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(m.secret).sign(m.id, at, m.body),
    };
  }

  async send(url: string, m: Message): Promise<Attempt> {
    const started = Date.now();
    const refusal = urlRefusal(url, this.opts.allowPrivate);
    if (refusal) return failed(`the URL ${refusal}`, started);
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const finish = (a: Attempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(a);
      };
      const req = lib.request(
        target,
        {
          method: 'POST',
          headers: this.headers(m, new Date()),
          agent: this.agents[target.protocol as 'http:' | 'https:'],
          lookup: this.opts.allowPrivate
            ? undefined
            : publicOnlyLookup(this.opts.resolve ?? dnsLookup),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let read = 0;
          res.on('data', (c: Buffer) => {
            if (read < LOGGED_BYTES) chunks.push(c);
            read += c.length;
            if (read > READ_LIMIT) res.destroy();
          });
          const done = () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            finish({
              ok,
              status,
              body: Buffer.concat(chunks).subarray(0, LOGGED_BYTES).toString('utf8'),
              error: ok ? null : `answered ${status}`,
              durationMs: Date.now() - started,
            });
          };
          res.on('end', done);
          res.on('close', done);
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish(failed(`no answer within ${this.opts.timeoutMs} ms`, started));
      }, this.opts.timeoutMs);
      req.on('error', (e: Error) => finish(failed(e.message, started)));
      req.end(m.body);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

function failed(error: string, started: number): Attempt {
  return { ok: false, status: null, body: null, error, durationMs: Date.now() - started };
}
