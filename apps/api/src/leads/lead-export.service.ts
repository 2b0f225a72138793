import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { LEAD_CSV_COLUMNS, type Lead, type LeadFilter } from '@acc/contracts';
import { csvLine } from './csv';
import { LeadsRepository } from './leads.repository';

const BATCH = 5_000;

const camelCase = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** The import's columns (so an export re-imports), framed by what only the server sets. */
const COLUMNS = ['id', ...LEAD_CSV_COLUMNS, 'assigned_agent_id', 'last_contacted_at', 'created_at'];
const FIELDS = COLUMNS.map(camelCase) as Array<keyof Lead>;

/** The tenant's (filtered) leads as CSV. */
@Injectable()
export class LeadExportService {
  constructor(private readonly leads: LeadsRepository) {}

  /** Writes to `out` in keyset batches, honouring backpressure. */
  async export(filter: LeadFilter, out: Writable): Promise<void> {
    const write = (chunk: string) => writeWithBackpressure(out, chunk);
    await write(csvLine(COLUMNS));
    let cursor: string | undefined;
    do {
      const page = await this.leads.page(filter, cursor, BATCH);
      const chunk = page.data.map((lead) => csvLine(FIELDS.map((f) => lead[f]))).join('');
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
