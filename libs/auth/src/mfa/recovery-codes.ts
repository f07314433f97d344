import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KwikError } from '@kwik/core';

/** Freshly generated recovery codes: show `codes` once, store `hashes`. */
export interface GeneratedRecoveryCodes {
  /** Codes like `7hq2-mx9c-k4pd`, shown to the user once. */
  codes: string[];
  /** SHA-256 hex of each normalized code, in the same order — the stored form. */
  hashes: string[];
}

/** Lowercase Crockford base32 (no i, l, o, u), so codes read back from paper are unambiguous. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const CODE_LENGTH = GROUPS * GROUP_LENGTH;
// Crockford decoding: letters people type for the digits they resemble.
const LOOKALIKES: Record<string, string> = { i: '1', l: '1', o: '0' };
const NORMALIZED = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * One-time MFA recovery codes: 12 random base32 characters (60 bits) each, stored as SHA-256
 * hashes. A fast hash suffices because the codes are random, single-use and only usable after
 * the password; 60 bits keeps them short enough to type.
 *
 * @example
 * const recovery = new RecoveryCodes();
 * const { codes, hashes } = recovery.generate();     // show codes, store hashes
 * const remaining = recovery.consume(body.code, user.recoveryHashes);
 * if (remaining === null) throw invalidCode();
 * await users.update(user.id, { recoveryHashes: remaining });
 */
@Injectable()
export class RecoveryCodes {
  /**
   * Generates `count` codes formatted `xxxx-xxxx-xxxx`.
   *
   * @default count 10
   * @example
   * recovery.generate(); // { codes: ['7hq2-mx9c-k4pd', …10], hashes: ['9f86…', …] }
   */
  generate(count = 10): GeneratedRecoveryCodes {
    if (!Number.isSafeInteger(count) || count < 1 || count > 100) {
      throw new KwikError(
        'KWIK_AUTH_INVALID_OPTIONS',
        `Recovery code count must be 1 to 100, got ${String(count)}.`,
      );
    }
    const codes = new Set<string>();
    while (codes.size < count) codes.add(randomCode());
    const list = [...codes].map((c) => c.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-'));
    return { codes: list, hashes: list.map((c) => hashOf(normalize(c)!)) };
  }

  /**
   * Spends a code: returns the hashes that remain without it, or `null` when it matches none.
   * Case, dashes and spaces do not matter; every stored hash is compared in constant time.
   *
   * @example
   * recovery.consume('7HQ2 MX9C K4PD', hashes); // hashes minus that code's, or null
   */
  consume(code: string, hashes: readonly string[]): string[] | null {
    const normalized = normalize(code);
    // Malformed input still hashes something, so the answer takes the same time either way.
    const candidate = Buffer.from(hashOf(normalized ?? ''), 'hex');
    let matched = -1;
    hashes.forEach((stored, index) => {
      const bytes = /^[0-9a-f]{64}$/.test(stored) ? Buffer.from(stored, 'hex') : Buffer.alloc(32);
      if (timingSafeEqual(candidate, bytes) && normalized !== null && matched === -1) matched = index;
    });
    return matched === -1 ? null : hashes.filter((_, index) => index !== matched);
  }
}

function randomCode(): string {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  return [...randomBytes(CODE_LENGTH)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** Lowercase, without separators, look-alikes mapped; `null` if not a possible code. */
function normalize(code: unknown): string | null {
  if (typeof code !== 'string' || code.length > 64) return null;
  const compact = code
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/[ilo]/g, (c) => LOOKALIKES[c]);
  return NORMALIZED.test(compact) ? compact : null;
}

function hashOf(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
