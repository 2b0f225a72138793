import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { signIn } from './helpers/ui';

/** A one-minute window twelve hours from now (UTC): nothing is dialed while the test runs. */
function closedWindow(): { start: string; end: string } {
  const hh = String((new Date().getUTCHours() + 12) % 24).padStart(2, '0');
  return { start: `${hh}:00`, end: `${hh}:01` };
}

test('create a campaign from the console, start it (its leads frozen, waiting for their window), pause, resume, cancel', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Campaign Ava');
  await api.createLead({ phone: '+14155550601', firstName: 'Ann', tags: ['spring'] });
  await api.createLead({ phone: '+14155550602', firstName: 'Ben', tags: ['spring'] });
  await api.createLead({ phone: '+14155550603', firstName: 'Cy', tags: ['autumn'] });
  await signIn(page, owner.email, owner.password);

  await page.getByTestId('nav-campaigns').click();
  await expect(page.getByText('No campaigns yet')).toBeVisible();
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Spring push');
  await page.getByTestId('campaign-agent').click();
  await page.getByRole('option', { name: agent.name }).click();
  await page.getByTestId('campaign-tags').fill('spring');
  for (const d of ['sat', 'sun'])
    await page.getByTestId(`campaign-day-${d}`).locator('input').check();
  const w = closedWindow();
  await page.getByTestId('campaign-window-start').fill(w.start);
  await page.getByTestId('campaign-window-end').fill(w.end);
  await page.getByTestId('campaign-zone-mode').click();
  await page.getByRole('option', { name: 'One time zone for all' }).click();
  await page.getByTestId('campaign-timezone').fill('UTC');
  await expect(page.getByTestId('campaign-window-summary')).toContainText(`${w.start}-${w.end}`);
  await page.getByTestId('campaign-create').click();

  await expect(page.getByTestId('campaign-title')).toContainText('Spring push');
  await expect(page.getByTestId('campaign-status')).toHaveText('Draft');
  await page.getByTestId('campaign-start').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Running');
  await expect(page.getByTestId('count-total')).toContainText('2');
  // the two spring leads, frozen at the start
  const rows = page.getByTestId('campaign-lead-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Ann' })).toBeVisible();
  await expect(rows.filter({ hasText: 'Cy' })).toHaveCount(0);
  await snap(page, 'campaign-running');

  await page.getByTestId('campaign-pause').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Paused');
  await page.getByTestId('campaign-resume').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Running');
  await page.getByTestId('campaign-cancel').click();
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('count-skipped')).toContainText('2');
  await expect(page.getByTestId('campaign-skipped-by')).toContainText('Cancelled 2');

  await page.getByTestId('nav-campaigns').click();
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Spring push' })).toContainText(
    'Cancelled',
  );
});

test('the do-not-call list in Settings, and a lead on it told why it is not called', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const lead = await api.createLead({ phone: '+14155550611', firstName: 'Dee' });
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('dnc');
  await expect(section).toContainText('No number on the list');
  await page.getByTestId('dnc-phone').fill('not a phone');
  await page.getByTestId('dnc-add').click();
  await expect(section).toContainText('Enter a phone number');
  await page.getByTestId('dnc-phone').fill('(415) 555-0611');
  await page.getByTestId('dnc-reason').fill('asked on the phone');
  await page.getByTestId('dnc-add').click();
  const row = page.getByTestId('dnc-row').filter({ hasText: '+1 415 555 0611' });
  await expect(row).toContainText('asked on the phone');
  await expect(row).toContainText(owner.fullName);

  await page.goto(`/leads/${lead.id}`);
  const panel = page.getByTestId('lead-eligibility');
  await expect(panel.getByTestId('eligibility-reasons')).toContainText(
    'on the do-not-call list since',
  );
  await expect(panel.getByTestId('eligibility-next')).toContainText('No wait will change this');
  await snap(page, 'lead-not-callable');

  await page.getByTestId('nav-settings').click();
  await row.getByTestId('dnc-remove').click();
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('dnc-row')).toHaveCount(0);
});

/** The workspace calls at any hour (the simulator's calls must not wait for a window). */
async function callAnyTime(api: Api): Promise<void> {
  const res = await api.put<{ maxConcurrentCalls: number }>('/api/v1/tenant/config', {
    timezone: 'UTC',
    callingWindowStart: '00:00',
    callingWindowEnd: '23:59',
    callingDays: [1, 2, 3, 4, 5, 6, 7],
    defaultAgentId: null,
    maxConcurrentCalls: 2,
    recordingEnabled: true,
  });
  expect(res.maxConcurrentCalls).toBe(2);
}

