import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookSender, urlRefusal } from './webhook-sender';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const message = { id: 'evt-1', body: '{"type":"ping","timestamp":"t","data":{}}', secret };

describe('webhook sender', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ headers: Record<string, string>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers as Record<string, string>, body });
        if (req.url === '/redirect') {
          res.writeHead(307, { location: '/ok' });
          return res.end();
        }
        if (req.url === '/slow') return; // never answers
        res.end('fine');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('signs per Standard Webhooks: the library verifies what it sent', async () => {
    const sender = new WebhookSender({ timeoutMs: 2_000, allowPrivate: true });
    const got = await sender.send(`${base}/ok`, message);
    sender.close();
    expect(got).toMatchObject({ ok: true, status: 200, body: 'fine', error: null });
    const { headers, body } = seen[seen.length - 1];
    expect(body).toBe(message.body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(message.body));
    expect(headers['webhook-id']).toBe('evt-1');
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const sender = new WebhookSender({ timeoutMs: 2_000, allowPrivate: true });
    const before = seen.length;
    const got = await sender.send(`${base}/redirect`, message);
    sender.close();
    expect(got).toMatchObject({ ok: false, status: 307, error: 'answered 307' });
    expect(seen.length).toBe(before + 1);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const sender = new WebhookSender({ timeoutMs: 300, allowPrivate: true });
    const got = await sender.send(`${base}/slow`, message);
    sender.close();
    expect(got).toMatchObject({ ok: false, status: null, error: 'no answer within 300 ms' });
  });

  it('without WEBHOOK_ALLOW_PRIVATE: https only, and no private address, checked after DNS', async () => {
    const sender = new WebhookSender({ timeoutMs: 2_000, allowPrivate: false });
    const before = seen.length;
    expect((await sender.send(`${base}/ok`, message)).error).toBe('the URL must use https');
    sender.close();
    // a public-looking name that resolves to an internal address: refused when connecting
    const rebound = new WebhookSender({
      timeoutMs: 2_000,
      allowPrivate: false,
      resolve: ((_host: string, _opts: unknown, cb: (e: null, a: unknown[]) => void) =>
        cb(null, [{ address: '10.0.0.5', family: 4 }])) as never,
    });
    const got = await rebound.send('https://hooks.example.com/x', message);
    rebound.close();
    expect(got).toMatchObject({
      ok: false,
      status: null,
      error: 'hooks.example.com resolves to 10.0.0.5, which is not public',
    });
    expect(seen.length).toBe(before);
  });

  it.each([
    ['http://hooks.example.com/x', 'must use https'],
    ['https://127.0.0.1/x', 'must not point at a private or local address'],
    ['https://[::1]/x', 'must not point at a private or local address'],
    ['https://169.254.169.254/latest', 'must not point at a private or local address'],
    ['https://localhost/x', 'must not point at a private or local address'],
    ['https://api.localhost/x', 'must not point at a private or local address'],
    ['https://hooks.example.com/x', null],
    ['https://93.184.215.14/x', null],
  ])('refuses %s when creating an endpoint: %s', (url, why) => {
    expect(urlRefusal(url, false)).toBe(why);
    expect(urlRefusal(url, true)).toBeNull();
  });
});
