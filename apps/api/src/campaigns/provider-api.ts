/** A provider refused or did not answer: the message ends the call `failed`, saying why. */
export class ProviderError extends Error {}

/**
 * JSON to a voice provider's API with the tenant's key there. The caller
 * holds no database connection meanwhile; a refusal or a timeout is a
 * ProviderError naming the provider and what was asked.
 */
export class ProviderApi {
  constructor(
    readonly provider: 'vapi' | 'retell',
    private readonly base: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  async request(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    what: string,
  ): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ProviderError(`${this.provider} did not answer: ${(e as Error).message}`);
    }
    const answer: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new ProviderError(`${this.provider} refused ${what}: HTTP ${res.status}`);
    return answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>) : {};
  }
}

/** A provider's id in its answer (`id`, `call_id`, `llm_id`, `agent_id`), or null. */
export function idIn(answer: Record<string, unknown>, key: string): string | null {
  const id = answer[key];
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}
