import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PeopleOnly } from '../access/people-only.decorator';
import { MinRole } from '../access/roles.decorator';
import { AuthenticatedRoute } from '../common/api-docs';
import { DialerSettingsDto, UpdateDialerDto, UpdatedDialerDto } from './campaigns.dto';
import { DialerSettingsService } from './dialer-settings.service';

@ApiTags('tenants')
@AuthenticatedRoute()
@Controller('api/v1/tenant/dialer')
export class DialerSettingsController {
  constructor(private readonly dialer: DialerSettingsService) {}

  @Get()
  @MinRole('admin')
  @ApiOperation({
    summary: "Who places the workspace's calls: the simulator or your bridge (webhook)",
  })
  @ApiOkResponse({ type: DialerSettingsDto })
  get() {
    return this.dialer.get();
  }

  @Put()
  @MinRole('admin')
  @PeopleOnly()
  @ApiOperation({
    summary:
      'Choose the dialer. The webhook dialer POSTs a signed call.dispatch to `url`; its signing secret ' +
      '(whsec_...) is in this answer only, the first time or with rotateSecret',
  })
  @ApiOkResponse({ type: UpdatedDialerDto })
  put(@Body() body: UpdateDialerDto) {
    return this.dialer.put(body);
  }
}
