import { describe, expect, it } from 'vitest';
import { PasswordPolicy } from './password-policy.js';

const TOO_SHORT = 'Password must be at least 12 characters long.';
const COMMON = 'Password is one of the most commonly used passwords; choose one that is harder to guess.';
const EMAIL = 'Password must not contain the name of your email address.';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();

  it.each(['correct horse battery staple', 'kwik-demo-pass', 'dragon84736251947', 'ñandú-pingüino-glaciar'])(
    'accepts %j',
    (password) => {
      expect(policy.check(password, { email: 'ann@example.com' })).toEqual([]);
    },
  );

  it.each([
    ['too short', 'Tr0ub4dor&3', [TOO_SHORT]],
    ['empty', '', [TOO_SHORT]],
    ['short and common', 'password', [TOO_SHORT, COMMON]],
    ['common, long enough', '1qaz2wsx3edc', [COMMON]],
    ['common in another case', 'QWERTY123456', [COMMON]],
    ['a common word padded with digits', 'password12345678', [COMMON]],
    ['a common word padded with a year and symbols', 'Sunshine2024!', [COMMON]],
  ])('rejects a password that is %s', (_, password, expected) => {
    expect(policy.check(password)).toEqual(expected);
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    const emoji = '🔐🔑🗝️🔒🔓🛡️🧂🥒🌶️🍋🎲🧩';
    expect([...emoji].length).toBeGreaterThanOrEqual(12);
    expect(policy.check(emoji)).toEqual([]);
    expect(policy.check('🔐'.repeat(11))).toEqual([TOO_SHORT]);
  });

  it('rejects passwords over maxLength with that message alone', () => {
    expect(policy.check('a'.repeat(128))).toEqual([]);
    expect(policy.check('a'.repeat(129))).toEqual(['Password must be at most 128 characters long.']);
  });

  it('applies custom lengths', () => {
    const strict = new PasswordPolicy({ minLength: 16, maxLength: 20 });
    expect(strict.check('fifteen chars!!')).toEqual(['Password must be at least 16 characters long.']);
    expect(strict.check('twenty-one characters')).toEqual(['Password must be at most 20 characters long.']);
  });

  it('rejects passwords containing a denied word, case-insensitively', () => {
    const custom = new PasswordPolicy({ denylist: ['Kwik', ' acme '] });
    expect(custom.check('my-KWIK-password-2030')).toEqual(['Password must not contain "kwik".']);
    expect(custom.check('kwik loves ACME a lot')).toEqual([
      'Password must not contain "kwik".',
      'Password must not contain "acme".',
    ]);
  });

  it('can leave common passwords allowed', () => {
    expect(new PasswordPolicy({ rejectCommon: false }).check('1qaz2wsx3edc')).toEqual([]);
  });

  it.each([
    ['equal to the local part', 'margaret.hamilton', 'margaret.hamilton@nasa.gov'],
    ['containing it, in another case', 'MyNameIsMargaret!', 'Margaret@nasa.gov'],
    ['containing it without a +tag', 'apollo-margaret-11', 'margaret+apollo@nasa.gov'],
    ['containing it without dots', 'margarethamilton1969', 'margaret.hamilton@nasa.gov'],
  ])('rejects a password %s of the email', (_, password, email) => {
    expect(policy.check(password, { email })).toEqual([EMAIL]);
  });

  it('does not treat a two-letter local part as a word inside a password', () => {
    expect(policy.check('jolly good fellow', { email: 'jo@example.com' })).toEqual([]);
  });

  it.each([[{ minLength: 0 }], [{ minLength: 20, maxLength: 10 }], [{ maxLength: 1.5 }]])(
    'refuses invalid lengths %j',
    (options) => {
      expect(() => new PasswordPolicy(options)).toThrow(
        expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS' }),
      );
    },
  );
});
