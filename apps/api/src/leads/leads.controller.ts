import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
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
  ApiTags,
} from '@nestjs/swagger';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { IMPORT_MAX_BYTES } from '@acc/contracts';
import { MinRole } from '../auth/roles.decorator';
import { ApiErrorDto, AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { ReadReplica } from '../tenancy/read-replica.decorator';
import { LeadTransferService } from './lead-transfer.service';
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

/** The CSV of an import: the body itself (text/csv) or the first file of a multipart form. */
function csvSource(req: Request): Promise<Readable> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > IMPORT_MAX_BYTES)
    throw new PayloadTooLargeException(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (
    type.startsWith('text/csv') ||
    type.startsWith('text/plain') ||
    type.startsWith('application/csv')
  ) {
    return Promise.resolve(req);
  }
  if (!type.startsWith('multipart/form-data')) {
    throw new UnsupportedMediaTypeException(
      'send the CSV as a text/csv body or as a multipart/form-data file',
    );
  }
  return new Promise((resolve, reject) => {
    const bb = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: IMPORT_MAX_BYTES + 1 },
    });
    let found = false;
    bb.on('file', (_name, file) => {
      found = true;
      resolve(file);
    });
    bb.on('error', reject);
    bb.on('finish', () => {
      if (!found) reject(new UnsupportedMediaTypeException('the multipart form has no file'));
    });
    req.pipe(bb);
  });
}

@ApiTags('leads')
@AuthenticatedRoute()
@Controller('api/v1/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly transfer: LeadTransferService,
  ) {}

  @Get()
  @ReadReplica()
  @ApiOperation({
    summary:
      'Leads, newest first; filters status, agentId, tag; q searches name, phone, email, company',
  })
  @ApiOkResponse({ type: LeadPageDto })
  list(@Query() q: LeadListQueryDto) {
    return this.leads.list(q);
  }

  @Post()
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
    summary: 'Upsert leads by phone from a CSV with a header row; bad rows are reported, not fatal',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
    description: 'multipart field `file`, or the CSV itself as a text/csv body',
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiPayloadTooLargeResponse({ type: ApiErrorDto })
  async import(@Req() req: Request) {
    return this.transfer.import(await csvSource(req));
  }

  @Get('export')
  @ReadReplica()
  @ApiOperation({ summary: "The tenant's leads as CSV (same filters as the list), streamed" })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv' })
  async export(@Query() f: LeadFilterDto, @Res() res: Response): Promise<void> {
    await this.transfer.export(f, res);
  }

  @Get(':id')
  @ApiOkResponse({ type: LeadDto })
  get(@Param() p: IdParamDto) {
    return this.leads.get(p.id);
  }

  @Patch(':id')
  @MinRole('member')
  @ApiOkResponse({ type: LeadDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'a lead with this phone exists' })
  update(@Param() p: IdParamDto, @Body() body: UpdateLeadDto) {
    return this.leads.update(p.id, body);
  }

  @Delete(':id')
  @MinRole('member')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.leads.remove(p.id);
  }
}
