import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  DialerSettings,
  DialerType,
  UpdateDialerRequest,
  UpdatedDialer,
} from '@acc/contracts';
import { SecretBox } from '../common/secret-box';
import { currentPrincipal } from '../tenancy/request-context';
import { DialerRow, TenantsRepository } from '../tenants/tenants.repository';
import { dialerSecretContext, newSigningSecret } from './call-dispatcher.service';
import { AUDIT_SECRET_CHANGED } from '@acc/contracts';
import { diff } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';

const option = (d: DialerRow, key: string) =>
  typeof d.options[key] === 'string' ? (d.options[key] as string) : null;

const shape = (d: DialerRow): DialerSettings => ({
  type: d.type as DialerType,
  callerId: d.callerId,
  url: d.url,
  phoneNumberId: option(d, 'phoneNumberId'),
  secretSet: d.secret !== null,
});

/** Settings, Dialer: who places the tenant's calls (call-dispatcher.service.ts). */
@Injectable()
export class DialerSettingsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  private async current(): Promise<DialerRow> {
    const d = await this.tenants.dialer();
    if (!d) throw new NotFoundException('tenant configuration not found');
    return d;
  }

  async get(): Promise<DialerSettings> {
    return shape(await this.current());
  }

  /**
   * The webhook dialer gets its signing secret the first time it is chosen
   * (or when asked to rotate it): answered once, stored sealed. Vapi and
   * Retell take the tenant's API key there (kept when left out, required
   * when switching to them); the simulator keeps no secret.
   */
  async put(body: UpdateDialerRequest): Promise<UpdatedDialer> {
    const before = await this.current();
    const tenantId = currentPrincipal().tenantId;
    const switched = before.type !== body.type;
    const seal = (plain: string) => this.box.seal(plain, dialerSecretContext(tenantId));
    let signingSecret: string | undefined;
    let secret: Buffer | null | undefined; // undefined: keep
    if (body.type === 'simulator') secret = null;
    else if (body.type === 'webhook') {
      if (switched || before.secret === null || body.rotateSecret) {
        signingSecret = newSigningSecret();
        secret = seal(signingSecret);
      }
    } else if (body.apiKey) secret = seal(body.apiKey);
    else if (switched || before.secret === null)
      throw new BadRequestException([`apiKey: the ${body.type} dialer needs your API key there`]);
    const next = {
      type: body.type,
      callerId: body.callerId ?? null,
      url: body.type === 'webhook' ? (body.url ?? null) : null,
      options: {
        ...(body.type === 'vapi' && body.phoneNumberId && { phoneNumberId: body.phoneNumberId }),
      },
      secret,
    };
    await this.tenants.putDialer(next);
    await this.audit.record({
      action: 'dialer_settings.updated',
      resourceType: 'dialer_settings',
      resourceId: tenantId,
      changes: {
        // the secret's value never: only whether it changed
        ...diff(before, next, ['type', 'callerId', 'url', 'options']),
        ...(secret !== undefined && { secret: AUDIT_SECRET_CHANGED }),
      },
    });
    return {
      ...shape({ ...next, secret: secret === undefined ? before.secret : secret }),
      ...(signingSecret && { signingSecret }),
    };
  }
}
