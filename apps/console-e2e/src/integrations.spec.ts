import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { BASE_URL, snap } from './helpers/env';
import { signIn } from './helpers/ui';

/** A Vapi end-of-call-report as docs.vapi.ai/server-url/end-of-call-report describes it (trimmed). */
function endOfCallReport(callId: string) {
  const startedAt = new Date(Date.now() - 10 * 60_000);
  const endedAt = new Date(startedAt.getTime() + 72_000);
  return {
    message: {
      type: 'end-of-call-report',
      timestamp: endedAt.getTime() + 2_000,
      endedReason: 'customer-ended-call',
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cost: 0.12,
      artifact: {
        messages: [
          { role: 'bot', message: 'Hi, this is Ava from Acme Insurance.', secondsFromStart: 0.6 },
          { role: 'user', message: 'Hello, is this about my renewal?', secondsFromStart: 4.2 },
        ],
        recording: { mono: { combinedUrl: `https://storage.vapi.ai/${callId}-mono.wav` } },
      },
      analysis: {
        summary: 'Dana asked about her renewal.',
        structuredData: { outcome: 'callback' },
        successEvaluation: 'true',
      },
      assistant: { id: 'asst_e2e', name: 'Ava (renewals)' },
      customer: { number: '+14155550177', name: 'Dana Lee' },
      phoneNumber: { number: '+14155550999' },
      call: { id: callId, type: 'outboundPhoneCall', assistantId: 'asst_e2e', status: 'ended' },
    },
  };
}

test('Settings, Integrations: copy the Vapi URL, set its secret; a call Vapi reports appears', async ({
  page,
  context,
  request,
}) => {
  const owner = await new Api(request).signup();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-settings').click();

  const vapi = page.getByTestId('integration-vapi');
  await vapi.scrollIntoViewIfNeeded();
  await expect(vapi.getByTestId('integration-vapi-state')).toHaveText('Not configured');
  await expect(page.getByTestId('integration-retell-state')).toHaveText('Not configured');
  const url = `${BASE_URL}/api/v1/integrations/vapi/events/${owner.tenantId}`;
  await expect(vapi.getByTestId('integration-vapi-url')).toHaveValue(url);
  await vapi.getByTestId('integration-vapi-copy').click();
  await expect(page.getByText('URL copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  const secret = 'e2e-vapi-secret-0123';
  const report = endOfCallReport(crypto.randomUUID());
  const deliver = () =>
    request.post(url, { data: report, headers: { Authorization: `Bearer ${secret}` } });
  // before the secret is set, the provider is refused
  expect((await deliver()).status()).toBe(401);

  await vapi.getByTestId('integration-vapi-secret').fill(secret);
  await vapi.getByTestId('integration-vapi-save').click();
  await expect(page.getByText('Vapi secret saved')).toBeVisible();
  await expect(vapi.getByTestId('integration-vapi-state')).toHaveText('Configured');
  await expect(vapi.getByTestId('integration-vapi-secret')).toHaveValue('');
  await expect(vapi.getByTestId('integration-vapi-last-event')).toHaveText('No event received yet');
  // write-only: the secret is nowhere on the page once saved, nor after a reload
  expect(await page.content()).not.toContain(secret);

  const res = await deliver();
  expect(res.status()).toBe(200);
  const { callId } = (await res.json()) as { callId: string };

  await page.reload();
  await expect(vapi.getByTestId('integration-vapi-last-event')).toContainText(
    'Last event received',
  );
  expect(await page.content()).not.toContain(secret);
  await vapi.scrollIntoViewIfNeeded();
  await snap(page, 'integrations-vapi-configured');

  await page.goto(`/calls/${callId}`);
  await expect(page.getByTestId('call-status')).toContainText(/completed/i);
  await expect(page.getByTestId('call-outcome')).toHaveText('Callback');
  await expect(page.getByTestId('transcript-turn')).toHaveCount(2);
  await snap(page, 'integrations-vapi-call');
});
