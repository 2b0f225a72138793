import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import { CsvError, type Options as CsvOptions, parse } from 'csv-parse';
import {
  CUSTOM_FIELDS_MAX_BYTES,
  IMPORT_MAX_BYTES,
  type ImportResult,
  LEAD_CSV_COLUMNS,
  type LeadFilter,
  jsonSize,
} from '@acc/contracts';
import { pageQuery, toPage } from '../common/pagination';
import { pgCode } from '../common/sql';
import { Db } from '../tenancy/db.service';
import { crlfToLf, csvLine } from './csv';
import { ImportRow, mapHeader, parseRow } from './lead-import';
import { LEAD_COLUMNS, leadFilter } from './lead.sql';

const BATCH = 2_000;
const EXPORT_BATCH = 5_000;
const REJECTIONS_REPORTED = 1_000;
const MAX_RECORD_BYTES = 64_000;

/**
 * Two set-based statements per batch, rows travelling as parallel arrays
 * (unnest), never one statement per row: new phones are inserted, then the
 * rest update their lead. An empty CSV cell keeps what the lead already has;
 * custom fields merge, within their limit (withinCustomFieldsLimit). The
 * UPDATE runs with a fresh snapshot, so a phone another transaction inserted
 * meanwhile is updated, not lost. It gets only the rows the INSERT did not
 * take (none when every phone is new, and then it is skipped), and
 * `phone = ANY` lets the (tenant_id, phone) index find their leads: joined on
 * phone alone, a planner that believes the tenant has few leads (statistics
 * older than the import) scans all of them once per row.
 */
const ROWS = `unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::timestamptz[], $12::jsonb[])
       AS u(first_name, last_name, phone, email, company, status, source, tags, timezone, next_call_at, custom_fields)`;

const INSERT_NEW = `
INSERT INTO leads (tenant_id, first_name, last_name, phone, email, company, status, source, tags,
                   timezone, next_call_at, custom_fields)
SELECT $1, u.first_name, u.last_name, u.phone, u.email, u.company, coalesce(u.status, 'new'), u.source,
       coalesce(string_to_array(u.tags, '|'), '{}'), u.timezone, u.next_call_at, u.custom_fields
  FROM ${ROWS}
ON CONFLICT (tenant_id, phone) DO NOTHING
RETURNING phone`;

const UPDATE_EXISTING = `
UPDATE leads l SET
  first_name = coalesce(u.first_name, l.first_name),
  last_name = coalesce(u.last_name, l.last_name),
  email = coalesce(u.email, l.email),
  company = coalesce(u.company, l.company),
  status = coalesce(u.status, l.status),
  source = coalesce(u.source, l.source),
  tags = coalesce(string_to_array(u.tags, '|'), l.tags),
  timezone = coalesce(u.timezone, l.timezone),
  next_call_at = coalesce(u.next_call_at, l.next_call_at),
  custom_fields = l.custom_fields || u.custom_fields
  FROM ${ROWS}
 WHERE l.tenant_id = $1 AND l.phone = ANY ($4::text[]) AND l.phone = u.phone`;

/**
 * Imports of one tenant run one after the other: two inserting the same new
 * phones in different orders would each wait for the other's rows until
 * PostgreSQL broke the deadlock, failing one whole file (sorting each batch
 * would not do: row locks are held across batches until commit). Taken
 * before the first write, released at commit; other tenants' imports hash to
 * other keys and never wait.
 */
