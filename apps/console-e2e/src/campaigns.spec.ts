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
  const row = page.getByTestId('dnc-row').filter({ hasText: '+14155550611' });
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
