import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { BASE_URL, snap } from './helpers/env';
import { signIn } from './helpers/ui';

test('create an API key, copy it once, use it, see its last use, revoke it', async ({
  page,
  context,
  request,
}) => {
  const owner = await new Api(request).signup();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('api-keys');
  await expect(section).toContainText('No API keys');

  await page.getByTestId('api-key-new').click();
  await page.getByTestId('api-key-name').fill('CRM sync');
  await page.getByTestId('api-key-role').click();
  await page.getByTestId('api-key-role-member').click();
  await page.getByTestId('api-key-create').click();

  // shown once, whole, in a field that copies it
  const secret = page.getByTestId('api-key-secret');
  await expect(secret).toHaveValue(/^acc_[0-9A-Za-z]{43}$/);
  const key = await secret.inputValue();
  await page.getByTestId('api-key-copy').click();
  await expect(page.getByText('Key copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await snap(page, 'api-key-created');
  await page.getByTestId('api-key-done').click();

  const row = page.getByTestId('api-key-row').filter({ hasText: 'CRM sync' });
  await expect(row.getByTestId('api-key-prefix')).toHaveText(`${key.slice(0, 10)}…`);
  await expect(row.getByTestId('api-key-last-used')).toHaveText('Never used');
  await expect(row).toContainText(owner.fullName);
  // the secret is gone from the page for good
  expect(await page.content()).not.toContain(key);

  // the key works as the workspace, at its role
  const asKey = { headers: { Authorization: `Bearer ${key}` } };
  const lead = await request.post(`${BASE_URL}/api/v1/leads`, {
    ...asKey,
    data: { phone: '+14155550191', firstName: 'Keyed' },
  });
  expect(lead.status()).toBe(201);
  expect((await request.get(`${BASE_URL}/api/v1/tenant`, asKey)).status()).toBe(200);

  await page.reload();
  await expect(row.getByTestId('api-key-last-used')).not.toHaveText('Never used');
  await section.scrollIntoViewIfNeeded();
  await snap(page, 'api-key-used');

  await row.getByTestId('api-key-revoke').click();
  await page.getByTestId('confirm-button').click();
  await expect(page.getByTestId('api-key-row')).toHaveCount(0);
  expect((await request.get(`${BASE_URL}/api/v1/tenant`, asKey)).status()).toBe(401);
});
