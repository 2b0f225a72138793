import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { UploadPace, receiveCsv, uploadPace } from '../leads/csv-upload';
import { Db } from '../tenancy/db.service';
import {
  CreateDncDto,
  DncEntryDto,
  DncImportResultDto,
  DncListQueryDto,
  DncPageDto,
} from './campaigns.dto';
import { DncService } from './dnc.service';

@ApiTags('do-not-call')
@AuthenticatedRoute()
@Controller('api/v1/dnc')
export class DncController {
  private readonly uploadPace: UploadPace;

  constructor(
    private readonly dnc: DncService,
    private readonly db: Db,
    config: ConfigService<Env, true>,
  ) {
    this.uploadPace = uploadPace(config);
  }

  @Get()
  @ApiOperation({
    summary: "The tenant's do-not-call numbers, newest first; q: digits of the number",
  })
  @ApiOkResponse({ type: DncPageDto })
  list(@Query() q: DncListQueryDto) {
    return this.dnc.list(q);
  }

  @Post()
  @MinRole('member')
  @ApiOperation({
    operationId: 'addDnc',
    summary:
      'Put a number on the list (normalised to E.164): no campaign or "Call now" dials it from then on, ' +
      'and its pending campaign attempts stop. 201 when added, 200 when it was listed already (kept as it was)',
  })
  @ApiCreatedResponse({ type: DncEntryDto })
  @ApiOkResponse({ type: DncEntryDto })
  async add(@Body() body: CreateDncDto, @Res({ passthrough: true }) res: FastifyReply) {
    const { entry, created } = await this.dnc.add(body);
    res.status(created ? 201 : 200);
    return entry;
  }

  @Post('import')
  @MinRole('member')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'importDnc',
    summary:
      'Add numbers from a CSV with a header row naming a phone column (phone, phone_number, number, mobile, telephone) and optionally reason',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
    description: 'multipart field `file`, or the CSV itself as a text/csv body',
  })
  @ApiOkResponse({ type: DncImportResultDto })
  async import(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // no connection is held while the file arrives (as for the leads import)
    await this.db.commitAndRelease();
    const upload = await receiveCsv(req, reply, this.uploadPace);
    try {
      return await this.dnc.import(await upload.open());
    } finally {
      await upload.discard();
    }
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a number off the list (admin+: it may be dialed again)' })
  @ApiNoContentResponse()
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.dnc.remove(p.id);
  }
}
