import type { Invitation } from '@acc/contracts';
import { formatExpiry } from '../../shared/format';

/** One line for a pending invitation: who invites you where, as what, and for how long. */
export function invitationSummary(inv: Invitation, now = Date.now()): string {
  const who = inv.invitedBy ?? 'A workspace admin';
  return `${who} invited you to ${inv.tenant.name} as ${inv.role} (${formatExpiry(inv.expiresAt, now)}).`;
}
