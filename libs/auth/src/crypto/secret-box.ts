import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { KwikError } from '@kwik/core';

/** Options of a {@link SecretBox}. */
export interface SecretBoxOptions {
  /**
   * The application secret the key is derived from (HKDF-SHA256). At least 32 characters of
   * high-entropy text, such as `openssl rand -base64 48`.
   */
  secret: string;
  /**
   * A label that binds the derived key to one use (`'totp-secret'`), so two boxes built from the
   * same application secret cannot open each other's values.
   */
  purpose: string;
  /**
   * Former application secrets, tried in order by {@link SecretBox.open} after `secret` — keep
   * them during a secret rotation until every value was re-sealed. Never used to seal.
   * @default []
   */
  previousSecrets?: readonly string[];
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_CHARS = 32;
// A fixed, public salt is fine for HKDF when the input keying material is already high-entropy.
const HKDF_SALT = 'kwik:secret-box';
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * Authenticated encryption (AES-256-GCM) of small strings, such as TOTP secrets kept at rest.
 *
 * The key is derived with HKDF-SHA256 from the application secret and the purpose label. Output
 * is `v1.<iv>.<ciphertext>.<tag>` (base64url segments); the version prefix is authenticated too.
 * A modified, truncated or foreign value makes {@link SecretBox.open} throw
 * `KWIK_AUTH_SEALED_VALUE_INVALID` — never returns garbage.
 *
 * @example
 * const box = new SecretBox({ secret: config.AUTH_SECRET, purpose: 'totp-secret' });
 * const stored = box.seal(totpSecret); // 'v1.6vQ…'
 * box.open(stored) === totpSecret;     // true
 */
export class SecretBox {
  private readonly sealKey: Buffer;
  private readonly openKeys: readonly Buffer[];

  constructor(options: SecretBoxOptions) {
    const { secret, purpose, previousSecrets = [] } = options;
    const problems = [secret, ...previousSecrets]
      .map((s, i) => (typeof s === 'string' && s.length >= MIN_SECRET_CHARS ? null : i))
      .filter((i) => i !== null);
    if (problems.length > 0) {
      throw new KwikError(
        'KWIK_AUTH_SECRET_TOO_SHORT',
        `SecretBox needs application secrets of at least ${MIN_SECRET_CHARS} characters ` +
          `(${problems.map((i) => (i === 0 ? 'secret' : `previousSecrets[${i - 1}]`)).join(', ')} ` +
          'is too short). Generate one with `openssl rand -base64 48`.',
      );
    }
    if (typeof purpose !== 'string' || purpose.trim() === '') {
      throw new KwikError(
        'KWIK_AUTH_INVALID_OPTIONS',
        'SecretBox needs a non-empty purpose label, such as "totp-secret".',
      );
    }
    this.sealKey = deriveKey(secret, purpose);
    this.openKeys = [this.sealKey, ...previousSecrets.map((s) => deriveKey(s, purpose))];
  }

  /**
   * Encrypts `plaintext` with a fresh random IV; sealing the same text twice gives different output.
   *
   * @example
   * box.seal('JBSWY3DPEHPK3PXP'); // 'v1.<iv>.<ciphertext>.<tag>'
   */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(VERSION));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, ciphertext, tag]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * Decrypts a value made by {@link SecretBox.seal} with this secret (or a previous one) and purpose.
   *
   * @throws KwikError `KWIK_AUTH_SEALED_VALUE_INVALID` when the value is malformed, was modified,
   * or was sealed with another secret or purpose.
   * @example
   * const totpSecret = box.open(user.totpSecretSealed);
   */
  open(sealed: string): string {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((p) => SEGMENT.test(p))) {
      throw invalid('it is not a "v1.<iv>.<ciphertext>.<tag>" value');
    }
    const [iv, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw invalid('its IV or authentication tag has the wrong length');
    }
    for (const key of this.openKeys) {
      const plaintext = tryOpen(key, iv, ciphertext, tag);
      if (plaintext !== null) return plaintext;
    }
    throw invalid('authentication failed — it was modified, or sealed with another secret or purpose');
  }
}

function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `kwik:${purpose}`, 32));
}

function tryOpen(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer): string | null {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(VERSION));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM reports every authentication failure the same way; the caller turns it into one error.
    return null;
  }
}

function invalid(reason: string): KwikError {
  return new KwikError(
    'KWIK_AUTH_SEALED_VALUE_INVALID',
    `Cannot open the sealed value: ${reason}. If the application secret changed, list the old one in ` +
      '`previousSecrets` until the values are re-sealed.',
  );
}
