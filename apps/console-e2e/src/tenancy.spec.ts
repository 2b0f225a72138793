import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { signIn, switchTenant } from './helpers/ui';

test('switch tenant and see only the other tenant data', async ({ page, request }) => {
  const alpha = new Api(request);
  const a = await alpha.signup('alpha');
  await alpha.createAgent('Alpha agent');
  await alpha.createLead({ firstName: 'Alpha', lastName: 'Lead', phone: '+14155550171' });

  const bravo = new Api(request);
  const b = await bravo.signup('bravo');
  await bravo.createAgent('Bravo agent');
  await bravo.createLead({ firstName: 'Bravo', lastName: 'Lead', phone: '+14155550172' });
  await bravo.addMember(a.email, a.fullName, 'member');
  // accepting opens Bravo, where the next sign-in starts
  await alpha.acceptInvitations();

  await signIn(page, a.email, a.password);
  await expect(page.getByTestId('current-tenant')).toHaveText(b.tenantName);
  await page.getByTestId('nav-agents').click();
  await expect(page.getByTestId('agents-table')).toContainText('Bravo agent');
  await expect(page.getByTestId('agents-table')).not.toContainText('Alpha agent');

  await switchTenant(page, a.tenantName);
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByTestId('agents-table')).toContainText('Alpha agent');
  await expect(page.getByTestId('agents-table')).not.toContainText('Bravo agent');

  await page.getByTestId('nav-leads').click();
  await expect(page.getByTestId('leads-table')).toContainText('Alpha Lead');
  await expect(page.getByTestId('leads-table')).not.toContainText('Bravo Lead');
  await snap(page, 'switch-tenant');
});

test('a viewer sees no write buttons', async ({ page, request }) => {
  const owner = new Api(request);
  const o = await owner.signup('owner');
  const agent = await owner.createAgent('Viewer-visible agent');
  await owner.createLead({ firstName: 'Vera', lastName: 'Visible', phone: '+14155550181' });

  const viewerApi = new Api(request);
  const v = await viewerApi.signup('viewer');
  await owner.addMember(v.email, v.fullName, 'viewer');
  await viewerApi.acceptInvitations();

  await signIn(page, v.email, v.password);
  await expect(page.getByTestId('current-tenant')).toHaveText(o.tenantName);
  await expect(page.getByTestId('read-only-badge')).toBeVisible();
  // Team and settings are admin screens: not in the navigation.
  await expect(page.getByTestId('nav-team')).toHaveCount(0);
  await expect(page.getByTestId('nav-settings')).toHaveCount(0);

  await page.getByTestId('nav-agents').click();
  await expect(page.getByTestId('agents-table')).toContainText('Viewer-visible agent');
  await expect(page.getByTestId('new-agent')).toHaveCount(0);
  await expect(page.getByTestId('agent-actions')).toHaveCount(0);

  await page.goto(`/agents/${agent.id}`);
  await expect(page.getByTestId('agent-name')).toBeDisabled();
  await expect(page.getByTestId('agent-save')).toHaveCount(0);
  await expect(page.getByTestId('agent-pause')).toHaveCount(0);

  await page.getByTestId('nav-leads').click();
  await expect(page.getByTestId('leads-table')).toContainText('Vera Visible');
  await expect(page.getByTestId('new-lead')).toHaveCount(0);
  await expect(page.getByTestId('import-leads')).toHaveCount(0);
  await expect(page.getByTestId('lead-select')).toHaveCount(0);
  await page.getByTestId('lead-link').first().click();
  await expect(page.getByTestId('lead-details')).toBeVisible();
  await expect(page.getByTestId('edit-lead')).toHaveCount(0);
  await expect(page.getByTestId('delete-lead')).toHaveCount(0);
  await snap(page, 'viewer-read-only');
});

test('create a workspace from the switcher: its owner, empty, the old one a click away', async ({
  page,
  request,
}) => {
  const api = new Api(request);
  const o = await api.signup('maker');
  await api.createLead({ firstName: 'Old', lastName: 'Lead', phone: '+14155550191' });

  await signIn(page, o.email, o.password);
  await page.getByTestId('tenant-switcher').click();
  await page.getByTestId('create-workspace').click();
  // the name is checked before anything is sent
  await page.getByTestId('create-workspace-submit').click();
  await expect(page.getByTestId('create-workspace-name')).toBeFocused();
  await page.getByTestId('create-workspace-name').fill('Maker West');
  await page.getByTestId('create-workspace-submit').click();

  await expect(page.getByTestId('current-tenant')).toHaveText('Maker West');
  await expect(page).toHaveURL(/\/dashboard$/);
  // a new workspace: its owner sees the setup checklist, and no lead of the old one
  await expect(page.getByText('Set up your workspace')).toBeVisible();
  await page.getByTestId('nav-leads').click();
  await expect(page.getByText('Old Lead')).toHaveCount(0);

  await page.getByTestId('tenant-switcher').click();
  const options = page.getByTestId('tenant-option');
  await expect(options).toHaveCount(2);
  await expect(options.filter({ hasText: 'Maker West' })).toContainText('owner');
  await page.keyboard.press('Escape');
  await switchTenant(page, o.tenantName);
  await expect(page.getByTestId('leads-table')).toContainText('Old Lead');
});
