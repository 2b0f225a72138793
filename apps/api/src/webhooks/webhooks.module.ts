import { Module } from '@nestjs/common';
import { SecretBox } from '../common/secret-box';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEvents } from './webhook-events.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Outbound webhooks. Sits below leads and calls in the layers: they record
 * their events through WebhookEvents, in their own transactions.
 */
@Module({
  imports: [MailModule, UsersModule],
  controllers: [WebhooksController],
  providers: [
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    WebhookEvents,
    WebhooksService,
    WebhookDispatcher,
    SecretBox,
  ],
  exports: [WebhookEvents],
})
export class WebhooksModule {}
