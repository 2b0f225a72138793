import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { LEAD_CSV_COLUMNS, type Lead, type LeadFilter } from '@acc/contracts';
import { csvLine } from './csv';
import { AuditService } from '../audit/audit.service';
import { Db } from '../tenancy/db.service';
import { LeadsRepository } from './leads.repository';

// small enough that building one batch's CSV never holds the event loop for long
// (ten exports at once left other requests waiting over a second with 5,000)
const BATCH = 1_000;

const camelCase = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** The import's columns (so an export re-imports), framed by what only the server sets. */
const COLUMNS = ['id', ...LEAD_CSV_COLUMNS, 'assigned_agent_id', 'last_contacted_at', 'created_at'];
const FIELDS = COLUMNS.map(camelCase) as Array<keyof Lead>;

/** The client took nothing for the write timeout: the export is abandoned and its socket closed. */
export class ClientStalledError extends Error {
  constructor(ms: number) {
    super(`the client read nothing for ${ms} ms`);
  }
}

/** The tenant's (filtered) leads as CSV. */
@Injectable()
export class LeadExportService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /**
   * Writes to `out` in keyset batches, honouring backpressure. Each batch is
   * read in a transaction of its own (a new snapshot: a lead written
   * meanwhile may or may not be in the file, none is there twice), which
   * ends before the batch is written, so no connection waits on the
   * reader; a reader that takes nothing for writeTimeoutMs is dropped.
   */
  async export(filter: LeadFilter, out: Writable, writeTimeoutMs: number): Promise<void> {
    const write = (chunk: string) => writeWithBackpressure(out, chunk, writeTimeoutMs);
    let cursor: string | undefined;
    let first = true;
    // reads are not audited, exports are: committed with the first batch, before any byte goes out
    await this.audit.record({
      action: 'leads.exported',
      resourceType: 'lead',
      changes: Object.keys(filter).length ? { filter: [null, filter] } : {},
    });
    do {
      const page = await this.leads.page(filter, cursor, BATCH);
      await this.db.commitAndRelease();
      const rows = page.data.map((lead) => csvLine(FIELDS.map((f) => lead[f]))).join('');
      const chunk = first ? csvLine(COLUMNS) + rows : rows;
      first = false;
      if (chunk) await write(chunk);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

/** Resolves once `out` takes more; rejects once the reader is gone or has taken nothing for ms. */
function writeWithBackpressure(out: Writable, chunk: string, ms: number): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the client went away'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    const timer = setTimeout(() => {
      out.off('drain', done);
      out.off('close', done);
      reject(new ClientStalledError(ms));
    }, ms);
    out.on('drain', done);
    out.on('close', done);
  });
}
