import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { uniqueName } from './helpers/env';
import { signIn } from './helpers/ui';

test("change an agent's prompt: its History and Settings > Audit log show who changed what, filtered by action", async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent(uniqueName('Ava'));
  await signIn(page, owner.email, owner.password);

  await page.goto(`/agents/${agent.id}`);
  await page.getByTestId('agent-prompt').fill('Be brief and kind.');
  await page.getByTestId('agent-save').click();
  await expect(page.getByText('Agent saved')).toBeVisible();

  // the agent's History: the change with its readable diff, and the creation
  const history = page.getByTestId('audit-history');
  const updated = history.getByTestId('audit-event').filter({ hasText: 'agent.updated' });
  await expect(updated).toContainText(owner.fullName);
  await expect(updated.getByTestId('audit-change')).toHaveText(
    'You are a test agent. → Be brief and kind.',
  );
  await expect(history.getByTestId('audit-event').filter({ hasText: 'agent.created' })).toHaveCount(
    1,
  );

  // Settings > Audit log: newest first, the same event
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('audit-open').click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const events = page.getByTestId('audit-event');
  await expect(events.first().getByTestId('audit-action')).toHaveText('agent.updated');
  await expect(events.first()).toContainText(owner.fullName);
  await expect(events.first()).toContainText(`agent ${agent.id}`);
  await expect(events.first().getByTestId('audit-change')).toHaveText(
    'You are a test agent. → Be brief and kind.',
  );
  await expect(page.getByTestId('audit-action').filter({ hasText: 'auth.signup' })).toHaveCount(1);

  // filtered by action: only the agent's creation is left
  await page.getByTestId('audit-filter-action').fill('agent.created');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-action')).toHaveText(['agent.created']);
  await expect(events.first()).toContainText('You are a test agent.');
});
