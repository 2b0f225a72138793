import { createZodDto } from '../common/zod-dto';
import {
  InvitationLink,
  InviteMemberRequest,
  Member,
  MemberList,
  PageQuery,
  UpdateMemberRequest,
} from '@acc/contracts';

export class MemberDto extends createZodDto(Member) {}
export class MemberListDto extends createZodDto(MemberList) {}
export class InviteMemberDto extends createZodDto(InviteMemberRequest) {}
export class UpdateMemberDto extends createZodDto(UpdateMemberRequest) {}
export class MemberPageQueryDto extends createZodDto(PageQuery) {}
export class InvitationLinkDto extends createZodDto(InvitationLink) {}
