import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { KwikError } from '@kwik/core';
import type { AuthJwtKey } from '../auth-options.interface.js';

/** The JWT algorithms Kwik signs with; `none` and HMAC are never accepted. */
export type AuthJwtAlgorithm = 'ES256' | 'ES384' | 'RS256' | 'PS256';

/** A verification key of the ring. */
export interface RingKey {
  kid: string;
  algorithm: AuthJwtAlgorithm;
  publicKey: KeyObject;
}

/**
 * The JWT key ring: the first key signs, every key verifies (by `kid`). Built once at boot from
 * configured PEM keys, or derived from the app secret, or (development only) generated per process.
 */
export class JwtKeyRing {
  readonly signing: { kid: string; algorithm: AuthJwtAlgorithm; privateKey: KeyObject };
  private readonly byKid: ReadonlyMap<string, RingKey>;
  /** How the signing key was obtained (printed at boot). */
  readonly source: 'configured' | 'derived' | 'ephemeral';

  constructor(signing: JwtKeyRing['signing'], verifying: readonly RingKey[], source: JwtKeyRing['source']) {
    this.signing = signing;
    this.byKid = new Map(verifying.map((k) => [k.kid, k]));
    this.source = source;
  }

  /** The verification key of `kid`, if the ring has it. */
  key(kid: string | undefined): RingKey | undefined {
    return kid === undefined ? undefined : this.byKid.get(kid);
  }

  /** Every algorithm some key of the ring verifies (pinned for the verifier). */
  get algorithms(): AuthJwtAlgorithm[] {
    return [...new Set([...this.byKid.values()].map((k) => k.algorithm))];
  }

  /** Builds the ring from configured keys (first one signs). */
  static fromKeys(keys: readonly AuthJwtKey[], algorithm: AuthJwtAlgorithm): JwtKeyRing {
    const problems: string[] = [];
    const seen = new Set<string>();
    const verifying: RingKey[] = [];
    let signing: JwtKeyRing['signing'] | undefined;
    keys.forEach((key, i) => {
      if (!key.kid || seen.has(key.kid)) problems.push(`keys[${i}].kid must be present and unique`);
      seen.add(key.kid);
      try {
        const priv = key.privateKey ? createPrivateKey(key.privateKey) : undefined;
        const pub = key.publicKey ? createPublicKey(key.publicKey) : priv ? createPublicKey(priv) : undefined;
        if (!pub) throw new Error('needs a publicKey or a privateKey');
        const alg = i === 0 ? algorithm : algorithmOf(pub);
        if (!fits(pub, alg)) throw new Error(`is a ${pub.asymmetricKeyType} key, which cannot ${alg}`);
        verifying.push({ kid: key.kid, algorithm: alg, publicKey: pub });
        if (i === 0) {
          if (!priv) throw new Error('is the signing key (first of the ring) and needs its privateKey');
          signing = { kid: key.kid, algorithm: alg, privateKey: priv };
        }
      } catch (error) {
        problems.push(`keys[${i}] (${key.kid}) ${(error as Error).message}`);
      }
    });
    if (problems.length || !signing)
      throw new KwikError(
        'KWIK_AUTH_INVALID_KEYS',
        `The JWT key ring is unusable: ${problems.join('; ') || 'it is empty'}. Give PEM keys, the signing key first (e.g. \`openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt\`).`,
      );
    return new JwtKeyRing(signing, verifying, 'configured');
  }

  /** An ES256 key derived from a secret (HKDF → P-256 scalar): every instance with the secret agrees. */
  static derive(secret: string): JwtKeyRing {
    const d = Buffer.from(hkdfSync('sha256', secret, 'kwik-auth', 'jwt-es256-signing-key', 32));
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const pub = ecdh.getPublicKey(); // 0x04 || x || y
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      d: d.toString('base64url'),
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33, 65).toString('base64url'),
    };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const kid = `derived-${Buffer.from(hkdfSync('sha256', pub, 'kwik-auth', 'kid', 6)).toString('hex')}`;
    return new JwtKeyRing(
      { kid, algorithm: 'ES256', privateKey },
      [{ kid, algorithm: 'ES256', publicKey: createPublicKey(privateKey) }],
      'derived',
    );
  }

  /** A random ES256 key for this process only (development without a secret). */
  static ephemeral(): JwtKeyRing {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const kid = `dev-${Date.now().toString(36)}`;
    return new JwtKeyRing(
      { kid, algorithm: 'ES256', privateKey },
      [{ kid, algorithm: 'ES256', publicKey }],
      'ephemeral',
    );
  }
}

function algorithmOf(key: KeyObject): AuthJwtAlgorithm {
  if (key.asymmetricKeyType === 'ec') {
    return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'ES384' : 'ES256';
  }
  return 'RS256';
}

function fits(key: KeyObject, alg: AuthJwtAlgorithm): boolean {
  if (alg === 'ES256')
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (alg === 'ES384')
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
  return key.asymmetricKeyType === 'rsa' || (alg === 'PS256' && key.asymmetricKeyType === 'rsa-pss');
}
