import { hash as argon2Hash, parseOptions, verify as argon2Verify } from '@node-rs/argon2';
import { randomBytes, scryptSync } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from './password-hasher.js';

// Wrapped (not replaced) so tests can see which hash each check really works against.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn<typeof real.verify>(real.verify) };
});

const PASSWORD = 'kwik-demo-pass';
// Written by apps/demo/src/seed/password.ts for PASSWORD.
const DEMO_SEED_HASH =
  '$scrypt$ln=14,r=8,p=1$nErUKuPIKoHabEJgY-rloA$Uq0b9C5398M1K5ezSlFOIU5nraIw_uvWVaIW9WkTTNY';

function legacyScrypt(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `$scrypt$ln=14,r=8,p=1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const hasher = new PasswordHasher();

describe('PasswordHasher', () => {
  beforeEach(() => {
    vi.mocked(argon2Verify).mockClear();
  });

  it('hashes to an argon2id PHC string with the OWASP defaults and a random salt', async () => {
    const first = await hasher.hash(PASSWORD);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.hash(PASSWORD)).not.toBe(first);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hasher.hash(PASSWORD);
    expect(await hasher.verify(stored, PASSWORD)).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify(stored, `${PASSWORD}!`)).toEqual({ valid: false, needsRehash: false });
  });

  it('verifies the demo seed scrypt hash and asks for a rehash', async () => {
    expect(await hasher.verify(DEMO_SEED_HASH, PASSWORD)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(DEMO_SEED_HASH, 'kwik-demo-pasS')).toEqual({
      valid: false,
      needsRehash: false,
    });
    expect(await hasher.verify(legacyScrypt('ünïcødé pass'), 'ünïcødé pass')).toEqual({
      valid: true,
      needsRehash: true,
    });
  });

  it.each([
    ['a lower memoryCost', { memoryCost: 8192 }, true],
    ['a lower timeCost', { timeCost: 1 }, true],
    ['argon2i', { algorithm: 1 as const }, true],
    ['a shorter digest', { outputLen: 16 }, true],
    ['stronger parameters', { memoryCost: 32768, timeCost: 3 }, false],
  ])('asks to rehash a valid argon2 hash with %s: %s', async (_, options, expected) => {
    const stored = await argon2Hash(PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1, ...options });
    expect(await hasher.verify(stored, PASSWORD)).toEqual({ valid: true, needsRehash: expected });
  });

  it('honours custom parameters, so hashes made with the defaults then need a rehash', async () => {
    const stronger = new PasswordHasher({ memoryCost: 32768, timeCost: 3 });
    expect(await stronger.hash(PASSWORD)).toMatch(/\$m=32768,t=3,p=1\$/);
    expect(await stronger.verify(await hasher.hash(PASSWORD), PASSWORD)).toEqual({
      valid: true,
      needsRehash: true,
    });
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not a hash'],
    ['a truncated argon2 hash', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ'],
    ['an unknown algorithm', '$bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    [
      'scrypt with a bad parameter list',
      '$scrypt$ln=14,r=8$nErUKuPIKoHabEJgY-rloA$Uq0b9C5398M1K5ezSlFOIU5nraIw',
    ],
    ['scrypt asking for 2^40 iterations', DEMO_SEED_HASH.replace('ln=14', 'ln=40')],
    ['scrypt with a 7-byte digest', '$scrypt$ln=14,r=8,p=1$nErUKuPIKoHabEJgY-rloA$Uq0b9C5398'],
    ['null', null as unknown as string],
  ])('answers invalid, without throwing, for %s — after the same work as a real check', async (_, stored) => {
    expect(await hasher.verify(stored, PASSWORD)).toEqual({ valid: false, needsRehash: false });
    expect(argon2Verify).toHaveBeenCalledTimes(1);
  });

  it('verifyDummy() runs one argon2 check against a hash with the current parameters', async () => {
    const custom = new PasswordHasher({ memoryCost: 9216, timeCost: 3 });
    for (const candidate of [PASSWORD, '', 'x'.repeat(128)]) {
      expect(await custom.verifyDummy(candidate)).toEqual({ valid: false, needsRehash: false });
    }
    expect(argon2Verify).toHaveBeenCalledTimes(3);
    const [dummyHash] = vi.mocked(argon2Verify).mock.calls[0];
    expect(parseOptions(dummyHash as string)).toMatchObject({
      memoryCost: 9216,
      timeCost: 3,
      parallelism: 1,
    });
  });

  it.each([
    ['memoryCost', { memoryCost: 4 }],
    ['timeCost', { timeCost: 0 }],
    ['parallelism', { parallelism: 1.5 }],
  ])('rejects a bad %s at construction', (name, options) => {
    expect(() => new PasswordHasher(options)).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS', message: expect.stringContaining(name) }),
    );
  });
});
