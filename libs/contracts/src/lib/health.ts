import { z } from 'zod';

/** degraded: up, but every pooled database connection is busy (details.database.pool says how busy) */
export const HealthResponse = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
  details: z.record(z.string(), z.object({ status: z.enum(['up', 'down']) }).passthrough()),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** What the API serves at /config.json so the console needs no rebuild per environment. */
export const ConsoleRuntimeConfig = z.object({
  apiUrl: z.string(),
  appName: z.string(),
  appVersion: z.string(),
});
export type ConsoleRuntimeConfig = z.infer<typeof ConsoleRuntimeConfig>;
