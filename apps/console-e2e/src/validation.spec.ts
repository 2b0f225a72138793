import { Page, expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { overlaps } from './helpers/layout';
import { signIn } from './helpers/ui';

/** Requests to `path` the page sends from now on (to prove a check ran in the browser). */
function countRequests(page: Page, method: string, path: string): () => number {
  let n = 0;
  page.on('request', (r) => {
    if (r.method() === method && new URL(r.url()).pathname === path) n++;
  });
  return () => n;
}

/** Developer wording that must never reach a form. */
const RAW = /BCP-47|is not a valid number|"12345"|[a-z]+[A-Z]\w*:|^[a-z]/;

async function fieldErrors(page: Page): Promise<string[]> {
  return (await page.locator('mat-error').allTextContents()).map((t) => t.trim()).filter(Boolean);
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${size.width} px`, () => {
    test.use({ viewport: size });

    test('the agent editor checks in the browser, in plain words, and focuses the first bad field', async ({
      page,
      request,
    }) => {
      const owner = await new Api(request).signup();
      await signIn(page, owner.email, owner.password);
      const posts = countRequests(page, 'POST', '/api/v1/agents');
      await page.goto('/agents/new');

      await page.getByTestId('agent-save').click();
      await expect(page.locator('mat-error').first()).toHaveText('Required');
      expect(await overlaps(page)).toEqual([]);
      await expect(page.getByTestId('agent-name')).toBeFocused();

      await page.getByTestId('agent-name').fill('Ava');
      await page.getByTestId('agent-language').fill('english');
      await page.getByRole('button', { name: 'Add destination' }).click();
      await page.getByLabel('Label').fill('Front desk');
      await page.getByLabel('Phone').fill('12345');
      await page.getByTestId('agent-save').click();
      await expect(page.getByTestId('agent-language')).toBeFocused();
      const errors = await fieldErrors(page);
      expect(errors).toEqual(['Enter a language code such as en-US', 'Not a valid phone number']);
      for (const e of errors) expect(e).not.toMatch(RAW);
      await snap(page, `validation-agent-${size.width}`);
      expect(await overlaps(page)).toEqual([]);
      expect(posts()).toBe(0);
    });

    test("the lead form shows the server's refusal on its field and focuses it", async ({
      page,
      request,
    }) => {
      const api = new Api(request);
      const owner = await api.signup();
      await api.createLead({ firstName: 'Existing', phone: '+1 415 555 0199' });
      await signIn(page, owner.email, owner.password);
      await page.goto('/leads');
      const posts = countRequests(page, 'POST', '/api/v1/leads');

      await page.getByTestId('new-lead').click();
      // the dialog has finished opening once it has focused its first field (typing before
      // that can land in the field it focuses: a run once filled the phone into First name)
      await expect(page.getByTestId('lead-first-name')).toBeFocused();
      await page.getByTestId('lead-phone').fill('12345');
      await page.getByTestId('lead-email').fill('jo@');
      await page.getByTestId('lead-first-name').click();
      await page.getByTestId('lead-save').click();
      await expect(page.getByTestId('lead-phone')).toBeFocused();
      // both errors show once the form has run its checks: poll, the email error may come a frame later
      await expect
        .poll(() => fieldErrors(page))
        .toEqual(['Not a valid phone number', 'Enter a valid email address']);
      expect(await overlaps(page)).toEqual([]);
      expect(posts()).toBe(0);

      // the same number in another notation: only the server knows it is taken
      await page.getByTestId('lead-phone').fill('(415) 555-0199');
      await page.getByTestId('lead-email').fill('');
      await page.getByTestId('lead-first-name').click();
      await page.getByTestId('lead-save').click();
      await expect(page.getByTestId('lead-phone-error')).toHaveText(
        'Another lead already has this phone',
      );
      await expect(page.getByTestId('lead-phone')).toBeFocused();
      // said once, on the field: no snackbar repeating the API's own words
      await expect(page.locator('.mat-mdc-snack-bar-container')).toHaveCount(0);
      await snap(page, `validation-lead-${size.width}`);
      expect(await overlaps(page)).toEqual([]);
      expect(posts()).toBe(1);
    });

    test('signed-out forms: hints and errors never run into the next field', async ({
      page,
      request,
    }) => {
      const owner = await new Api(request).signup();
      await page.goto('/signup');
      await page.getByTestId('signup-submit').click();
      await expect(page.locator('mat-error')).toHaveCount(4);
      expect(await overlaps(page)).toEqual([]);
      await expect(page.locator('input').first()).toBeFocused();
      await page.locator('input').nth(0).fill('Acme');
      await page.locator('input').nth(1).fill('Jo Doe');
      await page.locator('input').nth(2).fill(owner.email);
      await page.locator('input').nth(3).fill('a-long-enough-password');
      await page.getByTestId('signup-submit').click();
      await expect(page.locator('mat-error')).toHaveText(
        'An account with this email already exists',
      );
      await expect(page.locator('input').nth(2)).toBeFocused();
      expect(await overlaps(page)).toEqual([]);

      await page.goto('/login');
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-email')).toBeFocused();
      expect(await overlaps(page)).toEqual([]);
    });

    test('settings: the domain hint does not run into the buttons below', async ({
      page,
      request,
    }) => {
      const owner = await new Api(request).signup();
      await signIn(page, owner.email, owner.password);
      await page.goto('/settings');
      await expect(page.getByTestId('tenant-domain')).toBeVisible();
      expect(await overlaps(page), 'the hint under the domain').toEqual([]);
      await page.getByTestId('tenant-domain').fill('not a domain');
      await page.getByTestId('tenant-save').click();
      await expect(page.getByTestId('tenant-domain')).toBeFocused();
      expect(await overlaps(page)).toEqual([]);
    });
  });
}
