import type { Member, Role } from '@acc/contracts';
import { hasRole } from '../../core/roles';

export interface MemberRights {
  canChangeRole: boolean;
  canToggle: boolean;
  canRemove: boolean;
  /** a pending invitation: mail it again, or withdraw it */
  canResend: boolean;
  canRevoke: boolean;
  /** Why the row is locked, shown next to it; '' when nothing is locked. */
  reason: string;
}

/**
 * What the signed-in user may do to a member: the UI half of the API's rules (an admin cannot
 * touch an owner; the last active owner can be neither demoted, disabled nor removed; an
 * invitation is resent or revoked, never enabled or disabled). The API checks again on every call.
 */
export function memberRights(
  member: Member,
  me: { id: string | null; role: Role | null },
  members: readonly Member[],
): MemberRights {
  const none = (reason: string): MemberRights => ({
    canChangeRole: false,
    canToggle: false,
    canRemove: false,
    canResend: false,
    canRevoke: false,
    reason,
  });
  if (!hasRole(me.role, 'admin')) return none('');
  if (member.id === me.id) return none('This is you');
  if (member.role === 'owner' && me.role !== 'owner')
    return none('Only an owner can change an owner');
  if (member.status === 'invited') {
    return { ...none(''), canChangeRole: true, canResend: true, canRevoke: true };
  }
  // an invited owner is not one yet: only active owners keep the workspace
  const activeOwners = members.filter((m) => m.role === 'owner' && m.status === 'active');
  if (member.role === 'owner' && activeOwners.length <= 1) return none('The last owner stays');
  return { ...none(''), canChangeRole: true, canToggle: true, canRemove: true };
}

/** Roles the signed-in user may hand out: only owners make owners. */
export function assignableRoles(myRole: Role | null): Role[] {
  const all: Role[] = ['viewer', 'member', 'admin', 'owner'];
  return all.filter((r) => r !== 'owner' || myRole === 'owner');
}
