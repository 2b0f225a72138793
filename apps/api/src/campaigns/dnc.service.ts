import type { Readable } from 'node:stream';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import {
  type CreateDncRequest,
  type DncEntry,
  type DncImportResult,
  type DncListQuery,
  type Page,
  normalizePhone,
} from '@acc/contracts';
import { readCsv } from '../leads/csv-records';
import { currentPrincipal } from '../tenancy/request-context';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { DncAuthor, DncRepository } from './dnc.repository';
import { counts } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

const PHONE_HEADERS = ['phone', 'phone_number', 'number', 'mobile', 'telephone'];
const BATCH = 2_000;
const REJECTIONS_REPORTED = 1_000;

/** The person or API key of this request, as the author of a listing. */
function author(): DncAuthor {
  const p = currentPrincipal();
  return p.kind === 'user' ? { userId: p.userId } : { apiKeyId: p.apiKeyId };
}

/** The tenant's do-not-call list. Every dispatch reads it (eligibility.ts). */
@Injectable()
export class DncService {
  constructor(
    private readonly dnc: DncRepository,
    private readonly campaignLeads: CampaignLeadsRepository,
    private readonly audit: AuditService,
  ) {}

  list({ q, cursor, limit }: DncListQuery): Promise<Page<DncEntry>> {
    return this.dnc.page(q, cursor, limit);
  }

  /** Listing a number twice keeps the first entry (its reason and author): `created` says which. */
  async add(body: CreateDncRequest): Promise<{ entry: DncEntry; created: boolean }> {
    const created = await this.dnc.add(body.phone, body.reason ?? null, author());
    const entry = await this.dnc.findByPhone(body.phone);
    if (!entry) throw new NotFoundException('do-not-call entry not found');
    await this.campaignLeads.skipPhones([body.phone]);
    // listing a number already listed changes nothing
    if (created)
      await this.audit.record({
        action: 'dnc.added',
        resourceType: 'dnc',
        resourceId: entry.id,
        changes: { phone: [null, entry.phone], reason: [null, entry.reason ?? null] },
      });
    return { entry, created };
  }

  async remove(id: string): Promise<void> {
    if (!(await this.dnc.delete(id))) throw new NotFoundException('do-not-call entry not found');
    await this.audit.record({ action: 'dnc.removed', resourceType: 'dnc', resourceId: id });
  }

  /**
   * A CSV with a header row naming a phone column (phone, phone_number,
   * number, mobile, telephone) and optionally `reason`; other columns are
   * ignored. Numbers are normalised like a lead's; bad ones are reported by
   * line and skipped, listed ones are kept as they are.
   */
  async import(source: Readable): Promise<DncImportResult> {
    const by = author();
    const result: DncImportResult = { inserted: 0, existing: 0, rejected: [] };
    let rejected = 0;
    const reject = (line: number, reason: string) => {
      if (rejected++ < REJECTIONS_REPORTED) result.rejected.push({ line, reason });
    };
    let columns: { phone: number; reason: number } | null = null;
    const seen = new Map<string, number>();
    let batch: Array<{ phone: string; reason: string | null }> = [];
    const flush = async () => {
      const added = await this.dnc.addMany(batch, by);
      await this.campaignLeads.skipPhones(batch.map((b) => b.phone));
      result.inserted += added;
      result.existing += batch.length - added;
      batch = [];
    };
    await readCsv(source, {
      unreadable: reject,
      record: async (cells, line) => {
        if (!columns) {
          const names = cells.map((c) =>
            c
              .trim()
              .toLowerCase()
              .replace(/[\s-]+/g, '_'),
          );
          const phone = names.findIndex((n) => PHONE_HEADERS.includes(n));
          if (phone < 0)
            throw new BadRequestException(
              `the header row names no phone column (one of ${PHONE_HEADERS.join(', ')})`,
            );
          columns = { phone, reason: names.indexOf('reason') };
          return;
        }
        const parsed = normalizePhone(cells[columns.phone] ?? '');
        if (!parsed.ok) return reject(line, parsed.reason);
        const earlier = seen.get(parsed.e164);
        if (earlier) return reject(line, `${parsed.e164} already appears on line ${earlier}`);
        seen.set(parsed.e164, line);
        const reason = columns.reason >= 0 ? (cells[columns.reason] ?? '').trim() : '';
        if (reason.length > 500) return reject(line, 'reason is longer than 500 characters');
        batch.push({ phone: parsed.e164, reason: reason || null });
        if (batch.length >= BATCH) await flush();
      },
    });
    if (!columns) throw new BadRequestException('the CSV is empty: a header row is required');
    await flush();
    result.rejected.sort((x, y) => x.line - y.line);
    if (rejected > REJECTIONS_REPORTED)
      result.rejected.push({
        line: 0,
        reason: `${rejected - REJECTIONS_REPORTED} more rows rejected (not listed)`,
      });
    await this.audit.record({
      action: 'dnc.imported',
      resourceType: 'dnc',
      changes: counts({ inserted: result.inserted, existing: result.existing, rejected }),
    });
    return result;
  }
}
