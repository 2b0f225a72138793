import type { ActingAs } from '../tenancy/request-context';

/**
 * Who acts when no person or key does (Db.transaction's actingAs): the
 * audit log's actor of what the background jobs write.
 */

/** Campaign rounds, call endings and the dispatch of queued calls. */
export const CAMPAIGN_ENGINE: ActingAs = {
  type: 'system',
  id: 'campaign_engine',
  name: 'Campaign engine',
};

/** The simulator dialer, playing a call's steps as a provider would report them. */
export const SIMULATOR: ActingAs = { type: 'integration', id: 'simulator', name: 'Call simulator' };
