import { Page, expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { signIn } from './helpers/ui';

/** The one question every way of losing typed work asks (core/unsaved-changes.ts). */
const question = (page: Page) => page.getByRole('dialog', { name: 'Discard unsaved changes?' });

/** Answers the question with "Keep editing" and waits until it has gone. */
async function keepEditing(page: Page): Promise<void> {
  await question(page).getByRole('button', { name: 'Keep editing' }).click();
  await expect(question(page)).toHaveCount(0);
}

test('the agent editor asks before a navigation or a reload drops unsaved edits', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Ava');
  await signIn(page, owner.email, owner.password);
  // In the app (no full load), so that Back stays in it too.
  await page.getByTestId('nav-agents').click();
  await page.getByTestId('agent-link').click();
  const name = page.getByTestId('agent-name');
  await expect(name).toHaveValue('Ava');

  // Nothing changed: leaving asks nothing.
  await page.getByTestId('nav-leads').click();
  await expect(page).toHaveURL(/\/leads$/);
  await page.goBack();
  await expect(name).toHaveValue('Ava');

  await name.fill('Ava (edited)');
  await page.getByTestId('nav-leads').click();
  await expect(question(page)).toBeVisible();
  await snap(page, 'unsaved-changes-question');
  await keepEditing(page);
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}$`));
  await expect(name).toHaveValue('Ava (edited)');

  // Back asks too, and refusing leaves the page and its history where they were.
  await page.goBack();
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}$`));
  await expect(name).toHaveValue('Ava (edited)');
  await page.goForward();
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}$`));

  // A reload: the browser's own question, answered "stay" (the reload then never completes, so
  // it is not awaited).
  const asked = page.waitForEvent('dialog');
  void page.reload().catch(() => undefined);
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  await expect(name).toHaveValue('Ava (edited)');

  // Undoing the edit is no change: no question.
  await name.fill('Ava');
  await page.getByTestId('nav-calls').click();
  await expect(page).toHaveURL(/\/calls$/);

  // Discarding leaves.
  await page.goto(`/agents/${agent.id}`);
  await name.fill('Ava (again)');
  await page.getByTestId('nav-dashboard').click();
  await question(page).getByRole('button', { name: 'Discard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('a new agent is not lost by leaving, and its save leaves without a question', async ({
  page,
  request,
}) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.goto('/agents/new');
  await page.getByTestId('agent-name').fill('Bea');
  await page.getByTestId('agent-prompt').fill('You book appointments.');
  await page.getByTestId('nav-team').click();
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await page.getByTestId('agent-save').click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(question(page)).toHaveCount(0);
});

test('the New lead dialog asks before Esc, a click outside or Cancel drops typed input', async ({
  page,
  request,
}) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-leads').click();
  const form = page.getByTestId('lead-form');

  // Empty: Esc closes at once.
  await page.getByTestId('new-lead').click();
  await expect(form).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);

  await page.getByTestId('new-lead').click();
  // the dialog has finished opening once it has focused its first field
  await expect(page.getByTestId('lead-first-name')).toBeFocused();
  await page.getByTestId('lead-first-name').fill('Jo');
  await page.getByTestId('lead-phone').fill('+1 415 555 0100');

  await page.keyboard.press('Escape');
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await expect(page.getByTestId('lead-first-name')).toHaveValue('Jo');

  // A click on the backdrop, outside the dialog.
  await page.mouse.click(5, 5);
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await expect(page.getByTestId('lead-phone')).toHaveValue('+1 415 555 0100');

  // Back with the dialog open asks as well, and the dialog stays.
  await page.goBack();
  await expect(question(page)).toBeVisible();
  await keepEditing(page);
  await expect(page.getByTestId('lead-first-name')).toHaveValue('Jo');

  await page.getByTestId('lead-cancel').click();
  await question(page).getByRole('button', { name: 'Discard' }).click();
  await expect(form).toHaveCount(0);
});
