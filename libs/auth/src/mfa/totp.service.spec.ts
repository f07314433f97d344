import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { TotpService } from './totp.service.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
// 2030-01-01T00:00:00Z lies on a 30 s step boundary.
const T0 = Date.UTC(2030, 0, 1) / 1000;
const STEP = T0 / 30;

/** The code an authenticator app shows at `epochSeconds`. */
const codeAt = (epochSeconds: number, secret = SECRET) => generate({ secret, epoch: epochSeconds });

/** A service whose clock reads `epochSeconds`. */
const at = (epochSeconds: number, window?: number) =>
  new TotpService({ now: () => epochSeconds * 1000, window });

describe('TotpService', () => {
  it.each([
    ['the current step', 0, STEP],
    ['the previous step (slow typist)', -30, STEP - 1],
    ['the next step (fast clock)', 30, STEP + 1],
    ['late in the next step', 54, STEP + 1],
  ])('accepts a code from %s', async (_, offset, step) => {
    const service = at(T0 + 5);
    expect(await service.verify(SECRET, await codeAt(T0 + 5 + offset))).toEqual({ valid: true, step });
  });

  it.each([
    ['two steps ago', -60],
    ['two steps ahead', 60],
  ])('refuses a code from %s', async (_, offset) => {
    expect(await at(T0).verify(SECRET, await codeAt(T0 + offset))).toEqual({
      valid: false,
      step: null,
      reason: 'mismatch',
    });
  });

  it('accepts only the current step with window 0', async () => {
    const service = at(T0, 0);
    expect((await service.verify(SECRET, await codeAt(T0))).valid).toBe(true);
    expect((await service.verify(SECRET, await codeAt(T0 - 30))).valid).toBe(false);
  });

  it('refuses a replayed code, and any code of an earlier step, after a step was used', async () => {
    const service = at(T0);
    const current = await codeAt(T0);
    const first = await service.verify(SECRET, current);
    expect(first).toEqual({ valid: true, step: STEP });
    const replay = { lastUsedStep: first.step };
    expect(await service.verify(SECRET, current, replay)).toEqual({
      valid: false,
      step: null,
      reason: 'replayed',
    });
    expect((await service.verify(SECRET, await codeAt(T0 - 30), replay)).valid).toBe(false);
    expect(await service.verify(SECRET, await codeAt(T0 + 30), replay)).toEqual({
      valid: true,
      step: STEP + 1,
    });
  });

  it('refuses a code made for another secret', async () => {
    const other = new TotpService().generateSecret();
    expect((await at(T0).verify(SECRET, await codeAt(T0, other))).valid).toBe(false);
  });

  it('ignores spaces users type inside a code', async () => {
    const code = await codeAt(T0);
    expect((await at(T0).verify(SECRET, ` ${code.slice(0, 3)} ${code.slice(3)} `)).valid).toBe(true);
  });

  it.each(['', '12345', '1234567', 'abcdef', '12345a', null])(
    'refuses the malformed code %j',
    async (code) => {
      expect(await at(T0).verify(SECRET, code as string)).toEqual({
        valid: false,
        step: null,
        reason: 'malformed',
      });
    },
  );

  it('generates distinct 160-bit base32 secrets that verify codes', async () => {
    const service = at(T0);
    const secret = service.generateSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(service.generateSecret()).not.toBe(secret);
    expect((await service.verify(secret, await codeAt(T0, secret))).valid).toBe(true);
  });

  it('builds the otpauth URL authenticator apps import', () => {
    const url = new URL(
      new TotpService().otpauthUrl({ issuer: 'Kwik Demo', account: 'ann@acme.test', secret: SECRET }),
    );
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Kwik Demo:ann@acme.test');
    expect(url.searchParams.get('secret')).toBe(SECRET);
    expect(url.searchParams.get('issuer')).toBe('Kwik Demo');
  });

  it('renders the URL as a PNG data URL', async () => {
    const service = new TotpService();
    const url = service.otpauthUrl({ issuer: 'Kwik', account: 'ann@acme.test', secret: SECRET });
    const dataUrl = await service.qrDataUrl(url);
    expect(dataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(256); // IHDR width
  });

  it.each([-1, 11, 0.5])('refuses window %s', (window) => {
    expect(() => new TotpService({ window })).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS' }),
    );
  });
});
