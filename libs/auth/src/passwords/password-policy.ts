import { KwikError } from '@kwik/core';
import { dictionary } from '@zxcvbn-ts/language-common';

/** Options of a {@link PasswordPolicy}. */
export interface PasswordPolicyOptions {
  /**
   * Fewest characters (Unicode code points) a password may have.
   * @default 12
   */
  minLength?: number;
  /**
   * Most characters a password may have; bounds the hashing work one request can cause.
   * @default 128
   */
  maxLength?: number;
  /**
   * Extra words no password may contain, case-insensitively — the product name, the company.
   * @default []
   */
  denylist?: readonly string[];
  /**
   * Reject the ~49,000 most common passwords (from `@zxcvbn-ts/language-common`), also when
   * only padded with digits or symbols (`Summer2024!`), case-insensitively.
   * @default true
   */
  rejectCommon?: boolean;
}

/** What the policy may know about the account the password is for. */
export interface PasswordContext {
  /** The account's email; a password may not contain its local part. */
  email?: string | null;
}

const MIN_CONTAINED = 3;
let commonPasswords: ReadonlySet<string> | undefined;

/** Built on first use: decompressing the dictionary costs ~50 ms that apps without it skip. */
function common(): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((w) => normalize(w)));
  return commonPasswords;
}

/**
 * Checks a new password against length limits, common and denied words, and the account's email —
 * the NIST SP 800-63B rules, without composition rules ("one digit, one symbol").
 *
 * @example
 * const policy = new PasswordPolicy({ denylist: ['kwik'] });
 * const problems = policy.check(body.password, { email: body.email });
 * if (problems.length > 0) {
 *   throw ProblemException.validation(problems.map((message) => ({ field: 'password', message })));
 * }
 */
export class PasswordPolicy {
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly denylist: readonly string[];
  private readonly rejectCommon: boolean;

  constructor(options: PasswordPolicyOptions = {}) {
    const { minLength = 12, maxLength = 128, denylist = [], rejectCommon = true } = options;
    if (!isLength(minLength) || !isLength(maxLength) || minLength > maxLength) {
      throw new KwikError(
        'KWIK_AUTH_INVALID_OPTIONS',
        `Password policy needs integers 1 ≤ minLength ≤ maxLength ≤ 1024, got minLength ${String(minLength)} ` +
          `and maxLength ${String(maxLength)}. Omit them for the defaults (12 and 128).`,
      );
    }
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.denylist = [...new Set(denylist.map((w) => normalize(w.trim())).filter((w) => w.length > 0))];
    this.rejectCommon = rejectCommon;
  }

  /**
   * Lists what is wrong with a password, as messages for a user; empty when it is acceptable.
   *
   * @example
   * policy.check('password'); // ['Password must be at least 12 characters long.', 'Password is …']
   * policy.check('correct horse battery staple', { email: 'ann@example.com' }); // []
   */
  check(password: string, context: PasswordContext = {}): string[] {
    const length = [...password].length;
    if (length > this.maxLength) return [`Password must be at most ${this.maxLength} characters long.`];
    const problems: string[] = [];
    if (length < this.minLength)
      problems.push(`Password must be at least ${this.minLength} characters long.`);
    const normalized = normalize(password);
    if (this.rejectCommon && isCommon(normalized)) {
      problems.push(
        'Password is one of the most commonly used passwords; choose one that is harder to guess.',
      );
    }
    for (const word of this.denylist) {
      if (normalized.includes(word)) problems.push(`Password must not contain "${word}".`);
    }
    if (containsEmailName(normalized, context.email)) {
      problems.push('Password must not contain the name of your email address.');
    }
    return problems;
  }
}

function isLength(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= 1024;
}

function normalize(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

/** Exactly common, or a common word padded with digits/symbols that make up at most half of it. */
function isCommon(normalized: string): boolean {
  const words = common();
  if (words.has(normalized)) return true;
  const core = normalized.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core.length >= 4 && core.length * 2 >= normalized.length && words.has(core);
}

function containsEmailName(normalized: string, email: string | null | undefined): boolean {
  if (typeof email !== 'string') return false;
  const local = normalize(email.trim()).split('@')[0] ?? '';
  const names = new Set([local, local.split('+')[0], local.replace(/[.+_-]/g, '')]);
  for (const name of names) {
    if (name.length >= MIN_CONTAINED ? normalized.includes(name) : name.length > 0 && normalized === name) {
      return true;
    }
  }
  return false;
}
