import type { Member } from '@acc/contracts';
import { assignableRoles, memberRights } from './team-rules';

const m = (id: string, role: Member['role'], status: Member['status'] = 'active'): Member => ({
  id,
  role,
  status,
  email: `${id}@x.co`,
  fullName: id,
  joinedAt: '2025-01-01T00:00:00Z',
  invitationExpiresAt: status === 'invited' ? '2025-01-08T00:00:00Z' : null,
});

describe('memberRights', () => {
  const owner = m('owner', 'owner');
  const admin = m('admin', 'admin');
  const member = m('member', 'member');
  const all = [owner, admin, member];

  it('lets an admin manage members but not owners', () => {
    const me = { id: 'admin', role: 'admin' as const };
    expect(memberRights(member, me, all).canChangeRole).toBe(true);
    const r = memberRights(owner, me, all);
    expect(r.canChangeRole || r.canRemove || r.canToggle).toBe(false);
    expect(r.reason).toBe('Only an owner can change an owner');
  });

  it('protects the last owner, even from another owner', () => {
    const owner2 = m('owner2', 'owner', 'disabled');
    const me = { id: 'owner2', role: 'owner' as const };
    expect(memberRights(owner, me, [...all, owner2]).reason).toBe('The last owner stays');
    const coOwner = m('owner3', 'owner');
    expect(memberRights(owner, { id: 'owner3', role: 'owner' }, [...all, coOwner]).canRemove).toBe(
      true,
    );
  });

  it('never lets people change themselves here, nor members or viewers anyone', () => {
    expect(memberRights(admin, { id: 'admin', role: 'admin' }, all).reason).toBe('This is you');
    expect(memberRights(admin, { id: 'member', role: 'member' }, all).canRemove).toBe(false);
  });

  it('offers resend and revoke for an invitation, never enable, disable or remove', () => {
    const me = { id: 'admin', role: 'admin' as const };
    const invited = m('invitee', 'member', 'invited');
    expect(memberRights(invited, me, [...all, invited])).toEqual({
      canChangeRole: true,
      canToggle: false,
      canRemove: false,
      canResend: true,
      canRevoke: true,
      reason: '',
    });
    const r = memberRights(member, me, all);
    expect([r.canResend, r.canRevoke, r.canToggle, r.canRemove]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it("leaves an owner's invitation to owners", () => {
    const invitedOwner = m('heir', 'owner', 'invited');
    const byAdmin = memberRights(invitedOwner, { id: 'admin', role: 'admin' }, [
      ...all,
      invitedOwner,
    ]);
    expect([byAdmin.canResend, byAdmin.canRevoke]).toEqual([false, false]);
    const byOwner = memberRights(invitedOwner, { id: 'owner', role: 'owner' }, [
      ...all,
      invitedOwner,
    ]);
    expect([byOwner.canResend, byOwner.canRevoke]).toEqual([true, true]);
  });

  it('does not count an invited owner as the other owner: the last active one stays', () => {
    const invitedOwner = m('heir', 'owner', 'invited');
    const coOwner = m('owner3', 'owner');
    const r = memberRights(owner, { id: 'owner3', role: 'owner' }, [owner, invitedOwner, coOwner]);
    expect(r.canRemove).toBe(true);
    const alone = memberRights(owner, { id: 'admin', role: 'owner' }, [owner, invitedOwner, admin]);
    expect(alone.reason).toBe('The last owner stays');
  });

  it('only owners hand out the owner role', () => {
    expect(assignableRoles('admin')).toEqual(['viewer', 'member', 'admin']);
    expect(assignableRoles('owner')).toContain('owner');
  });
});