test('a campaign runs to completion on the simulator: outcomes per lead, a do-not-call disposition listed', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  await callAnyTime(api);
  const agent = await api.createAgent('Sim Ava');
  const outcomes = ['interested', 'callback', 'no_answer', 'do_not_call'];
  for (const [i, simulate] of outcomes.entries())
    await api.createLead({
      phone: `+1415555062${i}`,
      firstName: `Sim${i}`,
      tags: ['sim'],
      customFields: { simulate },
    });
  const campaign = await api.post<{ id: string }>('/api/v1/campaigns', {
    name: 'Simulated',
    agentId: agent.id,
    leads: { tags: ['sim'] },
    retry: { maxAttempts: 1, outcomes: ['no_answer'], delayMinutes: 60 },
  });
  await signIn(page, owner.email, owner.password);
  await page.goto(`/campaigns/${campaign.id}`);
  await page.getByTestId('campaign-start').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Running');
  // the page follows the run by itself
  await expect(page.getByTestId('campaign-status')).toHaveText('Completed', { timeout: 50_000 });
  await expect(page.getByTestId('count-completed')).toContainText('3');
  await expect(page.getByTestId('count-failed')).toContainText('1');
  const rows = page.getByTestId('campaign-lead-row');
  await expect(rows.filter({ hasText: 'Sim2' })).toContainText('1 of 1 attempts used');
  await expect(rows.filter({ hasText: 'Sim0' })).toContainText('reached: interested');
  await snap(page, 'campaign-completed');

  // the reached lead's call carries the agent's configuration in its transcript
  await rows.filter({ hasText: 'Sim0' }).getByRole('link', { name: 'Completed' }).click();
  await expect(page.getByText('simulated call by Sim Ava')).toBeVisible();

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('dnc-row').filter({ hasText: '+1 415 555 0623' })).toContainText(
    'a call (asked not to be called)',
  );
});

test('Call now from a lead: placed through the dialer when the rules allow it; an admin may call outside the hours', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Now Ava');
  const today = ((new Date().getUTCDay() + 6) % 7) + 1;
  await api.put('/api/v1/tenant/config', {
    timezone: 'UTC',
    callingWindowStart: '00:00',
    callingWindowEnd: '23:59',
    callingDays: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today),
    defaultAgentId: agent.id,
    maxConcurrentCalls: 5,
    recordingEnabled: true,
  });
  const lead = await api.createLead({
    phone: '+14155550631',
    firstName: 'Nowa',
    customFields: { simulate: 'interested' },
  });
  await signIn(page, owner.email, owner.password);
  await page.goto(`/leads/${lead.id}`);
  const panel = page.getByTestId('lead-eligibility');
  await expect(panel.getByTestId('eligibility-reasons')).toContainText('calling days');
  await expect(panel.getByTestId('call-now')).toBeDisabled();
  await panel.getByTestId('call-now-anyway').click();
  await expect(page.getByTestId('call-row')).toHaveCount(1);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId('call-row').first().textContent();
      },
      { timeout: 40_000 },
    )
    .toContain('Completed');
  await snap(page, 'lead-called-now');
});

test('Settings, Dialer: the simulator by default; a bridge with its signing secret shown once', async ({
  page,
  request,
}) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('dialer');
  await expect(section.getByTestId('dialer-type')).toContainText('Simulator');
  await section.getByTestId('dialer-type').click();
  await page.getByTestId('dialer-type-webhook').click();
  await section.getByTestId('dialer-save').click();
  await expect(section).toContainText('the webhook dialer needs the url of your bridge');
  await section.getByTestId('dialer-url').fill('https://bridge.example.com/dial');
  await section.getByTestId('dialer-caller-id').fill('+1 415 555 0100');
  await section.getByTestId('dialer-save').click();
  await expect(section.getByTestId('webhook-secret')).toHaveValue(/^whsec_/);
  await page.reload();
  await expect(page.getByTestId('dialer').getByTestId('dialer-type')).toContainText('Your bridge');
  await expect(page.getByTestId('dialer').getByTestId('dialer-caller-id')).toHaveValue(
    '+14155550100',
  );
  await expect(page.getByTestId('dialer').getByTestId('webhook-secret')).toHaveCount(0);
});
