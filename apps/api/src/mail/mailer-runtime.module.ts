import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MailerModule } from '@nestjs-modules/mailer';
import { HandlebarsAdapter } from '@nestjs-modules/mailer/adapters/handlebars.adapter';
import type { MailerOptions } from '@nestjs-modules/mailer';
import type { Env } from '../config/env';

/**
 * Loaded on the first mail, not at boot (see MailService): the mailer pulls in
 * nodemailer, handlebars and, through preview-email, pug and babel, about
 * 20 MB of heap an idle API never needs.
 */

/** Templates sit beside this file in the source tree and under mail-templates/ in the build. */
function templatesDir(): string {
  const candidates = [join(__dirname, 'templates'), join(__dirname, 'mail-templates')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

@Module({
  imports: [
    MailerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): MailerOptions => {
        const host = config.get('SMTP_HOST', { infer: true });
        const user = config.get('SMTP_USER', { infer: true });
        return {
          // No SMTP server configured: nodemailer renders the message as JSON and MailService logs it.
          transport: host
            ? {
                host,
                port: config.get('SMTP_PORT', { infer: true }),
                secure: config.get('SMTP_SECURE', { infer: true }),
                auth: user
                  ? { user, pass: config.get('SMTP_PASSWORD', { infer: true }) }
                  : undefined,
                connectionTimeout: 10_000,
              }
            : { jsonTransport: true },
          defaults: { from: config.get('SMTP_FROM', { infer: true }) } as MailerOptions['defaults'],
          template: {
            dir: templatesDir(),
            adapter: new HandlebarsAdapter(undefined, { inlineCssEnabled: false }),
            options: { strict: true },
          },
        };
      },
    }),
  ],
})
export class MailerRuntimeModule {}
