import { expect, test } from '@playwright/test';
import { Api } from './helpers/api';
import { snap, uniqueEmail } from './helpers/env';
import { pathOf, waitForMailLink } from './helpers/mail';
import { signIn, signOut } from './helpers/ui';

/** The newest invitation link mailed to `email` other than `seen`. */
async function newLink(email: string, seen: string): Promise<string> {
  let link = '';
  await expect
    .poll(async () => (link = await waitForMailLink(email, '/accept-invite')), {
      message: `a new invitation link for ${email}`,
    })
    .not.toBe(seen);
  return link;
}

test('invite a member: the team shows the pending invitation', async ({ page, request }) => {
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
  await expect(row).toContainText('Ivy Invitee');
  await expect(row).toContainText('Invited');
  await expect(row.getByTestId('invitation-expiry')).toHaveText('expires in 7 days');
  await snap(page, 'invite-member');
  await waitForMailLink(email, '/accept-invite');
});

test('the mailed link names the workspace, sets the password and signs in there, once', async ({
  page,
  request,
}) => {
  const ownerApi = new Api(request);
  const owner = await ownerApi.signup();
  const email = uniqueEmail('invitee');
  await ownerApi.addMember(email, 'Ivy Invitee', 'member');
  const link = await waitForMailLink(email, '/accept-invite');

  await page.goto(pathOf(link));
  await expect(page.getByTestId('invite-workspace')).toHaveText(`Join ${owner.tenantName}`);
  await expect(page.getByTestId('invite-details')).toContainText(
    `${owner.fullName} invited ${email}`,
  );
  await page.getByTestId('invite-password').fill('invitee-password-123');
  await page.getByTestId('invite-confirm').fill('invitee-password-123');
  await snap(page, 'invite-accept-page');
  await page.getByTestId('invite-accept').click();

  // signed in, in the inviting workspace, as a member
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('current-tenant')).toHaveText(owner.tenantName);
  await expect(page.getByTestId('nav-team')).toHaveCount(0);
  await snap(page, 'invite-accepted');

  // the link was single use
  await signOut(page);
  await page.goto(pathOf(link));
  await expect(page.getByTestId('invite-invalid')).toBeVisible();
});

test('resend mails a new link and the old one stops working', async ({ page, request }) => {
  const ownerApi = new Api(request);
  const owner = await ownerApi.signup();
  const email = uniqueEmail('resent');
  await ownerApi.addMember(email, 'Rex Resent', 'viewer');
  const first = await waitForMailLink(email, '/accept-invite');

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-team').click();
  const row = page.getByTestId('member-row').filter({ hasText: email });
  await row.getByTestId('member-actions').click();
  await expect(page.getByTestId('member-toggle')).toHaveCount(0);
  await page.getByTestId('member-resend').click();
  await expect(page.getByText(`Invitation sent again to ${email}`)).toBeVisible();
  const second = await newLink(email, first);

  await signOut(page);
  await page.goto(pathOf(first));
  await expect(page.getByTestId('invite-invalid')).toBeVisible();
  await page.goto(pathOf(second));
  await expect(page.getByTestId('invite-workspace')).toHaveText(`Join ${owner.tenantName}`);
});

