import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap } from './helpers/env';
import { sideways } from './helpers/layout';
import { seedEveryList } from './helpers/seed';
import { signIn } from './helpers/ui';

/**
 * Every screen with data in every list, on a laptop and on a phone (below ~600 px every list is a
 * list of cards): nothing scrolls sideways, and each screen leaves a screenshot
 * (screenshots/<width>-<screen>.png). Accessibility of the same screens: a11y.spec.ts.
 */
const SIZES = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
];

for (const size of SIZES) {
  test(`every screen at ${size.width} px: nothing scrolls sideways; lists are cards on a phone`, async ({
    page,
    request,
  }) => {
    // about twenty screens in one test: 45-60 s on a busy machine, over the default minute
    test.slow();
    await page.setViewportSize(size);
    /** Soft: one run names every screen that does not fit, not only the first. */
    const fits = async (screen: string) => {
      await snap(page, `${size.width}-${screen}`);
      expect.soft(await sideways(page), `${screen} at ${size.width} px`).toEqual([]);
    };

    const api = new Api(request);
    const owner = await api.signup();
    const { agent, call } = await seedEveryList(api);

    // signed out
    await page.goto('/login');
    await fits('login');
    await page.goto('/signup');
    await fits('signup');
    await page.goto('/forgot-password');
    await fits('forgot-password');

    await signIn(page, owner.email, owner.password);
    await fits('dashboard');

    await page.goto('/agents');
    const agentRow = page.getByTestId('agent-row');
    await expect(agentRow).toHaveCount(1);
    await fits('agents');
    // the card's menu is on screen and works
    await agentRow.getByTestId('agent-actions').click();
    await expect(page.getByTestId('agent-pause')).toBeVisible();
    await page.keyboard.press('Escape');

    await page.goto('/leads');
    const leadRow = page.getByTestId('lead-row');
    await expect(leadRow).toHaveCount(1);
    await fits('leads');
    // a card shows who, how to reach them and where they stand, not only the name
    await expect(leadRow.getByTestId('lead-link')).toBeInViewport();
    await expect(leadRow).toContainText('+1 415 555 0177');
    await expect(leadRow.locator('app-status-chip')).toBeInViewport();

    await leadRow.getByTestId('lead-link').click();
    await expect(page.getByTestId('call-row')).toHaveCount(1);
    await fits('lead-detail');

    await page.goto('/calls');
    const callRow = page.getByTestId('call-row');
    await expect(callRow).toHaveCount(1);
    await fits('calls');
    // the date stays on one line; status and outcome are on screen
    const link = callRow.getByTestId('call-link');
    const lineHeight = await link.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 20);
    expect((await link.boundingBox())?.height ?? 0).toBeLessThan(lineHeight * 1.8);
    await expect(callRow.locator('app-status-chip')).toBeInViewport();
    await expect(callRow).toContainText('Appointment booked');

    await page.goto(`/calls/${call.id}`);
    await expect(page.getByTestId('transcript-turn').or(page.locator('h1'))).not.toHaveCount(0);
    await fits('call-detail');

    await page.goto(`/agents/${agent.id}`);
    await expect(page.getByTestId('agent-name')).toHaveValue(/Ava/);
    await fits('agent-editor');

    await page.goto('/campaigns');
    const campaignRow = page.getByTestId('campaign-row');
    await expect(campaignRow).toHaveCount(1);
    await fits('campaigns');
    await campaignRow.getByTestId('campaign-link').click();
    await expect(page.getByTestId('campaign-lead-row')).toHaveCount(1);
    await fits('campaign-detail');
    await page.goto('/campaigns/new');
    await expect(page.getByTestId('campaign-name')).toBeVisible();
    await fits('campaign-new');

    await page.goto('/team');
    const memberRow = page.getByTestId('member-row');
    await expect(memberRow).toHaveCount(2);
    await fits('team');
    const invited = memberRow.filter({ hasText: 'Maximilian' });
    await expect(invited.getByTestId('member-actions')).toBeInViewport();
    await invited.getByTestId('member-actions').click();
    await expect(page.getByTestId('member-resend')).toBeVisible();
    await page.keyboard.press('Escape');

    await page.goto('/settings');
    await expect(page.getByTestId('api-key-row')).toHaveCount(1);
    await fits('settings');
    const revoke = page.getByTestId('api-key-revoke');
    await revoke.scrollIntoViewIfNeeded();
    await expect(revoke).toBeInViewport();
    await expect(page.getByTestId('dnc-row').or(page.getByTestId('dnc'))).not.toHaveCount(0);

    await page.goto('/settings/webhooks');
    await expect(page.getByTestId('webhook-row')).toHaveCount(1);
    await fits('webhooks');
  });
}
