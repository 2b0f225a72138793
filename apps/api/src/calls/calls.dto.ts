import { createZodDto } from '../common/zod-dto';
import {
  Call,
  CallListQuery,
  CallPage,
  CallStats,
  CallStatsQuery,
  CreateCallRequest,
  UpdateCallRequest,
} from '@acc/contracts';

export class CallDto extends createZodDto(Call) {}
export class CallPageDto extends createZodDto(CallPage) {}
export class CallListQueryDto extends createZodDto(CallListQuery) {}
export class CreateCallDto extends createZodDto(CreateCallRequest) {}
export class UpdateCallDto extends createZodDto(UpdateCallRequest) {}
export class CallStatsDto extends createZodDto(CallStats) {}
export class CallStatsQueryDto extends createZodDto(CallStatsQuery) {}
