import { Page, expect } from '@playwright/test';

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
}

export async function switchTenant(page: Page, tenantName: string): Promise<void> {
  await page.getByTestId('tenant-switcher').click();
  await page.getByRole('menuitem', { name: tenantName }).click();
  await expect(page.getByTestId('current-tenant')).toHaveText(tenantName);
}
