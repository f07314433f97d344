import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp, PASSWORD } from './fixtures/auth-app.js';
import { call, createUser, signIn } from './fixtures/client.js';

/** The authenticator app's code `stepsAgo` 30-second steps ago. */
const codeOf = (secret: string, stepsAgo = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) - stepsAgo * 30 });

describe('auth: TOTP MFA enrollment and the two-step sign-in', () => {
  let app: BootedApp;
  let token: string;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    app = await bootAuthApp();
    await createUser(app, 'mfa@test.dev', ['reader']);
    token = (await signIn(app, 'mfa@test.dev')).accessToken;
  });
  afterAll(() => app?.close());

  const login = () =>
    call(app, 'POST', '/auth/login', { body: { email: 'mfa@test.dev', password: PASSWORD } });

  it('enrolls: otpauth URL, QR data URL and recovery codes; the secret is stored sealed', async () => {
    const res = await call(app, 'POST', '/auth/mfa/enroll', { token });
    expect(res.status).toBe(200);
    expect(res.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
    expect(res.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(res.body.recoveryCodes).toHaveLength(10);
    secret = new URL(res.body.otpauthUrl).searchParams.get('secret')!;
    recoveryCodes = res.body.recoveryCodes;
    const { rows } = await app.sql.query(`SELECT secret, "enabledAt", "recoveryCodes" FROM kwik_auth_mfa`);
    expect(rows[0].secret).not.toContain(secret);
    expect(rows[0].enabledAt).toBeNull();
    expect(rows[0].recoveryCodes.join()).not.toContain(recoveryCodes[0]!.replace(/-/g, ''));
    // Not enabled until verified: sign-in still takes one step.
    expect((await login()).body.accessToken).toEqual(expect.any(String));
  });

  it('refuses a wrong code, then enables MFA with a right one', async () => {
    const wrong = await call(app, 'POST', '/auth/mfa/verify', { token, body: { code: '000000' } });
    expect(wrong.status).toBe(400);
    expect((await call(app, 'POST', '/auth/mfa/verify', { token, body: { code: 'abc' } })).status).toBe(400);
    const ok = await call(app, 'POST', '/auth/mfa/verify', {
      token,
      body: { code: await codeOf(secret, 1) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ enabled: true });
    expect((await call(app, 'POST', '/auth/mfa/enroll', { token })).status).toBe(409);
  });

  it('signs in in two steps; the MFA token is no access token; a code is accepted once', async () => {
    const first = await login();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect((await call(app, 'GET', '/docs', { token: first.body.mfaToken })).status).toBe(401);

    const code = await codeOf(secret);
    const pair = await call(app, 'POST', '/auth/mfa/challenge', {
      body: { mfaToken: first.body.mfaToken, code },
    });
    expect(pair.status).toBe(200);
    expect(pair.body.tokenType).toBe('Bearer');
    expect((await call(app, 'GET', '/docs', { token: pair.body.accessToken })).status).toBe(200);

    const replay = await call(app, 'POST', '/auth/mfa/challenge', {
      body: { mfaToken: (await login()).body.mfaToken, code },
    });
    expect(replay.status).toBe(401);
    const forged = await call(app, 'POST', '/auth/mfa/challenge', { body: { mfaToken: 'x.y.z', code } });
    expect(forged.status).toBe(401);
    const types = (await app.sql.query(`SELECT type FROM kwik_auth_audit ORDER BY at`)).rows.map(
      (r) => r.type,
    );
    expect(types).toEqual(expect.arrayContaining(['mfa.enabled', 'mfa.failed', 'login.succeeded']));
  });

  it('accepts each recovery code once, in any case and spacing', async () => {
    const code = recoveryCodes[0]!;
    const messy = ` ${code.toUpperCase().replace(/-/g, ' ')} `;
    const ok = await call(app, 'POST', '/auth/mfa/challenge', {
      body: { mfaToken: (await login()).body.mfaToken, code: messy.trim() },
    });
    expect(ok.status).toBe(200);
    const again = await call(app, 'POST', '/auth/mfa/challenge', {
      body: { mfaToken: (await login()).body.mfaToken, code },
    });
    expect(again.status).toBe(401);
  });

  it('disables MFA with a valid code (audited); sign-in is one step again', async () => {
    const res = await call(app, 'POST', '/auth/mfa/disable', { token, body: { code: recoveryCodes[1] } });
    expect(res.status).toBe(204);
    expect((await login()).body.accessToken).toEqual(expect.any(String));
    const types = (await app.sql.query(`SELECT type FROM kwik_auth_audit`)).rows.map((r) => r.type);
    expect(types).toContain('mfa.disabled');
  });
});
