import { createZodDto } from '../common/zod-dto';
import {
  Agent,
  AgentListQuery,
  AgentPage,
  AgentVersionDetail,
  AgentVersionListQuery,
  AgentVersionPage,
  AgentVersionParams,
  CreateAgentRequest,
  UpdateAgentRequest,
} from '@acc/contracts';

export class AgentDto extends createZodDto(Agent) {}
export class AgentPageDto extends createZodDto(AgentPage) {}
export class AgentListQueryDto extends createZodDto(AgentListQuery) {}
export class CreateAgentDto extends createZodDto(CreateAgentRequest) {}
export class UpdateAgentDto extends createZodDto(UpdateAgentRequest) {}
export class AgentVersionPageDto extends createZodDto(AgentVersionPage) {}
export class AgentVersionDetailDto extends createZodDto(AgentVersionDetail) {}
export class AgentVersionListQueryDto extends createZodDto(AgentVersionListQuery) {}
export class AgentVersionParamsDto extends createZodDto(AgentVersionParams) {}
