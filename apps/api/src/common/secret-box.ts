import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { resolveJwtSecret } from '../config/jwt-secret';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals the voice providers' secrets for storage (AES-256-GCM). They must be
 * read back to check an HMAC, so a hash would not do; a database dump or a
 * backup alone does not reveal them. The key is INTEGRATIONS_SECRETS_KEY, or
 * when unset derived from the JWT secret (HKDF), so a new install needs no
 * extra setting. `context` (tenant and provider) is bound in as associated
 * data: a box copied into another tenant's row does not open.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const material =
      config.get('INTEGRATIONS_SECRETS_KEY', { infer: true }) ??
      resolveJwtSecret(
        config.get('JWT_SECRET', { infer: true }),
        config.get('DATA_DIR', { infer: true }),
      );
    this.key = Buffer.from(hkdfSync('sha256', material, '', 'acc integration secrets v1', 32));
  }

  seal(plain: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The secret, or undefined when the box does not open (another key, another context). */
  open(box: Buffer, context: string): string | undefined {
    if (box.length < 1 + IV_BYTES + TAG_BYTES || box[0] !== VERSION) return undefined;
    const iv = box.subarray(1, 1 + IV_BYTES);
    const tag = box.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
        .setAAD(Buffer.from(context))
        .setAuthTag(tag);
      const body = box.subarray(1 + IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
