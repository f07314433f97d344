import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '@kwik/auth';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call, createUser, signIn } from './fixtures/client.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * The attack suite: tokens forged with `jose` — each must be a 401 problem, never a 500 and never
 * accepted. The ring is an ES256 key given as PEM, so the public key is known to the attacker.
 */
describe('auth: forged and broken access tokens', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  let app: BootedApp;
  let userId: string;
  let valid: string;
  let sessionId: string;

  beforeAll(async () => {
    app = await bootAuthApp({
      jwt: { keys: [{ kid: 'k1', privateKey: privatePem }], issuer: 'kwik-test', audience: 'kwik-test-api' },
    });
    userId = await createUser(app, 'attack@test.dev', ['reader']);
    valid = (await signIn(app, 'attack@test.dev')).accessToken;
    sessionId = app.app.get(TokenService).access.verify(valid).sid;
  });
  afterAll(() => app?.close());

  const claims = () => ({ sub: userId, sid: sessionId, roles: ['admin'], use: 'access' });
  /** A token like Kwik's, signed by `key`, with one thing changed by `edit` / `payload` / `header`. */
  const signed = async (
    edit: (jwt: SignJWT) => SignJWT,
    key: Parameters<SignJWT['sign']>[0] = keys.privateKey,
    header: Record<string, unknown> = { alg: 'ES256', kid: 'k1' },
    payload: Record<string, unknown> = claims(),
  ) =>
    edit(
      new SignJWT(payload)
        .setProtectedHeader(header as never)
        .setIssuer('kwik-test')
        .setAudience('kwik-test-api')
        .setIssuedAt()
        .setJti('forged')
        .setExpirationTime(now() + 600),
    ).sign(key);
  const unsigned = () => {
    const body = new UnsecuredJWT(claims())
      .setIssuer('kwik-test')
      .setAudience('kwik-test-api')
      .setExpirationTime(now() + 600)
      .encode();
    return body.replace(
      /^[^.]+/,
      Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url'),
    );
  };

  it('accepts the genuine token (the baseline of every case below)', async () => {
    const res = await call(app, 'GET', '/docs', { token: valid });
    expect(res.status).toBe(200);
    // And a self-signed copy with the real key works: the cases below differ in one thing each.
    expect((await call(app, 'GET', '/docs', { token: await signed((j) => j) })).status).toBe(200);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => signed((j) => j.setExpirationTime(now() - 3600)), /expired/],
    ['not yet valid (nbf in the future)', () => signed((j) => j.setNotBefore(now() + 3600)), /not valid yet/],
    ['wrong issuer', () => signed((j) => j.setIssuer('evil')), /issuer/],
    ['wrong audience', () => signed((j) => j.setAudience('other-api')), /audience/],
    ['signed by another key with the same kid', () => signed((j) => j, other.privateKey), /signature/],
    ['unknown kid', () => signed((j) => j, keys.privateKey, { alg: 'ES256', kid: 'k2' }), /kid/],
    ['no kid', () => signed((j) => j, keys.privateKey, { alg: 'ES256' }), /kid/],
    ['alg: none', async () => unsigned(), /refused/],
    [
      'HS256 signed with the public key (algorithm confusion)',
      () => signed((j) => j, new TextEncoder().encode(publicPem), { alg: 'HS256', kid: 'k1' }),
      /refused/,
    ],
    ['malformed', async () => 'not.a.jwt', /refused/],
    ['garbage', async () => '%%%', /refused/],
    [
      'a payload that is not a Kwik token',
      () => signed((j) => j, keys.privateKey, undefined, { hello: 1 }),
      /claims/,
    ],
    [
      'an MFA token used as an access token',
      () => signed((j) => j, keys.privateKey, undefined, { ...claims(), use: 'mfa' }),
      /not an access token/,
    ],
  ];

  it.each(cases)('refuses a token that is %s with a 401 problem', async (_name, make, reason) => {
    const res = await call(app, 'GET', '/docs', { token: await make() });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.body).toMatchObject({ status: 401, type: expect.stringMatching(/unauthorized$/) });
    expect(res.body.detail).toMatch(reason);
  });

  it('refuses a malformed Authorization header, and no credentials at all, with 401', async () => {
    const basic = await call(app, 'GET', '/docs', { headers: { authorization: 'Basic dXNlcjpwdw==' } });
    expect(basic.status).toBe(401);
    expect(basic.body.detail).toMatch(/Bearer/);
    const none = await call(app, 'GET', '/docs');
    expect(none.status).toBe(401);
    expect(none.body.detail).toMatch(/Authentication required/);
  });

  it('ignores a bad token on a @Public route', async () => {
    expect((await call(app, 'GET', '/docs/public', { token: 'garbage' })).status).toBe(200);
  });
});
