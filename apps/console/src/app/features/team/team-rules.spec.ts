import type { Member } from '@acc/contracts';
import { assignableRoles, memberRights } from './team-rules';

const m = (id: string, role: Member['role'], status: Member['status'] = 'active'): Member => ({
  id,
  role,
  status,
  email: `${id}@x.co`,
  fullName: id,
  joinedAt: '2025-01-01T00:00:00Z',
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

  it('only owners hand out the owner role', () => {
    expect(assignableRoles('admin')).toEqual(['viewer', 'member', 'admin']);
    expect(assignableRoles('owner')).toContain('owner');
  });
});
