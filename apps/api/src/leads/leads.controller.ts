import { PassThrough } from 'node:stream';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiRequestTimeoutResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MinRole } from '../access/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { ReadReplica } from '../tenancy/read-replica.decorator';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { Db } from '../tenancy/db.service';
import { UploadPace, receiveCsv, uploadPace } from './csv-upload';
import { ClientStalledError, LeadExportService } from './lead-export.service';
import { LeadImportService } from './lead-import.service';
import {
  CreateLeadDto,
  ImportResultDto,
  LeadDto,
  LeadFilterDto,
  LeadListQueryDto,
  LeadPageDto,
  UpdateLeadDto,
} from './leads.dto';
import { LeadsService } from './leads.service';

@ApiTags('leads')
@AuthenticatedRoute()
@Controller('api/v1/leads')
export class LeadsController {
  private readonly uploadPace: UploadPace;
  private readonly exportWriteTimeoutMs: number;

  constructor(
    private readonly leads: LeadsService,
    private readonly importer: LeadImportService,
    private readonly exporter: LeadExportService,
    private readonly db: Db,
    config: ConfigService<Env, true>,
  ) {
    this.uploadPace = uploadPace(config);
    this.exportWriteTimeoutMs = config.get('EXPORT_WRITE_TIMEOUT_MS', { infer: true });
  }

  @Get()
  @ReadReplica()
  @ApiOperation({
    summary:
      'Leads, newest first or by `sort`; filters status, agentId, tag; q searches name, phone, email, company; `total` on page 1',
  })
  @ApiOkResponse({ type: LeadPageDto })
  list(@Query() q: LeadListQueryDto) {
    return this.leads.list(q);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a lead (member+); phone in E.164 or national form, unique per tenant',
  })
  @MinRole('member')
  @ApiCreatedResponse({ type: LeadDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'a lead with this phone exists' })
  create(@Body() body: CreateLeadDto) {
    return this.leads.create(body);
  }

  @Post('import')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'importLeads',
    summary: 'Upsert leads by phone from a CSV with a header row; bad rows are reported, not fatal',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
    description: 'multipart field `file`, or the CSV itself as a text/csv body',
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiPayloadTooLargeResponse({ type: ApiErrorDto })
  @ApiRequestTimeoutResponse({
    type: ApiErrorDto,
    description:
      'the upload stalled or was too slow (UPLOAD_IDLE_TIMEOUT_MS, UPLOAD_MIN_BYTES_PER_SECOND)',
  })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: "another import of this tenant's leads ran past the statement timeout",
  })
  async import(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // The guard's transaction has checked the caller; the connection goes back
    // to the pool while the file arrives, and the import takes one once it is all here.
    await this.db.commitAndRelease();
    const upload = await receiveCsv(req, reply, this.uploadPace);
    try {
      return await this.importer.import(await upload.open());
    } finally {
      await upload.discard();
    }
  }

  @Get('export')
  @ReadReplica()
  @ApiOperation({
    operationId: 'exportLeads',
    summary: "The tenant's leads as CSV (same filters as the list), streamed",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv' })
  async export(@Query() f: LeadFilterDto, @Res() reply: FastifyReply): Promise<void> {
    const csv = new PassThrough();
    // Fastify listens once it pipes; a failure before that must not go unheard (it would stop the process).
    csv.on('error', () => undefined);
    void reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="leads-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .header('Cache-Control', 'no-store')
      .send(csv);
    // Each batch is read in a transaction of its own, whose connection is given
    // back before the batch is written: a slow reader holds no connection.
    try {
      await this.exporter.export(f, csv, this.exportWriteTimeoutMs);
      csv.end();
    } catch (e) {
      csv.destroy(e as Error);
      // the client went away, or stopped reading: no one to answer, nothing went wrong
      if (e instanceof ClientStalledError) reply.raw.destroy();
      if (reply.raw.destroyed) return;
      throw e;
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'One lead' })
  @ApiOkResponse({ type: LeadDto })
  get(@Param() p: IdParamDto) {
    return this.leads.get(p.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change any subset of a lead's fields" })
  @MinRole('member')
  @ApiOkResponse({ type: LeadDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'a lead with this phone exists' })
  update(@Param() p: IdParamDto, @Body() body: UpdateLeadDto) {
    return this.leads.update(p.id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a lead' })
  @MinRole('member')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.leads.remove(p.id);
  }
}
