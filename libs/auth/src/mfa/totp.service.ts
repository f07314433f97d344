import { KwikError } from '@kwik/core';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';

/** Options of a {@link TotpService}; the defaults are what every authenticator app supports. */
export interface TotpOptions {
  /**
   * Time steps accepted on each side of the current one, for clock drift and typing time.
   * @default 1
   */
  window?: number;
  /**
   * Current time in milliseconds (tests inject a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

/** What the caller knows from earlier verifications of the same secret. */
export interface TotpVerifyOptions {
  /** Time step of the last accepted code; codes of this step or earlier are refused (replay). */
  lastUsedStep?: number | null;
}

/** Why a code was refused. */
export type TotpRejection = 'malformed' | 'mismatch' | 'replayed';

/** Outcome of {@link TotpService.verify}: store `step` as the new `lastUsedStep` when valid. */
export type TotpVerification =
  { valid: true; step: number } | { valid: false; step: null; reason: TotpRejection };

const PERIOD_SECONDS = 30;
const DIGITS = 6;
const CODE = /^\d{6}$/;

/**
 * RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for authenticator apps, with replay protection.
 *
 * @example
 * const totp = new TotpService();
 * const secret = totp.generateSecret();              // seal it with SecretBox before storing
 * const url = totp.otpauthUrl({ issuer: 'Kwik', account: user.email, secret });
 * const qr = await totp.qrDataUrl(url);              // <img src={qr}>
 * const result = await totp.verify(secret, body.code, { lastUsedStep: user.totpLastStep });
 * if (result.valid) await users.update(user.id, { totpLastStep: result.step });
 */
export class TotpService {
  private readonly window: number;
  private readonly now: () => number;

  constructor(options: TotpOptions = {}) {
    const { window = 1, now = Date.now } = options;
    if (!Number.isSafeInteger(window) || window < 0 || window > 10) {
      throw new KwikError(
        'KWIK_AUTH_INVALID_OPTIONS',
        `TOTP window must be an integer from 0 to 10 time steps, got ${String(window)}; 1 is standard.`,
      );
    }
    this.window = window;
    this.now = now;
  }

  /**
   * A new random secret: 20 bytes (160 bits, the RFC 4226 recommendation), base32-encoded.
   *
   * @example
   * totp.generateSecret(); // 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
   */
  generateSecret(): string {
    return generateSecret({ length: 20 });
  }

  /**
   * The `otpauth://totp/…` URL an authenticator app imports (usually as a QR code).
   *
   * @example
   * totp.otpauthUrl({ issuer: 'Kwik', account: 'ann@example.com', secret });
   * // 'otpauth://totp/Kwik:ann%40example.com?secret=…&issuer=Kwik'
   */
  otpauthUrl(params: { issuer: string; account: string; secret: string }): string {
    return generateURI({ issuer: params.issuer, label: params.account, secret: params.secret });
  }

  /**
   * A QR code of `otpauthUrl` as a PNG data URL (`data:image/png;base64,…`).
   *
   * @example
   * const src = await totp.qrDataUrl(url);
   */
  async qrDataUrl(otpauthUrl: string): Promise<string> {
    return toDataURL(otpauthUrl, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width: 256 });
  }

  /**
   * Checks a 6-digit code (spaces ignored) against the current time step ± `window`, refusing
   * codes whose step is not after `lastUsedStep`. Comparison is constant-time (otplib).
   *
   * @example
   * await totp.verify(secret, '123 456', { lastUsedStep: 56_000_000 }); // { valid: true, step: 56_000_001 }
   */
  async verify(secret: string, code: string, options: TotpVerifyOptions = {}): Promise<TotpVerification> {
    const token = typeof code === 'string' ? code.replace(/\s+/g, '') : '';
    if (!CODE.test(token)) return { valid: false, step: null, reason: 'malformed' };
    const epoch = Math.floor(this.now() / 1000);
    const result = await verify({
      secret,
      token,
      digits: DIGITS,
      period: PERIOD_SECONDS,
      epoch,
      epochTolerance: this.window * PERIOD_SECONDS,
    });
    if (!result.valid) return { valid: false, step: null, reason: 'mismatch' };
    // `delta` is the matching step's offset from the current one (typed for TOTP and HOTP alike).
    const step = Math.floor(epoch / PERIOD_SECONDS) + result.delta;
    const { lastUsedStep } = options;
    if (lastUsedStep != null && step <= lastUsedStep) return { valid: false, step: null, reason: 'replayed' };
    return { valid: true, step };
  }
}
