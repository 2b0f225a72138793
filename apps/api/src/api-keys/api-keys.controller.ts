import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PeopleOnly } from '../access/people-only.decorator';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { IdParamDto } from '../common/id-param.dto';
import {
  ApiKeyListDto,
  ApiKeyListQueryDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
} from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

/** Keys are managed by people only: a key that could mint keys could outlive its own revocation. */
@ApiTags('api-keys')
@AuthenticatedRoute()
@MinRole('admin')
@PeopleOnly()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's API keys, newest first (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(@Query() q: ApiKeyListQueryDto) {
    return this.keys.list(q);
  }

  @Post()
  @ApiOperation({
    summary:
      'A new API key acting in this workspace at the given role (viewer, member or admin). ' +
      'The key (`acc_...`) is in this answer only: send it as `Authorization: Bearer acc_...`',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() body: CreateApiKeyDto) {
    return this.keys.create(body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: its next request is refused (401)' })
  @ApiNoContentResponse()
  async remove(@Param() p: IdParamDto): Promise<void> {
    await this.keys.remove(p.id);
  }
}
