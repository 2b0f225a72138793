import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap, uniqueEmail } from './helpers/env';
import { pathOf, waitForMailLink } from './helpers/mail';
import { signIn } from './helpers/ui';

test('invite a member, who accepts through the mailed link', async ({ page, request }) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-team').click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  // The only owner is protected in the UI.
  await expect(page.getByTestId('member-row').first()).toContainText('This is you');

  const email = uniqueEmail('invitee');
  await page.getByTestId('invite-member').click();
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-name').fill('Ivy Invitee');
  await page.getByTestId('invite-role').click();
  await page.getByTestId('role-option-member').click();
  await page.getByTestId('invite-submit').click();

  const row = page.getByTestId('member-row').filter({ hasText: email });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Invited');
  await snap(page, 'invite-member');

  const link = await waitForMailLink(email, '/accept-invite');
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await page.goto(pathOf(link));
  await page.getByTestId('reset-password').fill('invitee-password-123');
  await page.getByTestId('reset-confirm').fill('invitee-password-123');
  await page.getByTestId('reset-submit').click();
  await expect(page.getByTestId('reset-done')).toBeVisible();

  await signIn(page, email, 'invitee-password-123');
  await expect(page.getByTestId('current-tenant')).toHaveText(owner.tenantName);
  await expect(page.getByTestId('nav-team')).toHaveCount(0);
  await snap(page, 'invite-accepted');
});
