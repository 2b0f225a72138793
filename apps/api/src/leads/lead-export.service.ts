import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { LEAD_CSV_COLUMNS, type Lead, type LeadFilter } from '@acc/contracts';
import { csvLine } from './csv';
import { AuditService } from '../audit/audit.service';
import { Db } from '../tenancy/db.service';
import { AgentsRepository } from '../agents/agents.repository';
import { mapHeader } from './lead-row';
import { LeadsRepository } from './leads.repository';

// small enough that building one batch's CSV never holds the event loop for long
// (ten exports at once left other requests waiting over a second with 5,000)
const BATCH = 1_000;

const camelCase = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/**
 * The import's columns (so an export re-imports), framed by what only the server sets; the
 * assigned agent by name, as people read it (the import reads past it, lead-row.ts).
 */
const COLUMNS = ['id', ...LEAD_CSV_COLUMNS, 'assigned_agent', 'last_contacted_at', 'created_at'];
const FIELDS = COLUMNS.map(camelCase) as Array<keyof Lead | 'assignedAgent'>;

/** A custom field's value as a cell: text as is, anything structured as its JSON. */
const customCell = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);

/** A lead's cells, its agent named from `agents` (id -> name), then its custom fields. */
const cells = (lead: Lead, agents: Map<string, string>, custom: string[]): unknown[] => [
  ...FIELDS.map((f) =>
    f === 'assignedAgent' ? (agents.get(lead.assignedAgentId ?? '') ?? '') : lead[f],
  ),
  ...custom.map((name) => customCell(lead.customFields?.[name])),
];

/**
 * The custom fields that get a column: each one the import reads back into a custom field (one
 * named like a lead field or a server column, such as "phone" or "id", would not: left out).
 */
const customColumns = (names: string[]) =>
  names.filter((n) => {
    const [column] = mapHeader([n]);
    return column.field === null && column.name !== '';
  });

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
    private readonly agents: AgentsRepository,
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
    // an agent made during the export shows no name: it had no lead when the export began
    const agents = await this.agents.names();
    // every custom field of the filtered leads is a column, so that the file re-imports whole
    const custom = customColumns(await this.leads.customFieldNames(filter));
    do {
      const page = await this.leads.page(filter, cursor, BATCH);
      await this.db.commitAndRelease();
      const rows = page.data.map((lead) => csvLine(cells(lead, agents, custom))).join('');
      const chunk = first ? csvLine([...COLUMNS, ...custom]) + rows : rows;
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
