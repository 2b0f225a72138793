import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AUDIT_CSV_COLUMNS, type AuditEvent } from '@acc/contracts';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { Db } from '../tenancy/db.service';
import { AuditEventFilterDto, AuditEventListQueryDto, AuditEventPageDto } from './audit.dto';
import { AuditService } from './audit.service';

/** An export reads at most this many events (a year of a busy tenant); narrow the filter for more. */
const EXPORT_MAX = 100_000;
const BATCH = 1_000;

@ApiTags('audit')
@AuthenticatedRoute()
@MinRole('admin')
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary:
      'Who changed what in this workspace, newest first (admin+); filters actor (id or part of ' +
      'the name), action, resourceType, resourceId, from (inclusive), to (exclusive)',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() q: AuditEventListQueryDto) {
    return this.audit.list(q);
  }

  @Get('export')
  @ApiOperation({
    operationId: 'exportAuditEvents',
    summary: 'The filtered events as CSV (admin+); the export is itself recorded',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv' })
  async export(@Query() f: AuditEventFilterDto, @Res() reply: FastifyReply): Promise<void> {
    // recorded and committed before the first byte: an export that was read is in the log
    await this.audit.record({
      action: 'audit_events.exported',
      resourceType: 'audit_event',
      changes: Object.keys(f).length ? { filter: [null, f] } : {},
    });
    const lines: string[] = [csvLine([...AUDIT_CSV_COLUMNS])];
    let cursor: string | undefined;
    let n = 0;
    do {
      const page = await this.audit.list({ ...f, cursor, limit: BATCH });
      for (const e of page.data) lines.push(csvLine(row(e)));
      n += page.data.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && n < EXPORT_MAX);
    await this.db.finish(true);
    void reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .header('Cache-Control', 'no-store')
      .send(lines.join(''));
  }
}

function row(e: AuditEvent): unknown[] {
  return [
    e.id,
    e.at,
    e.actor.type,
    e.actor.id,
    e.actor.name,
    e.action,
    e.resourceType,
    e.resourceId,
    JSON.stringify(e.changes),
    e.ip,
    e.userAgent,
    e.requestId,
  ];
}

/** RFC 4180; a cell a spreadsheet would run as a formula gets a leading quote. */
function csvLine(values: unknown[]): string {
  return (
    values
      .map((v) => {
        let s = v === null || v === undefined ? '' : String(v);
        if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(',') + '\r\n'
  );
}
