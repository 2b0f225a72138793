import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { BASE_URL, snap } from './helpers/env';
import { signIn } from './helpers/ui';

test('import a CSV with a bad row and see it reported', async ({ page, request }) => {
  const owner = await new Api(request).signup();
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-leads').click();
  await page.getByTestId('import-leads').click();

  const csv = [
    'first_name,last_name,phone,email',
    'Ada,Lovelace,+14155550101,ada@example.com',
    'Bad,Row,not-a-phone,bad@example.com',
    'Grace,Hopper,+14155550102,grace@example.com',
  ].join('\n');
  await page.getByTestId('import-file').setInputFiles({
    name: 'leads.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await page.getByTestId('import-submit').click();

  await expect(page.getByTestId('import-inserted')).toHaveText('2');
  await expect(page.getByTestId('import-rejected-count')).toHaveText('1');
  const rejection = page.getByTestId('import-rejection');
  await expect(rejection).toHaveCount(1);
  await expect(rejection).toContainText('3');
  await expect(rejection).toContainText(/phone/i);
  await snap(page, 'import-csv');

  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('lead-row')).toHaveCount(2);
});

test('open a lead and see its calls', async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Lead detail agent');
  const lead = await api.createLead({
    firstName: 'Linus',
    lastName: 'Lead',
    phone: '+1 415 555 0133',
    email: 'linus@example.com',
    tags: ['vip'],
  });
  await api.createCall({
    agentId: agent.id,
    leadId: lead.id,
    direction: 'outbound',
    status: 'completed',
    fromNumber: '+14155550000',
    toNumber: lead.phone,
    outcome: 'call_back',
  });

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-leads').click();
  await page.getByTestId('leads-search').fill('Linus');
  await page.getByTestId('lead-link').filter({ hasText: 'Linus Lead' }).click();

  await expect(page).toHaveURL(new RegExp(`/leads/${lead.id}$`));
  await expect(page.getByTestId('lead-title')).toContainText('Linus Lead');
  await expect(page.getByTestId('lead-phone')).toHaveText('+1 415 555 0133');
  await expect(page.getByTestId('call-row')).toHaveCount(1);
  await snap(page, 'open-lead');

  // tags (as chips) and custom fields are edited in the lead form
  await page.getByTestId('edit-lead').click();
  // the dialog has finished opening once it has focused its first field
  await expect(page.getByTestId('lead-first-name')).toBeFocused();
  await expect(page.getByTestId('lead-tag')).toHaveText(['vip']);
  await page.getByTestId('lead-tags').click();
  await page.getByTestId('lead-tags').pressSequentially('spring,west');
  await page.getByTestId('lead-tags').press('Enter');
  await expect(page.getByTestId('lead-tag')).toHaveText(['vip', 'spring', 'west']);
  await page.getByTestId('lead-add-field').click();
  await page.getByTestId('lead-field-name').last().fill('Plan');
  await page.getByTestId('lead-field-value').last().fill('Gold');
  await page.getByTestId('lead-form').getByTestId('lead-external-id').fill('CRM-0042');
  await snap(page, 'lead-custom-fields');
  await page.getByTestId('lead-save').click();
  await expect(page.getByTestId('lead-form')).toHaveCount(0);
  // in the lead's details (its History below now shows the same change as a diff)
  const details = page.getByTestId('lead-details');
  await expect(details.locator('dt', { hasText: 'Plan' })).toBeVisible();
  await expect(details.locator('dd', { hasText: 'Gold' })).toBeVisible();
  await expect(details.getByTestId('lead-external-id')).toHaveText('CRM-0042');
  expect(await api.get(`/api/v1/leads/${lead.id}`)).toMatchObject({
    tags: ['vip', 'spring', 'west'],
    customFields: { Plan: 'Gold' },
    externalId: 'CRM-0042',
  });
});

test('the leads table fits a 1280px screen', async ({ page, request }) => {
  const api = new Api(request);
  const owner = await api.signup();
  const agent = await api.createAgent('Wide table agent');
  await api.createLead({
    firstName: 'Margaret',
    lastName: 'Hamilton-Whitfield',
    phone: '+1 415 555 0177',
    email: 'margaret.hamiltonwhitfield@analytical-engines.example.com',
    company: 'Lovelace Analytical Engines',
    assignedAgentId: agent.id,
    tags: ['vip', 'spring_promo_2026', 'west_coast'],
  });
  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-leads').click();
  await expect(page.getByTestId('lead-row')).toHaveCount(1);
  const added = await page.getByRole('columnheader', { name: 'Added' }).boundingBox();
  // the default viewport is 1280px wide; the last column must end on screen
  expect(added).not.toBeNull();
  expect((added?.x ?? 0) + (added?.width ?? 0)).toBeLessThanOrEqual(1280);
});

