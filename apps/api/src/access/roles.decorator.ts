import { SetMetadata } from '@nestjs/common';
import type { Role } from '@acc/contracts';

export const MIN_ROLE = 'auth:min-role';

/** The lowest role that may call a route (viewer < member < admin < owner). Default: viewer. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);
