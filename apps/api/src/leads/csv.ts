/** One CSV field: quoted when it holds a comma, quote or line break; formula-leading text neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.join('|')
        : String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheet apps (CSV injection).
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
