import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { signIn } from './helpers/ui';

test('open a call transcript', async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Transcript agent');
  const started = new Date(Date.now() - 10 * 60_000);
  const call = await api.createCall({
    agentId: agent.id,
    direction: 'outbound',
    status: 'completed',
    fromNumber: '+14155550000',
    toNumber: '+14155550144',
    startedAt: started.toISOString(),
    answeredAt: new Date(started.getTime() + 3_000).toISOString(),
    endedAt: new Date(started.getTime() + 95_000).toISOString(),
    outcome: 'appointment_booked',
    sentiment: 'positive',
    summary: 'The patient confirmed Tuesday at 10am.',
    cost: 0.42,
    recordingUrl: 'https://recordings.example.com/call.mp3',
    transcript: [
      { role: 'agent', text: 'Hi, this is Ava from Acme Dental.', startMs: 500 },
      { role: 'lead', text: 'Hello! Is this about my cleaning?', startMs: 3200 },
      { role: 'agent', text: 'Yes, Tuesday at 10am. Does that still work?', startMs: 5400 },
      { role: 'lead', text: 'It does, thanks.', startMs: 9100 },
    ],
  });

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-calls').click();
  await page.getByTestId('call-row').first().click();

  await expect(page).toHaveURL(new RegExp(`/calls/${call.id}$`));
  const turns = page.getByTestId('transcript-turn');
  await expect(turns).toHaveCount(4);
  await expect(turns.nth(0)).toHaveAttribute('data-role', 'agent');
  await expect(turns.nth(1)).toContainText('Is this about my cleaning?');
  await expect(page.getByTestId('call-summary')).toContainText('confirmed Tuesday');
  await expect(page.getByTestId('call-sentiment')).toHaveText('Positive');
  await expect(page.getByTestId('recording-link')).toHaveAttribute(
    'href',
    'https://recordings.example.com/call.mp3',
  );
  await snap(page, 'call-transcript');
});

test('a dashboard bar opens the calls of that day', async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Dashboard agent');
  await api.createCall({
    agentId: agent.id,
    direction: 'inbound',
    status: 'completed',
    fromNumber: '+14155550155',
    toNumber: '+14155550000',
    startedAt: new Date().toISOString(),
  });
  await signIn(page, owner.email, owner.password);
  await expect(page.getByTestId('stat-calls')).toHaveText('1');
  // The dashboard is a long page: the top toolbar must keep its height on it too.
  await expect(page.locator('mat-toolbar.toolbar')).toHaveCSS('height', '56px');
  const bar = page.locator('[data-testid="chart-bar"]').last();
  await bar.click();
  await expect(page).toHaveURL(/\/calls\?from=.*&to=/);
  await expect(page.getByTestId('call-row')).toHaveCount(1);
  await snap(page, 'dashboard-bar-to-calls');
});

test('the dashboard chart: axes with values, the previous period, one tab stop', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Chart agent');
  for (const toNumber of ['+14155550156', '+14155550157']) {
    await api.createCall({
      agentId: agent.id,
      direction: 'outbound',
      status: 'completed',
      fromNumber: '+14155550000',
      toNumber,
      startedAt: new Date().toISOString(),
    });
  }
  await signIn(page, owner.email, owner.password);
  await expect(page.getByTestId('stat-calls')).toHaveText('2');
  await expect(page.getByTestId('chart-y-axis')).toHaveText(/0\s*1\s*2/);
  await expect(page.getByTestId('chart-x-axis').locator('span')).toHaveCount(7);
  await expect(page.getByTestId('compare-calls')).toHaveText('no calls in the previous 30 days');
  await page.getByTestId('chart-x-axis').scrollIntoViewIfNeeded();
  await snap(page, 'dashboard-chart');

  const bars = page.getByTestId('chart-bar');
  await expect(bars).toHaveCount(30);
  await expect(page.locator('[data-testid="chart-bar"][tabindex="0"]')).toHaveCount(1);
  // Tab from the link above the chart reaches it on today's bar
  await page.getByRole('link', { name: 'All calls in range' }).focus();
  await page.keyboard.press('Tab');
  await expect(bars.last()).toBeFocused();
  await expect(bars.last()).toHaveAttribute('aria-label', /\d{4}: 2 calls, \d+ connected$/);
  await page.keyboard.press('ArrowLeft');
  await expect(bars.nth(28)).toBeFocused();
  await expect(bars.nth(28)).toHaveAttribute('aria-label', /: 0 calls, 0 connected$/);
  await page.keyboard.press('Home');
  await expect(bars.first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('[data-testid="chart-bar"]:focus')).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await expect(bars.first()).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/calls\?from=.*&to=/);
  await expect(page.getByTestId('call-row')).toHaveCount(2);
});

test("a call's page names its lead; each record's tab names it", async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Ava');
  const lead = await api.createLead({
    firstName: 'Grace',
    lastName: 'Hopper',
    phone: '+1 415 555 0161',
  });
  const call = await api.createCall({
    agentId: agent.id,
    leadId: lead.id,
    direction: 'outbound',
    status: 'completed',
    fromNumber: '+14155550000',
    toNumber: lead.phone,
  });
  await signIn(page, owner.email, owner.password);

  await page.goto(`/calls/${call.id}`);
  await expect(page.getByTestId('call-lead-name')).toHaveText('Grace Hopper');
  await expect(page.getByTestId('call-lead-link')).toHaveText('Grace Hopper');
  await expect(page).toHaveTitle(/^Call with Grace Hopper · Call · /);

  await page.getByTestId('call-lead-name').click();
  await expect(page).toHaveURL(new RegExp(`/leads/${lead.id}$`));
  await expect(page).toHaveTitle(/^Grace Hopper · Lead · /);

  await page.goto(`/agents/${agent.id}`);
  await expect(page).toHaveTitle(/^Ava · Agent · /);
  await page.goto('/agents');
  await expect(page).toHaveTitle(/^Agents · /);
});
