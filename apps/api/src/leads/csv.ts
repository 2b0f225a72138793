/**
 * Leading characters that make spreadsheet apps run a cell as a formula (CSV
 * injection), after any `'`: a text that already looks escaped is escaped
 * again, so the import's unescape gives every value back whole.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A plain number (an E.164 phone, -12.5) is data whatever its sign; `-2+3+cmd|...` is not. */
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
/** What csvField writes for such a text. */
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

/** One CSV field: quoted when it holds a comma, quote or line break; formula-leading text neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.join('|')
        : String(value);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** Undoes csvField's formula escape, so an export re-imports to the values it was made from. */
export function unescapeFormula(cell: string): string {
  return ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}
