import type { AuditEvent } from '@acc/contracts';

export interface DiffLine {
  field: string;
  /** "changed" for a secret: its values are never recorded */
  text: string;
}

const shown = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v.length > 120 ? `${v.slice(0, 117)}…` : v;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

/** An event's changes as one readable line per field: "old → new", or "changed". */
export function diffLines(e: Pick<AuditEvent, 'changes'>): DiffLine[] {
  return Object.entries(e.changes).map(([field, c]) => {
    if (c === 'changed') return { field, text: 'changed (secret, not recorded)' };
    const [before, after] = c as [unknown, unknown];
    if (before === null || before === undefined) return { field, text: shown(after) };
    return { field, text: `${shown(before)} → ${shown(after)}` };
  });
}

/** Who did it, as a person reads it. */
export function actorLabel(e: Pick<AuditEvent, 'actor'>): string {
  const name = e.actor.name ?? e.actor.id ?? '';
  switch (e.actor.type) {
    case 'api_key':
      return `API key ${name}`.trim();
    case 'integration':
      return `Integration ${name}`.trim();
    case 'system':
      // a named part of the system (the campaign engine), else just the system
      return e.actor.name && e.actor.name !== 'system' ? e.actor.name : 'System';
    default:
      return name || 'Someone';
  }
}
