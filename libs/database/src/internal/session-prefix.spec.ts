import { describe, expect, it } from 'vitest';
import type { DatabaseSessionSettings } from '../database-session-scope.js';
import { DatabaseErrorCode } from '../database.errors.js';
import { SessionPrefixes } from './session-prefix.js';

const freeze = (role: string | undefined, settings: Record<string, string>): DatabaseSessionSettings =>
  Object.freeze({ ...(role === undefined ? {} : { role }), settings: Object.freeze({ ...settings }) });

describe('SessionPrefixes', () => {
  const tenant = freeze('kwik_app', { 'kwik.tenant_id': "o'neil" });
  const schema = freeze(undefined, { search_path: '"tenant_acme", public' });

  it('prepares one SELECT of set_config calls, with parameters and with literals', () => {
    expect(new SessionPrefixes().transition(undefined, tenant)).toEqual({
      text: "SELECT set_config('role', $1, true), set_config($2, $3, true)",
      name: 'kwik_session_rs1',
      values: ['kwik_app', 'kwik.tenant_id', "o'neil"],
      sql: "SELECT set_config('role', 'kwik_app', true), set_config('kwik.tenant_id', 'o''neil', true); ",
    });
  });

  it('prepares a scope once per settings object', () => {
    const prefixes = new SessionPrefixes();
    expect(prefixes.transition(undefined, tenant)).toBe(prefixes.transition(undefined, tenant));
  });

  it.each([
    ['the same scope', tenant, tenant, undefined],
    [
      'no scope to a scope',
      undefined,
      schema,
      "SELECT set_config('search_path', '\"tenant_acme\", public', true); ",
    ],
    [
      'a scope to none (reset)',
      tenant,
      undefined,
      "SELECT set_config('role', NULL, true), set_config('kwik.tenant_id', NULL, true); ",
    ],
    [
      'a scope to one that sets other names',
      tenant,
      schema,
      "SELECT set_config('role', NULL, true), set_config('search_path', '\"tenant_acme\", public', true), set_config('kwik.tenant_id', NULL, true); ",
    ],
    [
      'a scope to one that sets the same names',
      tenant,
      freeze('kwik_app', { 'KWIK.tenant_id': 'other' }),
      "SELECT set_config('role', 'kwik_app', true), set_config('kwik.tenant_id', 'other', true); ",
    ],
  ])('goes from %s', (_case, from, to, sql) => {
    expect(new SessionPrefixes().transition(from, to)?.sql).toBe(sql);
  });

  it.each([
    [
      'a settings object that is not frozen',
      { role: 'kwik_app', settings: Object.freeze({ a: 'b' }) },
      /frozen/,
    ],
    ['settings that are not frozen', Object.freeze({ settings: { a: 'b' } }), /frozen/],
    ['no settings object', Object.freeze({ role: 'kwik_app' }), /`settings` object/],
    ['a role that is not an identifier', freeze('kwik app', {}), /"kwik app" is not a plain identifier/],
    ['a role of 64 characters', freeze('r'.repeat(64), {}), /not a plain identifier/],
    ['a bad setting name', freeze(undefined, { 'kwik.tenant.id': 'x' }), /"kwik.tenant.id" is not/],
    ['a setting named role', freeze(undefined, { ROLE: 'x' }), /Give the role as `role`/],
    ['a setting given twice', freeze(undefined, { a: '1', A: '2' }), /"A" is given twice/],
    ['a value that is not a string', freeze(undefined, { a: 1 as never }), /must be a string/],
    ['a value with NUL', freeze(undefined, { a: 'x\0' }), /without NUL/],
    ['neither role nor settings', freeze(undefined, {}), /neither a role nor a setting/],
  ])('refuses %s with KWIK_DATABASE_INVALID_SESSION_SETTINGS', (_case, scope, message) => {
    expect(() => new SessionPrefixes().validate(scope as DatabaseSessionSettings)).toThrow(
      expect.objectContaining({
        code: DatabaseErrorCode.InvalidSessionSettings,
        message: expect.stringMatching(message),
      }),
    );
  });
});
