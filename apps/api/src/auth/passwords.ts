import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestException, Injectable } from '@nestjs/common';
import argon2 from 'argon2';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function loadCommonPasswords(): Set<string> {
  for (const dir of [join(__dirname, 'data'), join(__dirname, 'auth-data')]) {
    try {
      return new Set(
        readFileSync(join(dir, 'common-passwords.txt'), 'utf8').split('\n').filter(Boolean),
      );
    } catch {
      // bundled builds keep the list under auth-data/
    }
  }
  throw new Error('common-passwords.txt not found');
}

/** Hashing, verification and the common-password rule. */
@Injectable()
export class PasswordService {
  private readonly common = loadCommonPasswords();
  /** Verified against when an email is unknown, so both failures take the same time. */
  private readonly dummyHash = argon2.hash('not-a-real-password-' + Math.random(), ARGON2);

  /** Length is checked by the contract (8..128); this refuses the passwords attackers try first. */
  assertAcceptable(password: string): void {
    if (this.common.has(password.toLowerCase())) {
      throw new BadRequestException(['password: this password is too common, choose another']);
    }
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2);
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.dummyHash), password);
    } catch {
      return false;
    }
  }
}
