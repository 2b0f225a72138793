import { Transform } from 'node:stream';

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

const CR = 0x0d;

/**
 * Rewrites CRLF as LF ahead of csv-parse, which counts a CRLF inside a quoted
 * cell as two lines and so shifted the line of every later row it reports.
 * A CR that ends a chunk waits for the next one.
 */
export function crlfToLf(): Transform {
  let heldCr = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const input = heldCr ? Buffer.concat([Buffer.of(CR), chunk]) : chunk;
      heldCr = input.length > 0 && input[input.length - 1] === CR;
      const body = heldCr ? input.subarray(0, -1) : input;
      const parts: Buffer[] = [];
      let from = 0;
      for (let at = body.indexOf('\r\n'); at !== -1; at = body.indexOf('\r\n', from)) {
        parts.push(body.subarray(from, at));
        from = at + 1; // keep the LF
      }
      parts.push(body.subarray(from));
      cb(null, parts.length === 1 ? body : Buffer.concat(parts));
    },
    flush(cb) {
      cb(null, heldCr ? Buffer.of(CR) : undefined);
    },
  });
}
