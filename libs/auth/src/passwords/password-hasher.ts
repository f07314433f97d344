import { randomBytes } from 'node:crypto';
import {
  hash as argon2Hash,
  hashSync as argon2HashSync,
  parseOptions,
  verify as argon2Verify,
  type Options,
} from '@node-rs/argon2';
import { KwikError } from '@kwik/core';
import { verifyLegacyScrypt } from './legacy-scrypt.js';

/** Argon2id cost parameters of a {@link PasswordHasher}; defaults follow the OWASP cheat sheet. */
export interface PasswordHasherOptions {
  /**
   * Memory per hash, in KiB.
   * @default 19456 (19 MiB)
   */
  memoryCost?: number;
  /**
   * Passes over memory.
   * @default 2
   */
  timeCost?: number;
  /**
   * Lanes (threads) per hash.
   * @default 1
   */
  parallelism?: number;
}

/** Outcome of {@link PasswordHasher.verify}. */
export interface PasswordVerification {
  /** The password matches the stored hash. */
  valid: boolean;
  /** Valid, but stored with a legacy algorithm or weaker parameters: store `hash(password)` now. */
  needsRehash: boolean;
}

// `Algorithm` and `Version` are ambient const enums in @node-rs/argon2, unusable under isolatedModules.
const ARGON2ID = 2;
const VERSION_0X13 = 1;
const OUTPUT_LEN = 32;
const SALT_LEN = 16;
const INVALID: PasswordVerification = Object.freeze({ valid: false, needsRehash: false });

/**
 * Hashes passwords with argon2id (PHC strings) and verifies them, including the demo seed's
 * legacy `$scrypt$` hashes, telling the caller when a stored hash should be upgraded.
 *
 * `verify` never throws for a malformed or unknown stored hash — it answers invalid after doing
 * the same work as a real check, and {@link PasswordHasher.verifyDummy} does that work for
 * unknown accounts, so response time does not reveal whether an email is registered.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const { valid, needsRehash } = user
 *   ? await hasher.verify(user.passwordHash, password)
 *   : await hasher.verifyDummy(password);
 * if (valid && needsRehash) await users.update(user.id, { passwordHash: await hasher.hash(password) });
 */
export class PasswordHasher {
  private readonly params: Required<PasswordHasherOptions>;
  private readonly argon2: Options;
  private readonly dummyHash: string;

  constructor(options: PasswordHasherOptions = {}) {
    this.params = validate({ memoryCost: 19_456, timeCost: 2, parallelism: 1, ...options });
    this.argon2 = { ...this.params, algorithm: ARGON2ID, version: VERSION_0X13, outputLen: OUTPUT_LEN };
    // Hashed once with the current parameters so a dummy check costs exactly what a real one does.
    this.dummyHash = argon2HashSync(randomBytes(32), this.argon2);
  }

  /**
   * Hashes a password as an argon2id PHC string with a random 16-byte salt.
   *
   * @example
   * await hasher.hash('correct horse battery staple'); // '$argon2id$v=19$m=19456,t=2,p=1$…$…'
   */
  async hash(password: string): Promise<string> {
    return argon2Hash(password, this.argon2);
  }

  /**
   * Checks a password against a stored PHC string (argon2 or the legacy `$scrypt$`).
   *
   * @example
   * const { valid, needsRehash } = await hasher.verify(user.passwordHash, password);
   */
  async verify(storedHash: string, password: string): Promise<PasswordVerification> {
    if (typeof storedHash === 'string' && storedHash.startsWith('$argon2')) {
      return this.verifyArgon2(storedHash, password);
    }
    if (typeof storedHash === 'string' && storedHash.startsWith('$scrypt$')) {
      const valid = await verifyLegacyScrypt(storedHash, password);
      if (valid !== null) return { valid, needsRehash: valid };
    }
    return this.verifyDummy(password);
  }

  /**
   * Does the work of a real verification against a fixed hash and answers invalid; call it when
   * no account matches so the response takes as long as a wrong password.
   *
   * @example
   * if (!user) await hasher.verifyDummy(password);
   */
  async verifyDummy(password: string): Promise<PasswordVerification> {
    await argon2Verify(this.dummyHash, password).catch(() => false);
    return INVALID;
  }

  /**
   * Whether a stored hash is not an argon2id hash with at least the current parameters.
   *
   * @example
   * hasher.needsRehash('$argon2id$v=19$m=4096,t=3,p=1$…'); // true
   */
  needsRehash(storedHash: string): boolean {
    let parsed: ReturnType<typeof parseOptions>;
    try {
      parsed = parseOptions(storedHash);
    } catch {
      return true; // not argon2 at all (legacy or malformed)
    }
    return (
      parsed.algorithm !== ARGON2ID ||
      parsed.version !== VERSION_0X13 ||
      parsed.memoryCost < this.params.memoryCost ||
      parsed.timeCost < this.params.timeCost ||
      parsed.parallelism < this.params.parallelism ||
      parsed.outputLen < OUTPUT_LEN ||
      parsed.saltLen < SALT_LEN
    );
  }

  private async verifyArgon2(storedHash: string, password: string): Promise<PasswordVerification> {
    let valid: boolean;
    try {
      parseOptions(storedHash);
      // argon2 compares the digests in constant time itself.
      valid = await argon2Verify(storedHash, password);
    } catch {
      return this.verifyDummy(password);
    }
    return { valid, needsRehash: valid && this.needsRehash(storedHash) };
  }
}

function validate(params: Required<PasswordHasherOptions>): Required<PasswordHasherOptions> {
  const { memoryCost, timeCost, parallelism } = params;
  const problems: string[] = [];
  if (!Number.isSafeInteger(parallelism) || parallelism < 1 || parallelism > 255) {
    problems.push(`parallelism must be an integer from 1 to 255, got ${String(parallelism)}`);
  }
  if (!Number.isSafeInteger(timeCost) || timeCost < 1) {
    problems.push(`timeCost must be a positive integer, got ${String(timeCost)}`);
  }
  if (!Number.isSafeInteger(memoryCost) || memoryCost < 8 * parallelism || memoryCost > 2 ** 32 - 1) {
    problems.push(`memoryCost must be an integer of at least 8 × parallelism KiB, got ${String(memoryCost)}`);
  }
  if (problems.length > 0) {
    throw new KwikError(
      'KWIK_AUTH_INVALID_OPTIONS',
      `Invalid password hashing options: ${problems.join('; ')}. ` +
        'Omit them to use the OWASP defaults (memoryCost 19456, timeCost 2, parallelism 1).',
    );
  }
  return Object.freeze({ memoryCost, timeCost, parallelism });
}
