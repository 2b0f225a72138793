import { createZodDto } from '../common/zod-dto';
import {
  AcceptInvitationResponse,
  AcceptInviteRequest,
  AcceptInviteResponse,
  InvitationList,
  InvitationTokenRequest,
  LinkedInvitation,
  PageQuery,
} from '@acc/contracts';

export class InvitationListDto extends createZodDto(InvitationList) {}
export class InvitationPageQueryDto extends createZodDto(PageQuery) {}
export class AcceptInvitationResponseDto extends createZodDto(AcceptInvitationResponse) {}
export class InvitationTokenDto extends createZodDto(InvitationTokenRequest) {}
export class LinkedInvitationDto extends createZodDto(LinkedInvitation) {}
export class AcceptInviteDto extends createZodDto(AcceptInviteRequest) {}
export class AcceptInviteResponseDto extends createZodDto(AcceptInviteResponse) {}
