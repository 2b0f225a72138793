import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LazyModuleLoader } from '@nestjs/core';
import type { MailerService } from '@nestjs-modules/mailer';
import type { Env } from '../config/env';

export interface PasswordResetMail {
  to: string;
  fullName: string;
  token: string;
  expiresInMinutes: number;
}

export interface InvitationMail {
  to: string;
  fullName: string;
  tenantName: string;
  inviterName: string;
  role: string;
  token: string;
  expiresInDays: number;
}

export interface WebhookDisabledMail {
  to: string;
  fullName: string;
  tenantName: string;
  url: string;
  reason: string;
}

/**
 * Account mails. Sending never blocks or fails the request that caused it
 * (a slow SMTP server must not reveal whether an account exists by timing):
 * callers fire and forget; failures are logged.
 */
@Injectable()
export class MailService {
  private readonly log = new Logger('Mail');
  private readonly frontendUrl: string;
  private readonly appName: string;
  private readonly logOnly: boolean;
  private readonly production: boolean;
  private mailer?: Promise<MailerService>;

  constructor(
    private readonly modules: LazyModuleLoader,
    config: ConfigService<Env, true>,
  ) {
    this.frontendUrl = config.get('FRONTEND_URL', { infer: true }).replace(/\/+$/, '');
    this.appName = config.get('APP_NAME', { infer: true });
    this.logOnly = !config.get('SMTP_HOST', { infer: true });
    this.production = config.get('NODE_ENV', { infer: true }) === 'production';
  }

  resetLink(token: string): string {
    return `${this.frontendUrl}/reset-password?token=${encodeURIComponent(token)}`;
  }

  inviteLink(token: string): string {
    return `${this.frontendUrl}/accept-invite?token=${encodeURIComponent(token)}`;
  }

  sendPasswordReset(m: PasswordResetMail): void {
    this.send(m.to, `Reset your ${this.appName} password`, 'password-reset', {
      fullName: m.fullName,
      link: this.resetLink(m.token),
      expiresInMinutes: m.expiresInMinutes,
    });
  }

  /** The same mail whether or not the email has an account: the link serves both. */
  sendInvitation(m: InvitationMail): void {
    this.send(m.to, `You are invited to ${m.tenantName}`, 'invitation', {
      fullName: m.fullName,
      tenantName: m.tenantName,
      inviterName: m.inviterName,
      role: m.role,
      expiresInDays: m.expiresInDays,
      link: this.inviteLink(m.token),
    });
  }

  /** An endpoint that failed for days was disabled: its tenant's admins are told where to look. */
  sendWebhookDisabled(m: WebhookDisabledMail): void {
    this.send(m.to, `${m.tenantName}: a webhook endpoint was disabled`, 'webhook-disabled', {
      fullName: m.fullName,
      tenantName: m.tenantName,
      url: m.url,
      reason: m.reason,
      link: `${this.frontendUrl}/settings/webhooks`,
    });
  }

  private send(
    to: string,
    subject: string,
    template: string,
    context: Record<string, unknown>,
  ): void {
    void this.loadMailer()
      .then((mailer) =>
        mailer.sendMail({ to, subject, template, context: { appName: this.appName, ...context } }),
      )
      .then((info: { message?: unknown }) => {
        if (this.logOnly && this.production) {
          // a secret link never goes to production logs
          this.log.warn({ to, subject }, 'mail not sent: SMTP_HOST is not configured');
        } else if (this.logOnly) {
          // Development without SMTP: the mail (and its link) goes to the log instead.
          this.log.log(
            { to, subject, link: context['link'] },
            'mail not sent (no SMTP_HOST); logged instead',
          );
        } else {
          this.log.log({ to, subject, template }, 'mail sent');
        }
        return info;
      })
      .catch((e: Error) => this.log.error({ to, subject, err: e.message }, 'mail failed'));
  }

  /** The mailer and its template engine are loaded by the first mail (see MailerRuntimeModule). */
  private loadMailer(): Promise<MailerService> {
    this.mailer ??= Promise.all([
      import('./mailer-runtime.module'),
      import('@nestjs-modules/mailer'),
    ]).then(async ([runtime, { MailerService }]) => {
      const ref = await this.modules.load(() => runtime.MailerRuntimeModule);
      // MailerService lives in the mailer's own (global) core module
      return ref.get(MailerService, { strict: false });
    });
    // a failed load is tried again by the next mail
    this.mailer.catch(() => (this.mailer = undefined));
    return this.mailer;
  }
}
