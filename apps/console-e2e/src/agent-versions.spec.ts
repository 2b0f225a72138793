import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap, uniqueName } from './helpers/env';
import { signIn } from './helpers/ui';

test('edit a prompt, see version 2 and its diff, restore version 1', async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent(uniqueName('Vera'));
  // a call on version 1, so its row in the comparison has figures
  await api.createCall({
    agentId: agent.id,
    direction: 'outbound',
    fromNumber: '+14155550000',
    toNumber: '+14155550123',
    status: 'completed',
  });
  await signIn(page, owner.email, owner.password);
  await page.goto(`/agents/${agent.id}`);

  const versions = page.getByTestId('agent-versions');
  await expect(versions.getByTestId('agent-version-1')).toContainText('current');
  await expect(versions.getByTestId('agent-version-1')).toContainText('1'); // its one call

  await page.getByTestId('agent-prompt').fill('You are a patient, friendly test agent.');
  await page.getByTestId('agent-save').click();
  await expect(page.getByText('Agent saved')).toBeVisible();

  const v2 = versions.getByTestId('agent-version-2');
  await expect(v2).toContainText('current');
  await expect(v2).toContainText('System prompt');
  const diff = versions.getByTestId('agent-version-diff');
  await expect(diff).toContainText('Version 2 compared with version 1');
  await expect(diff.getByTestId('diff-before')).toHaveText('You are a test agent.');
  await expect(diff.getByTestId('diff-after')).toHaveText(
    'You are a patient, friendly test agent.',
  );
  await snap(page, 'agent-versions');

  await versions.getByTestId('agent-version-restore-1').click();
  await expect(page.getByRole('dialog')).toContainText('Restore version 1?');
  await page.getByTestId('confirm-button').click();
  await expect(page.getByText('Version 1 restored as version 3')).toBeVisible();
  const v3 = versions.getByTestId('agent-version-3');
  await expect(v3).toContainText('current');
  await expect(v3).toContainText('Restored v1');
  await expect(page.getByTestId('agent-prompt')).toHaveValue('You are a test agent.');
  await expect(versions.getByTestId('agent-version-restore-3')).toHaveCount(0);
});
