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
