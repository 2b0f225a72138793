import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap, uniqueName } from './helpers/env';
import { signIn } from './helpers/ui';

test('create an agent', async ({ page, request }) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-agents').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await page.getByTestId('new-agent').click();
  const name = uniqueName('Ava reminders');
  await page.getByTestId('agent-save').click();
  await expect(page.getByText('Required').first()).toBeVisible();

  await page.getByTestId('agent-name').fill(name);
  await page.getByTestId('agent-prompt').fill('You remind patients of their appointments.');
  await page.getByTestId('agent-first-message').fill('Hi! This is Ava from Acme Dental.');
  await page.getByTestId('agent-language').fill('en-GB');
  await page.getByTestId('agent-save').click();

  await expect(page).toHaveURL(/\/agents$/);
  const row = page.getByTestId('agent-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.locator('app-status-chip')).toHaveText('Active');
  await snap(page, 'create-agent');

  // Pause it from the list.
  await row.getByTestId('agent-actions').click();
  await page.getByTestId('agent-pause').click();
  await expect(row.locator('app-status-chip')).toHaveText('Paused');
});

test('archived agents are hidden by default; the status filter shows them', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  await api.createAgent('Current Cora');
  await api.createAgent('Soon Sam');
  await api.post('/api/v1/agents', { name: 'Retired Rita', status: 'archived' });

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-agents').click();
  const names = page.getByTestId('agent-link');
  await expect(names).toHaveText(['Soon Sam', 'Current Cora']);
  await expect(page.getByTestId('agents-status-filter')).toContainText('Not archived');

  // archived from the list: it leaves the list
  const sam = page.getByTestId('agent-row').filter({ hasText: 'Soon Sam' });
  await sam.getByTestId('agent-actions').click();
  await page.getByTestId('agent-archive').click();
  await page.getByTestId('confirm-button').click();
  await expect(names).toHaveText(['Current Cora']);

  await page.getByTestId('agents-status-filter').click();
  await page.getByTestId('agents-status-all').click();
  await expect(page).toHaveURL(/status=all/);
  await expect(names).toHaveText(['Retired Rita', 'Soon Sam', 'Current Cora']);
  await page.reload();
  await expect(names).toHaveCount(3);
});