export const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('lead-import:' || $1, 0))`;

/** Counts bytes as they pass and stops the stream past the limit. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new PayloadTooLargeException(`the CSV is larger than ${max} bytes`));
      else cb(null, chunk);
    },
  });
}

@Injectable()
export class LeadTransferService {
  constructor(private readonly db: Db) {}

  /**
   * Streams a CSV (header row first) into the tenant's leads: parsed and
   * validated row by row, upserted by phone in batches, all in the request's
   * transaction. Bad rows are reported by line and skipped; they never stop
   * the others. The whole file is never held in memory.
   */
  async import(source: Readable): Promise<ImportResult> {
    const result: ImportResult = { inserted: 0, updated: 0, rejected: [] };
    let rejectedCount = 0;
    const reject = (line: number, reason: string) => {
      rejectedCount++;
      if (result.rejected.length < REJECTIONS_REPORTED) result.rejected.push({ line, reason });
    };
    let columns: ReturnType<typeof mapHeader> | null = null;
    const seen = new Map<string, number>();
    let batch: ImportRow[] = [];
    let locked = false;

    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      if (!locked) {
        await this.waitForOtherImports();
        locked = true;
      }
      const params = (of: ImportRow[]) => {
        const col = <K extends keyof ImportRow>(k: K) => of.map((r) => r[k]);
        return [
          this.db.tenantId(),
          col('firstName'),
          col('lastName'),
          col('phone'),
          col('email'),
          col('company'),
          col('status'),
          col('source'),
          col('tags'),
          col('timezone'),
          col('nextCallAt'),
          of.map((r) => JSON.stringify(r.customFields)),
        ];
      };
      const inserted = new Set(
        (await this.db.query<{ phone: string }>(INSERT_NEW, params(rows))).map((r) => r.phone),
      );
      result.inserted += inserted.size;
      const taken = await this.withinCustomFieldsLimit(
        rows.filter((r) => !inserted.has(r.phone)),
        (phone, reason) => reject(seen.get(phone) ?? 0, reason),
      );
      if (taken.length > 0) {
        result.updated += (await this.db.execute(UPDATE_EXISTING, params(taken))).rowCount;
      }
    };

    // csv-parse counts the line a record ends on; a row is reported by the
    // line it starts on: the line after the previous record's, plus the empty lines between.
    let lastEnd = 0;
    let lastEmpty = 0;
    const startLine = (info: { lines: number; empty_lines: number }) => {
      const line = lastEnd + 1 + info.empty_lines - lastEmpty;
      lastEnd = info.lines;
      lastEmpty = info.empty_lines;
      return line;
    };
    const csvOptions: CsvOptions<{ record: string[]; line: number }, string[]> = {
      bom: true,
      relax_column_count: true,
      // `John "Johnny" Smith` unquoted is common: its quotes are kept as text
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (record: string[], info) => ({ record, line: startLine(info) }),
      // A malformed record (in practice a quote never closed, which runs to the
      // end of the file) is reported and skipped; parsing cannot resume past one
      // over the size limit, so that stops the import.
      skip_records_with_error: true,
      on_skip: (err) => {
        const line = startLine(err as unknown as { lines: number; empty_lines: number });
        if (err?.code === 'CSV_MAX_RECORD_SIZE') {
          throw new BadRequestException(
            `the CSV could not be read: the record starting on line ${line} is longer than ${MAX_RECORD_BYTES} bytes (a quote left open?)`,
          );
        }
        reject(
          line,
          err?.code === 'CSV_QUOTE_NOT_CLOSED'
            ? `a quote opened here is never closed (lines ${line}-${lastEnd} were skipped)`
            : `the row could not be read: ${err?.message}`,
        );
        return undefined;
      },
    };
    // csv-parse types what on_record returns only for parsers with `columns`
    const parser = parse(csvOptions as unknown as CsvOptions);
    const consume = async (records: AsyncIterable<{ record: string[]; line: number }>) => {
      for await (const { record, line } of records) {
        if (!columns) {
          columns = mapHeader(record);
          if (!columns.some((c) => c.field === 'phone')) {
            // e.g. Excel in many European locales saves "CSV" with semicolons
            const other =
              record.length === 1 ? [';', '\t'].find((d) => record[0].includes(d)) : undefined;
            throw new BadRequestException(
              other
                ? `the CSV must be comma-separated; its header is separated by ${other === ';' ? 'semicolons' : 'tabs'}`
                : 'the CSV header has no phone column (expected one of: ' +
                    LEAD_CSV_COLUMNS.join(', ') +
                    ')',
            );
          }
          continue;
        }
        const parsed = parseRow(record, columns);
        if (!parsed.ok) {
          reject(line, parsed.reason);
          continue;
        }
        const earlier = seen.get(parsed.row.phone);
        if (earlier !== undefined) {
          reject(line, `phone ${parsed.row.phone} already appears on line ${earlier}`);
          continue;
        }
        seen.set(parsed.row.phone, line);
        batch.push(parsed.row);
        if (batch.length >= BATCH) await flush();
      }
    };
    try {
      await pipeline(source, byteLimit(IMPORT_MAX_BYTES), crlfToLf(), parser, consume);
    } catch (e) {
      // whatever csv-parse cannot read is the file's fault, never a 500
      if (e instanceof CsvError) {
        throw new BadRequestException(`the CSV could not be read: ${e.message}`);
      }
      throw e;
    }
    if (!columns) throw new BadRequestException('the CSV is empty: a header row is required');
    await flush();
    // found out of order (the parser reads ahead of the rows being checked): listed by line
    result.rejected.sort((x, y) => x.line - y.line);
    if (rejectedCount > result.rejected.length) {
      result.rejected.push({
        line: 0,
        reason: `${rejectedCount - result.rejected.length} more rows rejected (not listed)`,
      });
    }
    return result;
  }

  /** Takes IMPORT_LOCK; a wait past the statement timeout is the caller's to retry, not an outage. */
  private async waitForOtherImports(): Promise<void> {
    try {
      await this.db.query(IMPORT_LOCK, [this.db.tenantId()]);
    } catch (e) {
      if (pgCode(e) === '57014') {
        throw new ConflictException(
          "another import of this tenant's leads is still running: retry once it has finished",
        );
      }
      throw e;
    }
  }

  /**
   * The rows whose custom fields, merged into their lead's, stay within the
   * JSON API's limit (measured the same way); the others are rejected. Their
   * leads are locked, so no concurrent write grows them before the UPDATE.
   */
  private async withinCustomFieldsLimit(
    rows: ImportRow[],
    reject: (phone: string, reason: string) => void,
  ): Promise<ImportRow[]> {
    const growing = rows.filter((r) => Object.keys(r.customFields).length > 0);
    if (growing.length === 0) return rows;
    const leads = await this.db.query<{ phone: string; customFields: Record<string, unknown> }>(
      `SELECT phone, custom_fields AS "customFields" FROM leads
        WHERE tenant_id = $1 AND phone = ANY ($2::text[]) FOR UPDATE`,
      [this.db.tenantId(), growing.map((r) => r.phone)],
    );
    const incoming = new Map(growing.map((r) => [r.phone, r.customFields]));
    const over = new Set<string>();
    for (const l of leads) {
      const size = jsonSize({ ...l.customFields, ...incoming.get(l.phone) });
      if (size > CUSTOM_FIELDS_MAX_BYTES) {
        over.add(l.phone);
        reject(
          l.phone,
          `the lead's custom fields would be ${size} bytes with this row's extra columns, over the limit of ${CUSTOM_FIELDS_MAX_BYTES}`,
        );
      }
    }
    return over.size === 0 ? rows : rows.filter((r) => !over.has(r.phone));
  }

  /** Writes the tenant's leads as CSV to `out` in keyset batches, honouring backpressure. */
  async export(filter: LeadFilter, out: Writable): Promise<void> {
    const write = (chunk: string) => writeWithBackpressure(out, chunk);
    await write(
      csvLine(['id', ...LEAD_CSV_COLUMNS, 'assigned_agent_id', 'last_contacted_at', 'created_at']),
    );
    let cursor: string | undefined;
    do {
      const { sql, params } = pageQuery(
        'leads l',
        LEAD_COLUMNS,
        leadFilter(this.db.tenantId(), filter),
        cursor,
        EXPORT_BATCH,
      );
      const page = toPage(
        await this.db.query<Record<string, unknown> & { id: string; _ts: string }>(sql, params),
        EXPORT_BATCH,
      );
      const chunk = page.data
        .map((r) =>
          csvLine([
            r.id,
            r['firstName'],
            r['lastName'],
            r['phone'],
            r['email'],
            r['company'],
            r['status'],
            r['source'],
            r['tags'],
            r['timezone'],
            r['nextCallAt'],
            r['assignedAgentId'],
            r['lastContactedAt'],
            r['createdAt'],
          ]),
        )
        .join('');
      if (chunk) await write(chunk);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

/** Resolves once `out` takes more; rejects once the reader is gone (the export stops). */
function writeWithBackpressure(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the client went away'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      out.off('drain', go);
      out.off('close', go);
      resolve();
    };
    out.on('drain', go);
    out.on('close', go);
  });
}
