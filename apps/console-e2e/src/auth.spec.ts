import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap, uniqueEmail, uniqueName } from './helpers/env';
import { pathOf, waitForMailLink } from './helpers/mail';
import { signIn, signOut } from './helpers/ui';

test('sign up creates a workspace and lands on the dashboard', async ({ page }) => {
  const tenantName = uniqueName('Signup Co');
  await page.goto('/signup');
  await page.getByTestId('signup-tenant').fill(tenantName);
  await page.getByTestId('signup-name').fill('Sam Signup');
  await page.getByTestId('signup-email').fill(uniqueEmail('signup'));
  await page.getByTestId('signup-password').fill('correct-horse-battery');
  await page.getByTestId('signup-submit').click();

  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId('current-tenant')).toHaveText(tenantName);
  await expect(page.getByTestId('stat-cards')).toBeVisible();
  await snap(page, 'sign-up');
});

test('sign up shows field errors from the shared schema', async ({ page }) => {
  await page.goto('/signup');
  await page.getByTestId('signup-email').fill('not-an-email');
  await page.getByTestId('signup-password').fill('short');
  await page.getByTestId('signup-submit').click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('At least 8 characters').first()).toBeVisible();
  await snap(page, 'sign-up-errors');
});

test('sign in returns to the page that was asked for', async ({ page, request }) => {
  const owner = await new Api(request).signup();
  await page.goto('/agents');
  await expect(page).toHaveURL(/\/login\?returnUrl=%2Fagents/);

  await page.getByTestId('login-email').fill(owner.email);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('Incorrect email or password');

  await page.getByTestId('login-password').fill(owner.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByTestId('current-tenant')).toHaveText(owner.tenantName);
  await snap(page, 'sign-in');
});

test('reset a password through the mailed link', async ({ page, request }) => {
  const owner = await new Api(request).signup();
  await page.goto('/forgot-password');
  await page.getByTestId('forgot-email').fill(owner.email);
  await page.getByTestId('forgot-submit').click();
  await expect(page.getByTestId('forgot-done')).toBeVisible();

  const link = await waitForMailLink(owner.email, '/reset-password');
  expect(link).toContain('token=');
  await page.goto(pathOf(link));
  // the link is checked as the page opens: it names the account it is for
  await expect(page.getByTestId('reset-for')).toContainText(owner.email);
  const newPassword = 'a-brand-new-password-42';
  await page.getByTestId('reset-password').fill(newPassword);
  await page.getByTestId('reset-confirm').fill(newPassword);
  await page.getByTestId('reset-submit').click();
  await expect(page.getByTestId('reset-done')).toBeVisible();

  // The link is single-use, and says so as soon as it is opened again: no password to type.
  await page.goto(pathOf(link));
  await expect(page.getByTestId('reset-link-dead')).toContainText('expired or was already used');
  await expect(page.getByTestId('reset-password')).toHaveCount(0);

  await signIn(page, owner.email, newPassword);
  await expect(page).toHaveURL(/\/dashboard/);
  await signOut(page);
  await snap(page, 'reset-password');
});

test('a dead reset or invitation link says so as the page opens', async ({ page }) => {
  await page.goto(`/reset-password?token=${'x'.repeat(43)}`);
  await expect(page.getByTestId('reset-link-dead')).toContainText('expired or was already used');
  await expect(page.getByTestId('reset-password')).toHaveCount(0);
  await snap(page, 'reset-link-dead');

  await page.goto(`/accept-invite?token=${'x'.repeat(43)}`);
  await expect(page.getByTestId('invite-invalid')).toContainText('no longer valid');
  await expect(page.locator('input[type=password]')).toHaveCount(0);
});

test('a reload with a stored token the API refuses, or an expired one, goes to sign in', async ({
  page,
  request,
}) => {
  const owner = await new Api(request).signup();
  const stored = (change: 'token' | 'expiry') =>
    page.evaluate((what) => {
      const s = JSON.parse(localStorage.getItem('acc.session') ?? '{}');
      // another signature: as if the token were forged, or signed with a rotated secret
      if (what === 'token')
        s.token = `${s.token.split('.').slice(0, 2).join('.')}.${'x'.repeat(43)}`;
      else s.expiresAt = new Date(Date.now() - 1000).toISOString();
      localStorage.setItem('acc.session', JSON.stringify(s));
    }, change);

  for (const change of ['token', 'expiry'] as const) {
    await signIn(page, owner.email, owner.password);
    // the page open, then its stored session changed under it and the page reloaded
    await page.goto('/leads');
    await expect(page.getByTestId('new-lead')).toBeVisible();
    await stored(change);
    await page.reload();
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fleads$/);
    await expect(page.getByTestId('login-email')).toBeVisible();
    // a refused token is forgotten; an expired one is ignored until the next sign-in
    if (change === 'token')
      expect(await page.evaluate(() => localStorage.getItem('acc.session'))).toBeNull();
  }
});
