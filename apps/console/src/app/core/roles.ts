import type { Role } from '@acc/contracts';

/**
 * Role order, duplicated from @acc/contracts on purpose: importing values from the contracts
 * pulls zod and phone metadata into the initial bundle; this file is in the startup path.
 */
const ORDER: readonly Role[] = ['viewer', 'member', 'admin', 'owner'];

export function hasRole(role: Role | null | undefined, required: Role): boolean {
  if (!role) return false;
  return ORDER.indexOf(role) >= ORDER.indexOf(required);
}