test('sort the leads by a column on the server, with the total; 14+ rows at 1440x900', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const api = new Api(request);
  const owner = await api.signup();
  // 60 leads, more than a page (50), in a shuffled file with tags: only a server-side sort
  // shows the 50 first names of all 60 on the first page
  const numbers = Array.from({ length: 60 }, (_, i) => i + 1);
  const shuffled = numbers.map((n) => (n * 37) % 61);
  const csv = [
    'first_name,last_name,phone,email,tags',
    ...shuffled.map(
      (n) =>
        `Lead,${String(n).padStart(3, '0')},+1415555${String(1000 + n)},lead${n}@example.com,"vip,spring_promo_2026,west_coast"`,
    ),
  ].join('\n');
  const imported = await request.post(`${BASE_URL}/api/v1/leads/import`, {
    headers: { Authorization: `Bearer ${owner.token}`, 'Content-Type': 'text/csv' },
    data: csv,
  });
  expect(await imported.json()).toMatchObject({ inserted: 60, rejected: [] });

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-leads').click();
  const rows = page.getByTestId('lead-row');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('leads-total')).toHaveText('60 leads');
  // dense rows: at least 14 whole rows on the screen without scrolling
  const visible = await rows.evaluateAll(
    (trs) => trs.filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length,
  );
  expect(visible).toBeGreaterThanOrEqual(14);

  const names = () => page.getByTestId('lead-link').allTextContents();
  const expected = [...shuffled]
    .sort((a, b) => a - b)
    .map((n) => `Lead ${String(n).padStart(3, '0')}`);
  const nameHeader = page.getByTestId('sort-name');
  await expect(nameHeader).toHaveAttribute('aria-sort', 'none');
  await expect(page.getByTestId('sort-created')).toHaveAttribute('aria-sort', 'descending');

  await nameHeader.click();
  await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(names).toEqual(expected.slice(0, 50));
  await page.getByTestId('load-more').click();
  await expect(rows).toHaveCount(60);
  expect((await names()).slice(50)).toEqual(expected.slice(50));

  await nameHeader.click();
  await expect(page).toHaveURL(/[?&]sort=-name(&|$)/);
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(names).toEqual([...expected].reverse().slice(0, 50));
  await expect(page.getByTestId('leads-total')).toHaveText('60 leads');

  // the order is in the URL: a reload keeps it, and a filter counts what it matches
  await page.reload();
  await expect.poll(names).toEqual([...expected].reverse().slice(0, 50));
  await page.getByTestId('leads-search').fill('Lead 00');
  await expect(page.getByTestId('leads-total')).toHaveText('9 leads');
  await expect.poll(names).toEqual(expected.slice(0, 9).reverse());
  await snap(page, 'leads-sorted');
});

test('on a phone the leads are cards, ordered with a select (no headers to click)', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const api = new Api(request);
  const owner = await api.signup();
  for (const [firstName, phone] of [
    ['Cy', '+14155550301'],
    ['Ada', '+14155550302'],
    ['Bea', '+14155550303'],
  ])
    await api.createLead({ firstName, phone });
  await signIn(page, owner.email, owner.password);
  await page.goto('/leads');
  const names = () => page.getByTestId('lead-link').allTextContents();
  await expect.poll(names).toEqual(['Bea', 'Ada', 'Cy']);
  await expect(page.getByTestId('leads-total')).toHaveText('3 leads');
  await page.getByTestId('leads-sort').getByRole('combobox').click();
  await page.getByRole('option', { name: 'Name, A to Z' }).click();
  await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
  await expect.poll(names).toEqual(['Ada', 'Bea', 'Cy']);
  await page.setViewportSize({ width: 1440, height: 900 });
  // on a wide screen the headers order the table, the select is not shown
  await expect(page.getByTestId('leads-sort')).toBeHidden();
  await expect(page.getByTestId('sort-name')).toHaveAttribute('aria-sort', 'ascending');
});

test('select leads with their boxes (mouse, Space, select all) and set their status in bulk; on a phone too', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const api = new Api(request);
  const owner = await api.signup();
  for (const [firstName, phone] of [
    ['Cy', '+14155550401'],
    ['Ada', '+14155550402'],
    ['Bea', '+14155550403'],
  ])
    await api.createLead({ firstName, lastName: 'Box', phone });
  await signIn(page, owner.email, owner.password);
  await page.goto('/leads');
  await expect(page.getByTestId('lead-row')).toHaveCount(3);
  const box = (name: string) => page.getByRole('checkbox', { name: `Select ${name} Box` });
  const all = page.getByRole('checkbox', { name: 'Select all' });
  const bar = page.getByTestId('bulk-bar');

  // a click on a box selects its row and does not open the lead
  await box('Ada').click();
  await expect(box('Ada')).toBeChecked();
  await expect(bar).toContainText('1 selected');
  await expect(page).toHaveURL(/\/leads$/);
  await expect(all).toBeChecked({ indeterminate: true });
  // the keyboard: Tab reaches the boxes, Space toggles
  await box('Bea').focus();
  await page.keyboard.press('Space');
  await expect(box('Bea')).toBeChecked();
  await expect(bar).toContainText('2 selected');
  await page.keyboard.press('Space');
  await expect(box('Bea')).not.toBeChecked();
  await all.click();
  await expect(all).toBeChecked();
  await expect(bar).toContainText('3 selected');

  await page.getByTestId('bulk-status').click();
  await page.getByRole('menuitem', { name: 'Qualified' }).click();
  await expect(page.getByText('3 leads updated')).toBeVisible();
  await expect(page.locator('[data-testid="lead-row"] app-status-chip')).toHaveText([
    'Qualified',
    'Qualified',
    'Qualified',
  ]);
  await expect(bar).toHaveCount(0);
  await expect(all).not.toBeChecked();

  // a phone: the rows are cards, the box a finger's target on its first line
  await page.setViewportSize({ width: 390, height: 844 });
  await box('Cy').click();
  await expect(box('Cy')).toBeChecked();
  await expect(bar).toContainText('1 selected');
  await expect(page).toHaveURL(/\/leads$/);
  const target = await box('Cy').locator('xpath=..').boundingBox();
  expect(target?.width).toBeGreaterThanOrEqual(40);
  expect(target?.height).toBeGreaterThanOrEqual(40);
});
