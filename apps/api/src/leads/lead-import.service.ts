import { counts } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import type { Readable } from 'node:stream';
import { BadRequestException, Injectable } from '@nestjs/common';
import {
  CUSTOM_FIELDS_MAX_BYTES,
  type ImportResult,
  LEAD_CSV_COLUMNS,
  type LeadImportRow,
  jsonSize,
} from '@acc/contracts';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { readCsv } from './csv-records';
import { type Column, mapHeader, parseRow } from './lead-row';
import { LeadsRepository } from './leads.repository';

const BATCH = 2_000;
const REJECTIONS_REPORTED = 1_000;

/** What one import has done so far: counts, and rejected rows by line. */
class Outcome {
  readonly result: ImportResult = { inserted: 0, updated: 0, rejected: [] };
  private rejectedCount = 0;

  reject(line: number, reason: string): void {
    this.rejectedCount++;
    if (this.result.rejected.length < REJECTIONS_REPORTED)
      this.result.rejected.push({ line, reason });
  }

  final(): ImportResult {
    // found out of order (the parser reads ahead of the rows being checked): listed by line
    this.result.rejected.sort((x, y) => x.line - y.line);
    const unlisted = this.rejectedCount - this.result.rejected.length;
    if (unlisted > 0)
      this.result.rejected.push({ line: 0, reason: `${unlisted} more rows rejected (not listed)` });
    return this.result;
  }
}

/**
 * A CSV (header row first) into the tenant's leads, in the request's
 * transaction: read record by record (csv-records), each row validated by
 * the JSON API's contract (lead-row), upserted by phone in batches
 * (LeadsRepository). Bad rows are reported by line and skipped; they never
 * stop the others.
 */
@Injectable()
export class LeadImportService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly events: WebhookEvents,
    private readonly audit: AuditService,
  ) {}

  async import(source: Readable): Promise<ImportResult> {
    const outcome = new Outcome();
    const uniques = ['phone', ...this.leads.otherUniqueFields] as Array<keyof LeadImportRow>;
    // value -> line, per unique field: a value twice in one file keeps its first row
    const seen = new Map(uniques.map((f) => [f, new Map<unknown, number>()]));
    let columns: Column[] | null = null;
    let batch: Array<{ row: LeadImportRow; line: number }> = [];
    let locked = false;
    const flush = async () => {
      if (batch.length === 0) return;
      if (!locked) await this.leads.lockImports();
      locked = true;
      await this.write(batch, outcome);
      batch = [];
    };

    await readCsv(source, {
      unreadable: (line, reason) => outcome.reject(line, reason),
      record: async (cells, line) => {
        if (!columns) {
          columns = headerColumns(cells);
          return;
        }
        const parsed = parseRow(cells, columns);
        if (!parsed.ok) return outcome.reject(line, parsed.reason);
        const repeated = uniques.find((f) => seen.get(f)?.has(parsed.row[f]));
        if (repeated) {
          const earlier = seen.get(repeated)?.get(parsed.row[repeated]);
          return outcome.reject(
            line,
            `${repeated} ${String(parsed.row[repeated])} already appears on line ${earlier}`,
          );
        }
        for (const f of uniques) if (parsed.row[f] != null) seen.get(f)?.set(parsed.row[f], line);
        batch.push({ row: parsed.row, line });
        if (batch.length >= BATCH) await flush();
      },
    });
    if (!columns) throw new BadRequestException('the CSV is empty: a header row is required');
    await flush();
    const result = outcome.final();
    // one event per import, with its counts: not one per row
    await this.events.emit('leads.imported', result);
    await this.audit.record({
      action: 'leads.imported',
      resourceType: 'lead',
      changes: counts({
        inserted: result.inserted,
        updated: result.updated,
        rejected: result.rejected.length,
      }),
    });
    return result;
  }

  /** One batch: new phones inserted, the rest update their lead, rows that would break a rule rejected. */
  private async write(batch: Array<{ row: LeadImportRow; line: number }>, outcome: Outcome) {
    const lineOf = new Map(batch.map((b) => [b.row.phone, b.line]));
    const rejected = new Set<string>();
    const reject = (phone: string, reason: string) => {
      rejected.add(phone);
      outcome.reject(lineOf.get(phone) ?? 0, reason);
    };
    await this.takenElsewhere(batch, reject);
    const rows = batch.map((b) => b.row).filter((r) => !rejected.has(r.phone));
    const inserted = await this.leads.insertNew(rows);
    outcome.result.inserted += inserted.size;
    await this.overCustomFieldsLimit(
      rows.filter((r) => !inserted.has(r.phone)),
      reject,
    );
    outcome.result.updated += await this.leads.updateExisting(
      rows.filter((r) => !inserted.has(r.phone) && !rejected.has(r.phone)),
    );
  }

  /** Rows giving a unique value (other than phone) that another lead already holds. */
  private async takenElsewhere(
    batch: Array<{ row: LeadImportRow }>,
    reject: (phone: string, reason: string) => void,
  ): Promise<void> {
    for (const field of this.leads.otherUniqueFields) {
      const f = field as keyof LeadImportRow;
      const given = batch.filter((b) => b.row[f] != null);
      if (given.length === 0) continue;
      const holders = await this.leads.holding(
        field,
        given.map((b) => b.row[f]),
      );
      const holderOf = new Map(holders.map((h) => [h[field], h.phone]));
      for (const { row } of given) {
        const holder = holderOf.get(row[f] as never);
        if (holder && holder !== row.phone)
          reject(
            row.phone,
            `${field} ${String(row[f])} already belongs to the lead with phone ${holder}`,
          );
      }
    }
  }

  /**
   * Rows whose custom fields, merged into their lead's, would pass the JSON
   * API's limit (measured the same way). Their leads are locked, so no
   * concurrent write grows them before the update.
   */
  private async overCustomFieldsLimit(
    rows: LeadImportRow[],
    reject: (phone: string, reason: string) => void,
  ): Promise<void> {
    const growing = rows.filter((r) => Object.keys(r.customFields ?? {}).length > 0);
    if (growing.length === 0) return;
    const leads = await this.leads.holding(
      'phone',
      growing.map((r) => r.phone),
      ['customFields'],
    );
    const incoming = new Map(growing.map((r) => [r.phone, r.customFields]));
    for (const l of leads as Array<{ phone: string; customFields: Record<string, unknown> }>) {
      const size = jsonSize({ ...l.customFields, ...incoming.get(l.phone) });
      if (size > CUSTOM_FIELDS_MAX_BYTES)
        reject(
          l.phone,
          `the lead's custom fields would be ${size} bytes with this row's extra columns, over the limit of ${CUSTOM_FIELDS_MAX_BYTES}`,
        );
    }
  }
}

/** The header row as columns; a file without a phone column is refused whole. */
function headerColumns(header: string[]): Column[] {
  const columns = mapHeader(header);
  if (columns.some((c) => c.field === 'phone')) return columns;
  // e.g. Excel in many European locales saves "CSV" with semicolons
  const other = header.length === 1 ? [';', '\t'].find((d) => header[0].includes(d)) : undefined;
  throw new BadRequestException(
    other
      ? `the CSV must be comma-separated; its header is separated by ${other === ';' ? 'semicolons' : 'tabs'}`
      : `the CSV header has no phone column (expected one of: ${LEAD_CSV_COLUMNS.join(', ')})`,
  );
}
