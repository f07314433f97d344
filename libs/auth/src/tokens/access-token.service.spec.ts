import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessTokenService, TokenRejected } from './access-token.service.js';
import { JwtKeyRing } from './jwt-key-ring.js';

const pem = (curve = 'prime256v1') => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const settings = { issuer: 'kwik', audience: 'api', ttl: 60, mfaTtl: 30, clockTolerance: 0 };
const claims = { sub: 'u1', sid: 's1', roles: ['reader'], use: 'access' as const };

describe('JwtKeyRing and AccessTokenService', () => {
  it('rotates keys: tokens of the previous key stay valid, new tokens use the new key', () => {
    const old = pem();
    const next = pem();
    const before = new AccessTokenService(
      JwtKeyRing.fromKeys([{ kid: 'old', privateKey: old.privateKey }], 'ES256'),
      settings,
    );
    const issuedBefore = before.sign(claims).token;
    const rotated = new AccessTokenService(
      JwtKeyRing.fromKeys(
        [
          { kid: 'new', privateKey: next.privateKey },
          { kid: 'old', publicKey: old.publicKey },
        ],
        'ES256',
      ),
      settings,
    );
    expect(rotated.verify(issuedBefore).sub).toBe('u1');
    const issuedAfter = rotated.sign(claims).token;
    expect(JSON.parse(Buffer.from(issuedAfter.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      kid: 'new',
    });
    // Once the old key leaves the ring, its tokens are refused.
    const dropped = new AccessTokenService(
      JwtKeyRing.fromKeys([{ kid: 'new', privateKey: next.privateKey }], 'ES256'),
      settings,
    );
    expect(() => dropped.verify(issuedBefore)).toThrow(TokenRejected);
    expect(dropped.verify(issuedAfter).sid).toBe('s1');
  });

  it('derives the same key from the same secret (instances agree) and another from another', () => {
    const a = new AccessTokenService(JwtKeyRing.derive('s'.repeat(40)), settings);
    const b = new AccessTokenService(JwtKeyRing.derive('s'.repeat(40)), settings);
    const c = new AccessTokenService(JwtKeyRing.derive('t'.repeat(40)), settings);
    const token = a.sign(claims).token;
    expect(b.verify(token).sub).toBe('u1');
    expect(() => c.verify(token)).toThrow(/kid/);
  });

  it.each([
    ['an empty ring', [], /empty/],
    ['a first key without its private key', [{ kid: 'a', publicKey: pem().publicKey }], /privateKey/],
    [
      'duplicate kids',
      [
        { kid: 'a', privateKey: pem().privateKey },
        { kid: 'a', publicKey: pem().publicKey },
      ],
      /unique/,
    ],
    ['a key that is not PEM', [{ kid: 'a', privateKey: 'nope' }], /keys\[0\]/],
    ['a P-384 key for ES256', [{ kid: 'a', privateKey: pem('secp384r1').privateKey }], /cannot ES256/],
  ])('refuses %s at boot with KWIK_AUTH_INVALID_KEYS', (_name, keys, message) => {
    expect(() => JwtKeyRing.fromKeys(keys, 'ES256')).toThrow(/KWIK_AUTH_INVALID_KEYS/);
    expect(() => JwtKeyRing.fromKeys(keys, 'ES256')).toThrow(message);
  });

  it('remembers verified tokens but still refuses them once expired', () => {
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now * 1000;
    try {
      const service = new AccessTokenService(JwtKeyRing.derive('x'.repeat(40)), settings);
      const { token } = service.sign(claims);
      expect(service.verify(token).sub).toBe('u1');
      now += 61;
      expect(() => service.verify(token)).toThrow(/expired/);
    } finally {
      Date.now = realNow;
    }
  });

  it('remembers a refused token: the same forged token is refused again without a signature check', () => {
    const service = new AccessTokenService(JwtKeyRing.derive('x'.repeat(40)), settings);
    const { token } = service.sign(claims);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    expect(() => service.verify(forged)).toThrow(TokenRejected);
    const check = (service as unknown as { check: (t: string) => unknown }).check;
    let checks = 0;
    (service as unknown as { check: (t: string) => unknown }).check = (t) => {
      checks++;
      return check.call(service, t);
    };
    expect(() => service.verify(forged)).toThrow(/signature/);
    expect(checks).toBe(0);
    expect(service.verify(token).sub).toBe('u1');
  });

  it('does not remember a token signed by a key the ring does not know (yet)', () => {
    const other = new AccessTokenService(JwtKeyRing.derive('y'.repeat(40)), settings);
    const service = new AccessTokenService(JwtKeyRing.derive('x'.repeat(40)), settings);
    const { token } = other.sign(claims);
    expect(() => service.verify(token)).toThrow(TokenRejected);
    expect((service as unknown as { rejected: Map<string, string> }).rejected.size).toBe(0);
  });
});
