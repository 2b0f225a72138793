import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  ApiKeyList,
  ApiKeyListQuery,
  CreateApiKeyRequest,
  CreatedApiKey,
} from '@acc/contracts';
import { newApiKey } from '../access/api-key-secret';
import { ApiKeyUsage } from '../access/api-key-usage.service';
import { ApiKeysRepository } from '../access/api-keys.repository';
import { UsersRepository } from '../users/users.repository';
import { currentPerson } from '../tenancy/request-context';
import { created } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly keyUsage: ApiKeyUsage,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; "last used" includes what this instance saw but had not written yet. */
  async list({ cursor, limit }: ApiKeyListQuery): Promise<ApiKeyList> {
    await this.keyUsage.flushCurrentTenant();
    return this.keys.page(cursor, limit);
  }

  /** A new key of the tenant: the only answer that ever carries the key itself. */
  async create(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    const { userId } = currentPerson();
    const { key, prefix, hash } = newApiKey();
    const row = await this.keys.insert({
      name: body.name,
      role: body.role,
      expiresAt: body.expiresAt ?? null,
      prefix,
      keyHash: hash,
      createdBy: userId,
    });
    await this.audit.record({
      action: 'api_key.created',
      resourceType: 'api_key',
      resourceId: row.id,
      changes: created(row, ['name', 'role', 'expiresAt', 'prefix']),
    });
    const creator = await this.users.publicUser(userId);
    return { ...row, createdBy: creator ? { id: userId, name: creator.fullName } : null, key };
  }

  /** Revokes: the key's next request is refused (its row is gone). */
  async remove(id: string): Promise<void> {
    if (!(await this.keys.delete(id))) throw new NotFoundException('API key not found');
    await this.audit.record({ action: 'api_key.revoked', resourceType: 'api_key', resourceId: id });
  }
}
