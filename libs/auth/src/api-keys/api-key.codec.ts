import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** A freshly generated API key: show `key` to the user once, store `prefix` and `hash`. */
export interface GeneratedApiKey {
  /** The full key, `kwik_<prefix>_<secret>`; never stored. */
  key: string;
  /** Public lookup id (10 chars), stored in clear and shown in key listings. */
  prefix: string;
  /** SHA-256 hex digest of the secret part — the only stored form of the secret. */
  hash: string;
}

/** The two parts of a syntactically valid API key. */
export interface ParsedApiKey {
  prefix: string;
  secret: string;
}

/** Tag every Kwik API key starts with, so secret scanners and humans recognise one. */
export const API_KEY_TAG = 'kwik';
/** Lowercase Crockford base32: no `i`, `l`, `o`, `u`, so a prefix read aloud or retyped is unambiguous. */
export const API_KEY_PREFIX_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** Base62: URL-, header- and double-click-safe, and never contains the `_` separator. */
export const API_KEY_SECRET_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 10 × 5 bits = 50 bits: unique enough for a lookup id (store it under a UNIQUE index). */
export const API_KEY_PREFIX_LENGTH = 10;
/** 43 base62 characters ≈ 256 bits of CSPRNG entropy. */
export const API_KEY_SECRET_LENGTH = 43;

const KEY_LENGTH = API_KEY_TAG.length + 1 + API_KEY_PREFIX_LENGTH + 1 + API_KEY_SECRET_LENGTH;
const PREFIX_CHARS = new Set(API_KEY_PREFIX_ALPHABET);
const SECRET_CHARS = new Set(API_KEY_SECRET_ALPHABET);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Makes, parses and checks API keys shaped `kwik_<prefix>_<secret>` (59 characters).
 *
 * The prefix finds the stored row (one indexed lookup); the secret is compared by hash. Secrets
 * carry 256 bits of CSPRNG entropy, so a single fast SHA-256 is the right hash: argon2/bcrypt
 * exist to slow down guessing of *low*-entropy passwords, and 2^256 candidates cannot be
 * enumerated at any speed — a slow hash would only add latency to every API request.
 *
 * @example
 * const codec = new ApiKeyCodec();
 * const { key, prefix, hash } = codec.generate();   // save prefix + hash, show key once
 * const parsed = codec.parse(request.headers['x-api-key']);
 * const row = parsed && (await keys.findOneBy({ prefix: parsed.prefix }));
 * const ok = row !== null && codec.matches(parsed.secret, row.hash);
 */
@Injectable()
export class ApiKeyCodec {
  /**
   * Generates a new random key.
   *
   * @example
   * codec.generate(); // { key: 'kwik_7f3k9q2m1x_Qm…', prefix: '7f3k9q2m1x', hash: 'e3b0…' }
   */
  generate(): GeneratedApiKey {
    const prefix = randomString(API_KEY_PREFIX_ALPHABET, API_KEY_PREFIX_LENGTH);
    const secret = randomString(API_KEY_SECRET_ALPHABET, API_KEY_SECRET_LENGTH);
    return { key: `${API_KEY_TAG}_${prefix}_${secret}`, prefix, hash: this.hash(secret) };
  }

  /**
   * Splits a raw key into prefix and secret, or returns `null` when it is not exactly a well-formed
   * Kwik key (wrong tag, length or characters). Checks the length before anything else, so an
   * oversized header costs nothing.
   *
   * @example
   * codec.parse('kwik_7f3k9q2m1x_Qm…'); // { prefix: '7f3k9q2m1x', secret: 'Qm…' }
   * codec.parse('Bearer abc');          // null
   */
  parse(raw: unknown): ParsedApiKey | null {
    if (typeof raw !== 'string' || raw.length !== KEY_LENGTH) return null;
    if (!raw.startsWith(`${API_KEY_TAG}_`)) return null;
    const prefixStart = API_KEY_TAG.length + 1;
    const secretStart = prefixStart + API_KEY_PREFIX_LENGTH + 1;
    if (raw[secretStart - 1] !== '_') return null;
    const prefix = raw.slice(prefixStart, secretStart - 1);
    const secret = raw.slice(secretStart);
    if (!onlyChars(prefix, PREFIX_CHARS) || !onlyChars(secret, SECRET_CHARS)) return null;
    return { prefix, secret };
  }

  /**
   * SHA-256 hex digest of a secret — what is stored and compared.
   *
   * @example
   * codec.hash(parsed.secret); // 64 lowercase hex characters
   */
  hash(secret: string): string {
    return createHash('sha256').update(secret, 'utf8').digest('hex');
  }

  /**
   * Whether `secret` hashes to `storedHash`, compared in constant time. A malformed stored hash
   * never matches.
   *
   * @example
   * if (!codec.matches(parsed.secret, row.hash)) throw unauthorized();
   */
  matches(secret: string, storedHash: string): boolean {
    if (typeof storedHash !== 'string' || !SHA256_HEX.test(storedHash)) return false;
    const actual = createHash('sha256').update(secret, 'utf8').digest();
    return timingSafeEqual(actual, Buffer.from(storedHash, 'hex'));
  }
}

/** Uniform random characters by rejection sampling (no modulo bias). */
function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

function onlyChars(value: string, allowed: ReadonlySet<string>): boolean {
  for (const c of value) if (!allowed.has(c)) return false;
  return true;
}
