import createFetchClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** A schema of the API by its name in the OpenAPI document, e.g. `Schema<'LeadDto'>`. */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K];

export interface ApiClientOptions {
  /** Where the API is, without the path: `https://calls.example.com` */
  baseUrl: string;
  /** A workspace API key (`acc_...`, console: Settings > API keys); a sign-in token (JWT) works too. */
  apiKey: string;
  /** Another fetch (tests, proxies, retries); the global one by default. */
  fetch?: ClientOptions['fetch'];
}

/** The client `createClient` returns: openapi-fetch's methods and the helpers below. */
export type ApiClient = ReturnType<typeof withHelpers>;

/**
 * A typed client of the AI Call Center API: `GET`, `POST`, `PATCH`, `PUT`,
 * `DELETE` take the document's paths, and their bodies, parameters and
 * answers are typed from it (`openapi-fetch`). Every request carries
 * `Authorization: Bearer <apiKey>`.
 */
export function createClient({ baseUrl, apiKey, fetch }: ApiClientOptions): ApiClient {
  if (!apiKey) throw new Error('createClient: apiKey is required (an acc_... workspace key)');
  const api = createFetchClient<paths>({
    // the document's paths start with /api/v1: a trailing slash would double it
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(fetch ? { fetch } : {}),
  });
  return withHelpers(api);
}

function withHelpers(api: Client<paths>) {
  return Object.assign(api, {
    /** POST /api/v1/leads/import with the CSV itself (header row first): upserts leads by phone. */
    importLeadsCsv: (csv: string) =>
      api.POST('/api/v1/leads/import', {
        // the API takes the CSV as the body itself (text/csv) or as a multipart field
        body: csv,
        bodySerializer: (b) => b as string,
        headers: { 'Content-Type': 'text/csv' },
      }),
  });
}
