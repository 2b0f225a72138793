import { SetMetadata } from '@nestjs/common';

export const READ_REPLICA = 'tenancy:read-replica';

/**
 * The route only reads and tolerates replication lag (lists, exports,
 * reports): its transaction runs on a read replica when DATABASE_READ_URLS
 * names any, on the primary otherwise. Routes that must read their own
 * writes (GET by id after a create) stay on the primary.
 */
export const ReadReplica = () => SetMetadata(READ_REPLICA, true);
