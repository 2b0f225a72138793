/** One row of the lead form's custom-fields editor. */
export interface CustomFieldRow {
  key: string;
  value: string;
  /** The stored value the row was made from: kept as is (number, object...) while its text is unchanged. */
  original?: unknown;
}

/** How a stored value reads in a text box. */
export function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export function toRows(fields: Record<string, unknown> | null | undefined): CustomFieldRow[] {
  return Object.entries(fields ?? {}).map(([key, value]) => ({
    key,
    value: fieldText(value),
    original: value,
  }));
}

/** The rows back to the lead's `customFields`: blank rows dropped, an edited value stored as text. */
export function fromRows(
  rows: CustomFieldRow[],
): { ok: true; fields: Record<string, unknown> } | { ok: false; error: string } {
  const fields = new Map<string, unknown>();
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && !r.value.trim()) continue;
    if (!key) return { ok: false, error: 'every custom field needs a name' };
    if (fields.has(key)) return { ok: false, error: `the custom field "${key}" appears twice` };
    const unchanged = r.original !== undefined && r.value === fieldText(r.original);
    fields.set(key, unchanged ? r.original : r.value);
  }
  return { ok: true, fields: Object.fromEntries(fields) };
}
