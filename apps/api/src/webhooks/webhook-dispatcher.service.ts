import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { durationSeconds, type Env } from '../config/env';
import { SecretBox } from '../common/secret-box';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { Db } from '../tenancy/db.service';
import { UsersRepository } from '../users/users.repository';
import { attemptLeasesMs, retryDelayMs } from './retry-schedule';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository, webhookSecretContext } from './webhook-endpoints.repository';
import { type Attempt, WebhookSender } from './webhook-sender';

export const DELIVERY_TASK = 'webhook_delivery';
export const PURGE_TASK = 'webhook_purge';
/** enqueued by migrations/018, one per tenant that had plain secrets */
export const SEAL_TASK = 'webhook_secrets_seal';
const KEPT_DAYS = 30;

interface DeliveryJob {
  tenantId: string;
  deliveryId: string;
}

/**
 * The jobs of webhooks: one attempt of one delivery per job (the job is
 * enqueued by the database when the delivery is written or rescheduled),
 * and the daily purge of the delivery log. Each attempt runs in two short
 * tenant transactions, one to take the delivery and one to write what
 * happened; no database connection is held while the receiver answers.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('Webhooks');
  private readonly sender: WebhookSender;
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly timeoutMs: number;
  private readonly disableAfterMs: number;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly users: UsersRepository,
    private readonly mail: MailService,
    private readonly box: SecretBox,
    config: ConfigService<Env, true>,
  ) {
    this.maxAttempts = config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true });
    this.baseMs = config.get('WEBHOOK_RETRY_BASE_MS', { infer: true });
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.disableAfterMs =
      durationSeconds(config.get('WEBHOOK_DISABLE_AFTER', { infer: true })) * 1000;
    this.sender = new WebhookSender({
      timeoutMs: this.timeoutMs,
      allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }),
    });
  }

  onModuleInit(): void {
    this.jobs.define(DELIVERY_TASK, (p) => this.attempt(p as DeliveryJob));
    this.jobs.define(PURGE_TASK, () => this.purge());
    this.jobs.schedule(PURGE_TASK, '17 3 * * *');
    this.jobs.define(SEAL_TASK, (p) => this.sealPlainSecrets(p as { tenantId: string }));
  }

  onModuleDestroy(): void {
    this.sender.close();
  }

  async attempt({ tenantId, deliveryId }: DeliveryJob): Promise<void> {
    const leases = attemptLeasesMs(this.maxAttempts, this.baseMs, this.timeoutMs);
    const claimed = await this.db.transaction({ tenantId }, () =>
      this.deliveries.claim(deliveryId, leases),
    );
    if (!claimed) return; // not due: done, rescheduled, or being tried by another worker
    // A person disabled the endpoint (or the API did): its events stop, a test ping still goes.
    const skipped = !claimed.enabled && claimed.type !== 'ping';
    const secret = claimed.secretBox
      ? this.box.open(claimed.secretBox, webhookSecretContext(tenantId, claimed.endpointId))
      : claimed.plainSecret;
    const attempt: Attempt = skipped
      ? { ok: false, status: null, body: null, error: 'the endpoint is disabled', durationMs: 0 }
      : !secret
        ? // another key (INTEGRATIONS_SECRETS_KEY or the JWT secret changed): rotating makes a new one
          {
            ok: false,
            status: null,
            body: null,
            error: 'the signing secret does not open: rotate it',
            durationMs: 0,
          }
        : await this.sender.send(claimed.url, { id: claimed.eventId, body: claimed.body, secret });
    const last = attempt.ok || skipped || claimed.attempts >= this.maxAttempts;
    const disabled = await this.db.transaction({ tenantId }, async () => {
      // The endpoint's row before the delivery's, the order in which deleting
      // the endpoint takes them (its deliveries go by cascade): the other
      // order deadlocks with that delete. A success on an endpoint that was
      // not failing changes nothing there (no row lock per delivery).
      const outcome =
        skipped || (attempt.ok && !claimed.failing)
          ? undefined
          : await this.endpoints.afterAttempt(claimed.endpointId, attempt.ok, this.disableAfterMs);
      await this.deliveries.finish(
        deliveryId,
        attempt,
        last ? null : retryDelayMs(claimed.attempts, this.baseMs),
      );
      return outcome;
    });
    if (disabled) await this.tellAdmins(tenantId, disabled.disabledUrl);
  }

  private async tellAdmins(tenantId: string, url: string): Promise<void> {
    const admins = await this.db.transaction({ tenantId }, () => this.users.activeAdmins());
    this.log.warn({ tenantId, url }, 'webhook endpoint disabled after failing for days');
    const days = Math.round(this.disableAfterMs / 86_400_000);
    const reason =
      days >= 1
        ? `every delivery attempt failed for ${days} day${days > 1 ? 's' : ''}`
        : 'every delivery attempt failed for too long';
    for (const a of admins)
      this.mail.sendWebhookDisabled({
        to: a.email,
        fullName: a.fullName,
        tenantName: a.tenantName,
        url,
        reason,
      });
  }

  /**
   * Seals a tenant's signing secrets stored plain before migrations/018
   * (the key is the app's, so SQL could not). Idempotent: a rerun finds none.
   */
  async sealPlainSecrets({ tenantId }: { tenantId: string }): Promise<void> {
    const n = await this.db.transaction({ tenantId }, () =>
      this.endpoints.sealPlainSecrets((id, secret) =>
        this.box.seal(secret, webhookSecretContext(tenantId, id)),
      ),
    );
    if (n > 0) this.log.log({ tenantId }, `sealed ${n} webhook signing secrets stored plain`);
  }

  /** The delivery log keeps 30 days: older events go, with their deliveries, in every tenant. */
  async purge(): Promise<void> {
    const before = new Date(Date.now() - KEPT_DAYS * 86_400_000);
    const n = await this.db.transaction({ purpose: 'webhook-purge' }, () =>
      this.deliveries.purge(before),
    );
    if (n > 0) this.log.log(`purged ${n} webhook events older than ${KEPT_DAYS} days`);
  }
}
