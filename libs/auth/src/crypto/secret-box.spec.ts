import { KwikError } from '@kwik/core';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

const SECRET = 'a-very-long-application-secret-0123456789';
const OTHER = 'another-long-application-secret-9876543210';

function box(overrides: Partial<ConstructorParameters<typeof SecretBox>[0]> = {}): SecretBox {
  return new SecretBox({ secret: SECRET, purpose: 'totp-secret', ...overrides });
}

function openError(b: SecretBox, sealed: string): KwikError {
  try {
    b.open(sealed);
  } catch (error) {
    return error as KwikError;
  }
  throw new Error('open() did not throw');
}

/** Flips one character of a base64url segment to another valid base64url character. */
function flip(sealed: string, segment: number): string {
  const parts = sealed.split('.');
  const s = parts[segment];
  parts[segment] = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  return parts.join('.');
}

describe('SecretBox', () => {
  it.each(['JBSWY3DPEHPK3PXP', '', 'ünïcødé ✓ secret', 'x'.repeat(5000)])(
    'opens what it sealed (%#)',
    (plaintext) => {
      const b = box();
      expect(b.open(b.seal(plaintext))).toBe(plaintext);
    },
  );

  it('produces a versioned v1.<iv>.<ciphertext>.<tag> value with a fresh IV each time', () => {
    const b = box();
    const first = b.seal('same');
    const second = b.seal('same');
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('same');
  });

  it.each([
    ['the IV', 1],
    ['the ciphertext', 2],
    ['the tag', 3],
  ])('rejects a value whose %s was modified', (_, segment) => {
    const b = box();
    const error = openError(b, flip(b.seal('JBSWY3DPEHPK3PXP'), segment));
    expect(error).toBeInstanceOf(KwikError);
    expect(error.code).toBe('KWIK_AUTH_SEALED_VALUE_INVALID');
  });

  it.each([
    ['not sealed at all', 'JBSWY3DPEHPK3PXP'],
    ['an unknown version', 'v2.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['a truncated value', 'v1.AAAAAAAAAAAAAAAA.AAAA'],
    ['a short tag', 'v1.AAAAAAAAAAAAAAAA.AAAA.AAAA'],
    ['characters outside base64url', 'v1.AAAAAAAAAAAAAAAA.AA+/.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('rejects %s with a clear error', (_, sealed) => {
    const error = openError(box(), sealed);
    expect(error.code).toBe('KWIK_AUTH_SEALED_VALUE_INVALID');
    expect(error.message).toContain('Cannot open the sealed value');
  });

  it('binds values to the secret and to the purpose', () => {
    const sealed = box().seal('JBSWY3DPEHPK3PXP');
    expect(openError(box({ secret: OTHER }), sealed).message).toContain('another secret or purpose');
    expect(openError(box({ purpose: 'webhook-secret' }), sealed).code).toBe('KWIK_AUTH_SEALED_VALUE_INVALID');
  });

  it('opens values sealed with a previous secret during a rotation, and seals with the new one', () => {
    const old = box({ secret: OTHER }).seal('JBSWY3DPEHPK3PXP');
    const rotated = box({ previousSecrets: [OTHER] });
    expect(rotated.open(old)).toBe('JBSWY3DPEHPK3PXP');
    expect(box().open(rotated.seal('fresh'))).toBe('fresh');
  });

  it.each([
    ['a short secret', { secret: 'short' }, 'KWIK_AUTH_SECRET_TOO_SHORT', 'secret is too short'],
    [
      'a short previous secret',
      { previousSecrets: ['x'] },
      'KWIK_AUTH_SECRET_TOO_SHORT',
      'previousSecrets[0]',
    ],
    ['an empty purpose', { purpose: ' ' }, 'KWIK_AUTH_INVALID_OPTIONS', 'non-empty purpose'],
  ])('refuses %s at construction', (_, overrides, code, hint) => {
    expect(() => box(overrides)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(hint) }),
    );
  });
});
