import type { CallDirection, IntegrationProvider, TranscriptTurn } from '@acc/contracts';
import type { CallReport, RanAs, ReportedFields } from '../calls/call-timeline';

/** A provider's webhook event about a phone call, in this product's terms. */
export interface ProviderCallEvent {
  kind: 'call';
  provider: IntegrationProvider;
  providerCallId: string;
  /** the provider's id and name of the agent (assistant) that took the call */
  agent: { id: string | null; name: string | null };
  direction: CallDirection;
  /** as the provider wrote them; normalised (E.164) when they become a lead */
  customerNumber: string | null;
  customerName: string | null;
  ourNumber: string | null;
  /** which of our agents' versions ran, when the event echoes the metadata we dispatched with */
  ranAs: RanAs | null;
  report: CallReport;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The agent version a dispatched call ran (ranAsMetadata in
 * campaigns/provider-dialers.ts), from the first of these metadata objects
 * that carries one; null for a call we did not dispatch.
 */
export function ranAs(...metadata: unknown[]): RanAs | null {
  for (const m of metadata) {
    if (!m || typeof m !== 'object') continue;
    const { accAgentId: agentId, accAgentVersion: version } = m as Record<string, unknown>;
    if (
      typeof agentId === 'string' &&
      UUID.test(agentId) &&
      Number.isInteger(version) &&
      (version as number) >= 1 &&
      (version as number) <= 2_147_483_647
    )
      return { agentId: agentId.toLowerCase(), version: version as number };
  }
  return null;
}

/** An authentic event this product does not record (another type, a web call), and why. */
export interface IgnoredEvent {
  kind: 'ignored';
  reason: string;
}

export type ProviderEvent = ProviderCallEvent | IgnoredEvent;

export const ignored = (reason: string): IgnoredEvent => ({ kind: 'ignored', reason });

/** ISO 8601 of a provider's instant (ISO text or ms since epoch), undefined when it is not one. */
export function instant(v: unknown): string | undefined {
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  const ms = typeof v === 'number' ? v : Date.parse(v);
  // 2000-01-01 .. 2100-01-01: anything else is not a call's time
  if (!Number.isFinite(ms) || ms < 946_684_800_000 || ms > 4_102_444_800_000) return undefined;
  return new Date(ms).toISOString();
}

/** Text as a column takes it: trimmed, at most `max` characters, null when empty. */
export function clip(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t ? t.slice(0, max) : undefined;
}

/** USD with the column's 4 decimals. */
export function money(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1_000_000
    ? Math.round(v * 10_000) / 10_000
    : undefined;
}

export function httpUrl(v: unknown): string | undefined {
  const s = clip(v, 2_000);
  return s && /^https?:\/\/\S+$/i.test(s) ? s : undefined;
}

const TURN_TEXT_MAX = 10_000;
const TURNS_MAX = 2_000;

/** The conversation as this product's turns (agent / lead), bounded like the API's transcript. */
export function turns(
  items: Array<{ role: TranscriptTurn['role'] | null; text: unknown; startSeconds: unknown }>,
): TranscriptTurn[] | undefined {
  const out: TranscriptTurn[] = [];
  for (const i of items) {
    const text = clip(i.text, TURN_TEXT_MAX);
    if (!i.role || !text) continue;
    const s = typeof i.startSeconds === 'number' && i.startSeconds > 0 ? i.startSeconds : 0;
    out.push({ role: i.role, text, startMs: Math.round(s * 1000) });
    if (out.length === TURNS_MAX) break;
  }
  return out.length ? out : undefined;
}

/**
 * An outcome from the provider's structured analysis: a field named outcome
 * or disposition (the agent's disposition codes are lower_snake_case).
 */
export function analysisOutcome(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const rec = data as Record<string, unknown>;
  return clip(rec['outcome'], 100) ?? clip(rec['disposition'], 100);
}

/** Drops undefined values: a field an event does not carry must not look like "unknown". */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type Fields = Partial<ReportedFields>;