test('copy an invitation link: a new link to pass on, the mailed one stops working', async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const ownerApi = new Api(request);
  const owner = await ownerApi.signup();
  const email = uniqueEmail('linked');
  await ownerApi.addMember(email, 'Lin Linked', 'viewer');
  const mailed = await waitForMailLink(email, '/accept-invite');

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-team').click();
  const row = page.getByTestId('member-row').filter({ hasText: email });
  await row.getByTestId('member-actions').click();
  await page.getByTestId('member-copy-link').click();
  // it says what happens to the mailed link before making a new one
  await expect(page.getByTestId('invitation-link-intro')).toContainText('stops working');
  await page.getByTestId('invitation-link-create').click();
  const field = page.getByTestId('invitation-link');
  await expect(field).toHaveValue(/\/accept-invite\?token=/);
  const link = await field.inputValue();
  await page.getByTestId('invitation-link-copy').click();
  await expect(page.getByText('Invitation link copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.getByTestId('invitation-link-done').click();
  await expect(row.getByTestId('member-actions')).toBeFocused();

  await signOut(page);
  await page.goto(pathOf(mailed));
  await expect(page.getByTestId('invite-invalid')).toBeVisible();
  await page.goto(pathOf(link));
  await expect(page.getByTestId('invite-workspace')).toHaveText(`Join ${owner.tenantName}`);
});

test('revoke withdraws the invitation: gone from the team, its link dead', async ({
  page,
  request,
}) => {
  const ownerApi = new Api(request);
  const owner = await ownerApi.signup();
  const email = uniqueEmail('revoked');
  await ownerApi.addMember(email, 'Rae Revoked', 'viewer');
  const link = await waitForMailLink(email, '/accept-invite');

  await signIn(page, owner.email, owner.password);
  await page.getByTestId('nav-team').click();
  const row = page.getByTestId('member-row').filter({ hasText: email });
  await row.getByTestId('member-actions').click();
  await expect(page.getByTestId('member-remove')).toHaveCount(0);
  await page.getByTestId('member-revoke').click();
  await page.getByTestId('confirm-button').click();
  await expect(row).toHaveCount(0);
  await snap(page, 'invitation-revoked');

  await signOut(page);
  await page.goto(pathOf(link));
  await expect(page.getByTestId('invite-invalid')).toBeVisible();
});

test('a signed-in user sees pending invitations, declines one and accepts another', async ({
  page,
  request,
}) => {
  const alpha = new Api(request);
  const a = await alpha.signup('alpha');
  const bravo = new Api(request);
  const b = await bravo.signup('bravo');
  const userApi = new Api(request);
  const user = await userApi.signup('user');
  await alpha.addMember(user.email, 'As Alpha typed it', 'viewer');
  await bravo.addMember(user.email, 'As Bravo typed it', 'member');

  await signIn(page, user.email, user.password);
  const invitations = page.getByTestId('pending-invitation');
  await expect(invitations).toHaveCount(2);
  const fromAlpha = invitations.filter({ hasText: a.tenantName });
  const fromBravo = invitations.filter({ hasText: b.tenantName });
  await expect(fromBravo).toContainText(`${b.fullName} invited you to ${b.tenantName} as member`);
  // no access before accepting: neither workspace is in the switcher
  await page.getByTestId('tenant-switcher').click();
  await expect(page.getByRole('menuitem', { name: a.tenantName })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: b.tenantName })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await snap(page, 'pending-invitations');

  await fromAlpha.getByTestId('invitation-decline').click();
  await expect(invitations).toHaveCount(1);

  await fromBravo.getByTestId('invitation-accept').click();
  await expect(invitations).toHaveCount(0);
  await expect(page.getByTestId('current-tenant')).toHaveText(b.tenantName);
  await expect(page.getByText(`You joined ${b.tenantName}`)).toBeVisible();
  await page.getByTestId('tenant-switcher').click();
  await expect(page.getByRole('menuitem', { name: user.tenantName })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: a.tenantName })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // the declined workspace does not list the user any more; the other shows them joined
  const alphaMembers = await alpha.get<{ data: Array<{ email: string }> }>('/api/v1/users');
  expect(alphaMembers.data.map((m) => m.email)).not.toContain(user.email);
  const bravoMembers = await bravo.get<{ data: Array<{ email: string; status: string }> }>(
    '/api/v1/users',
  );
  expect(bravoMembers.data.find((m) => m.email === user.email)?.status).toBe('active');
});

test('an existing account accepts a mailed invitation with its own password', async ({
  page,
  request,
}) => {
  const ownerApi = new Api(request);
  const owner = await ownerApi.signup();
  const user = await new Api(request).signup('known');
  await ownerApi.addMember(user.email, 'Known', 'admin');
  const link = await waitForMailLink(user.email, '/accept-invite');

  await page.goto(pathOf(link));
  await expect(page.getByTestId('invite-workspace')).toHaveText(`Join ${owner.tenantName}`);
  await expect(page.getByTestId('invite-confirm')).toHaveCount(0);
  await page.getByTestId('invite-password').fill('not-the-password');
  await page.getByTestId('invite-accept').click();
  await expect(page.getByTestId('invite-error')).toContainText(
    `That is not the password of ${user.email}`,
  );
  await page.getByTestId('invite-password').fill(user.password);
  await page.getByTestId('invite-accept').click();
  await expect(page.getByTestId('current-tenant')).toHaveText(owner.tenantName);
  await expect(page.getByTestId('nav-team')).toBeVisible();
});
