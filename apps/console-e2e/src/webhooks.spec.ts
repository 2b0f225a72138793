import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { signIn } from './helpers/ui';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback: keeps what it gets, answers 200 or, while `failing`, 500. */
async function receiver() {
  const got: Received[] = [];
  const state = { failing: false };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = state.failing ? 500 : 200;
      res.end(state.failing ? 'receiver down' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/acc`;
  return { url, got, state, close: () => new Promise((r) => server.close(r)) };
}

/** The event types the receiver verified with `secret` (Standard Webhooks), in arrival order. */
const verifiedTypes = (got: Received[], secret: string) =>
  got.flatMap((r) => {
    try {
      const m = new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
      return [(m as { type: string }).type];
    } catch {
      return [];
    }
  });

test('webhooks: add an endpoint (secret once), events arrive signed, test, delivery log with retry, rotate, delete', async ({
  page,
  context,
  request,
}) => {
  const rx = await receiver();
  try {
    const api = new Api(request);
    const owner = await api.signup();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, owner.email, owner.password);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('webhooks-open').click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText('No endpoints')).toBeVisible();

    await page.getByTestId('webhook-new').click();
    await page.getByTestId('webhook-url').fill(rx.url);
    await page.getByTestId('webhook-description').fill('CRM');
    await page.getByTestId('webhook-save').click();
    await expect(page.getByText('Choose at least one event')).toBeVisible();
    await page.getByTestId('webhook-event-lead.created').getByRole('checkbox').check();
    await page.getByTestId('webhook-save').click();

    // the secret, once, copied whole
    const field = page.getByTestId('webhook-secret');
    await expect(field).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const secret = await field.inputValue();
    await page.getByTestId('webhook-secret-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByTestId('webhook-done').click();
    const row = page.getByTestId('webhook-row');
    await expect(row).toContainText(rx.url);
    await expect(row).toContainText('lead.created');
    expect(await page.content()).not.toContain(secret);

    // a lead made elsewhere arrives, signed with that secret
    await api.post('/api/v1/leads', { phone: '+14155550177', firstName: 'Hooked' });
    await expect.poll(() => verifiedTypes(rx.got, secret)).toEqual(['lead.created']);
    const log = page.getByTestId('webhook-deliveries');
    await log.getByTestId('deliveries-refresh').click();
    const first = log.getByTestId('delivery-row').first();
    await expect(first).toContainText('lead.created');
    await expect(first.getByTestId('delivery-status')).toHaveText('Succeeded');
    await expect(first.getByTestId('delivery-answer')).toContainText('200');

    // a test ping to a receiver that is down: both attempts fail, then a retry delivers it
    rx.state.failing = true;
    await page.getByTestId('webhook-test').click();
    await expect(page.getByText('Test event sent')).toBeVisible();
    await expect(async () => {
      await log.getByTestId('deliveries-refresh').click();
      await expect(
        log.getByTestId('delivery-row').first().getByTestId('delivery-status'),
      ).toHaveText('Failed', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    const ping = log.getByTestId('delivery-row').first();
    await expect(ping).toContainText('ping');
    await expect(ping.getByTestId('delivery-attempts')).toHaveText('2');
    await expect(ping.getByTestId('delivery-answer')).toContainText('500');
    await expect(ping.getByTestId('delivery-answer')).toContainText('receiver down');
    await snap(page, 'webhook-failed');

    rx.state.failing = false;
    await ping.getByTestId('delivery-retry').click();
    await expect(async () => {
      await log.getByTestId('deliveries-refresh').click();
      await expect(
        log.getByTestId('delivery-row').first().getByTestId('delivery-status'),
      ).toHaveText('Succeeded', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(
      log.getByTestId('delivery-row').first().getByTestId('delivery-attempts'),
    ).toHaveText('3');
    // the same event each time: one webhook-id for the three attempts
    const pings = rx.got.filter((r) => r.body.includes('"type":"ping"'));
    expect(pings).toHaveLength(3);
    expect(new Set(pings.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await snap(page, 'webhook-delivered');

    // a rotated secret signs from then on
    await page.getByTestId('webhook-menu').click();
    await page.getByTestId('webhook-rotate').click();
    await page.getByTestId('confirm-button').click();
    await expect(page.getByTestId('webhook-secret')).not.toHaveValue(secret);
    const rotated = await page.getByTestId('webhook-secret').inputValue();
    await page.getByTestId('webhook-done').click();
    await page.getByTestId('webhook-test').click();
    await expect.poll(() => verifiedTypes(rx.got, rotated)).toEqual(['ping']);

    // disabled: a change sends it nothing (its delivery would be written with the change)
    await page.getByTestId('webhook-enabled').click();
    await expect(page.getByTestId('webhook-enabled')).toContainText('Disabled');
    await api.post('/api/v1/leads', { phone: '+14155550178' });
    const [endpoint] = (await api.get<{ data: Array<{ id: string }> }>('/api/v1/webhooks')).data;
    const sent = await api.get<{ data: Array<{ type: string }> }>(
      `/api/v1/webhooks/${endpoint.id}/deliveries?limit=200`,
    );
    expect(sent.data.filter((d) => d.type === 'lead.created')).toHaveLength(1);

    await page.getByTestId('webhook-menu').click();
    await page.getByTestId('webhook-delete').click();
    await page.getByTestId('confirm-button').click();
    await expect(page.getByText('No endpoints')).toBeVisible();
  } finally {
    await rx.close();
  }
});
