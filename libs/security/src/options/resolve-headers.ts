import { contentSecurityPolicy, type HelmetOptions } from 'helmet';
import type { SecurityHeadersOptions } from '../security-options.interface.js';
import { checkKeys, describe, isPlainObject } from './option-checks.js';

/**
 * Kwik's default Content-Security-Policy directives: helmet's defaults, with framing refused
 * (`frame-ancestors 'none'`, an API is not meant to be framed) and no `upgrade-insecure-requests`
 * (HSTS already keeps browsers on HTTPS; the directive would break the docs UI served over
 * plain HTTP on a LAN address in development). They allow what the Swagger UI at `/docs` needs:
 * its own scripts and styles (`'self'`), its inline `<style>` blocks (`'unsafe-inline'` for
 * styles only — never for scripts) and `data:` images.
 */
export const KWIK_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'unsafe-inline'"],
});

const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];
const ONE_YEAR = 31_536_000;
const DIRECTIVE_NAME = /^[a-z][a-z-]*$/;

/** The `helmet` options for `headers`, or `false`; pushes every problem into `problems`. */
export function resolveHeaders(input: unknown, problems: string[]): HelmetOptions | false {
  if (input === false) return false;
  if (input !== undefined && !isPlainObject(input)) {
    problems.push(`headers must be an object or false (got ${describe(input)}).`);
    return false;
  }
  const headers = (input ?? {}) as SecurityHeadersOptions;
  checkKeys(
    headers,
    ['contentSecurityPolicy', 'hsts', 'frameOptions', 'referrerPolicy', 'helmet'],
    'headers',
    problems,
  );
  const frame = headers.frameOptions ?? 'deny';
  if (frame !== false && frame !== 'deny' && frame !== 'sameorigin')
    problems.push(`headers.frameOptions must be 'deny', 'sameorigin' or false (got ${describe(frame)}).`);
  const extra = headers.helmet ?? {};
  if (!isPlainObject(extra)) problems.push(`headers.helmet must be an object of helmet options.`);
  return {
    contentSecurityPolicy: resolveCsp(headers.contentSecurityPolicy, frame, problems),
    strictTransportSecurity: resolveHsts(headers.hsts, problems),
    xFrameOptions: frame === false ? false : { action: frame === 'sameorigin' ? 'sameorigin' : 'deny' },
    referrerPolicy: resolveReferrer(headers.referrerPolicy, problems),
    ...(isPlainObject(extra) ? extra : {}),
  } as HelmetOptions;
}

function resolveCsp(
  input: unknown,
  frame: unknown,
  problems: string[],
): HelmetOptions['contentSecurityPolicy'] {
  if (input === false) return false;
  if (input !== undefined && !isPlainObject(input)) {
    problems.push(`headers.contentSecurityPolicy must be an object or false (got ${describe(input)}).`);
    return false;
  }
  const csp = (input ?? {}) as { directives?: unknown; extend?: unknown; reportOnly?: unknown };
  checkKeys(csp, ['directives', 'extend', 'reportOnly'], 'headers.contentSecurityPolicy', problems);
  const directives: Record<string, string[]> = {};
  for (const [name, sources] of Object.entries(KWIK_CSP_DIRECTIVES)) directives[name] = [...sources];
  if (frame === 'sameorigin') directives['frame-ancestors'] = ["'self'"];
  for (const [name, sources] of entries(csp.directives, 'directives', problems)) {
    if (sources === null) delete directives[name];
    else if (isSourceList(sources)) directives[name] = [...sources];
    else
      problems.push(
        `headers.contentSecurityPolicy.directives['${name}'] must be an array of sources or null.`,
      );
  }
  for (const [name, sources] of entries(csp.extend, 'extend', problems)) {
    if (isSourceList(sources)) directives[name] = [...new Set([...(directives[name] ?? []), ...sources])];
    else problems.push(`headers.contentSecurityPolicy.extend['${name}'] must be an array of sources.`);
  }
  if (csp.reportOnly !== undefined && typeof csp.reportOnly !== 'boolean')
    problems.push(`headers.contentSecurityPolicy.reportOnly must be a boolean.`);
  const options = { useDefaults: false, directives, reportOnly: csp.reportOnly === true };
  try {
    contentSecurityPolicy(options); // helmet's own checks (quoting, default-src) at boot
  } catch (error) {
    problems.push(`headers.contentSecurityPolicy: ${(error as Error).message}.`);
  }
  return options;
}

function entries(value: unknown, field: string, problems: string[]): [string, unknown][] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) {
    problems.push(`headers.contentSecurityPolicy.${field} must be an object of directive → sources.`);
    return [];
  }
  const list = Object.entries(value);
  for (const [name] of list)
    if (!DIRECTIVE_NAME.test(name))
      problems.push(
        `headers.contentSecurityPolicy.${field}: '${name}' is not a directive name (write it kebab-case, e.g. 'img-src').`,
      );
  return list.filter(([name]) => DIRECTIVE_NAME.test(name));
}

function isSourceList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.every((s) => typeof s === 'string' && s.length > 0 && !/[\s;,]/.test(s))
  );
}

function resolveHsts(input: unknown, problems: string[]): HelmetOptions['strictTransportSecurity'] {
  if (input === false) return false;
  if (input !== undefined && !isPlainObject(input)) {
    problems.push(`headers.hsts must be an object or false (got ${describe(input)}).`);
    return false;
  }
  const hsts = (input ?? {}) as { maxAge?: unknown; includeSubDomains?: unknown; preload?: unknown };
  checkKeys(hsts, ['maxAge', 'includeSubDomains', 'preload'], 'headers.hsts', problems);
  const maxAge = hsts.maxAge ?? ONE_YEAR;
  const includeSubDomains = hsts.includeSubDomains ?? true;
  const preload = hsts.preload ?? false;
  if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 0)
    problems.push(`headers.hsts.maxAge must be whole seconds ≥ 0 (got ${describe(maxAge)}).`);
  if (typeof includeSubDomains !== 'boolean')
    problems.push(`headers.hsts.includeSubDomains must be a boolean.`);
  if (typeof preload !== 'boolean') problems.push(`headers.hsts.preload must be a boolean.`);
  if (preload === true && (includeSubDomains !== true || typeof maxAge !== 'number' || maxAge < ONE_YEAR))
    problems.push(
      `headers.hsts.preload needs includeSubDomains: true and maxAge ≥ ${ONE_YEAR} (the preload list's rules).`,
    );
  return {
    maxAge: maxAge as number,
    includeSubDomains: includeSubDomains as boolean,
    preload: preload as boolean,
  };
}

function resolveReferrer(input: unknown, problems: string[]): HelmetOptions['referrerPolicy'] {
  if (input === false) return false;
  const list = input === undefined ? ['no-referrer'] : Array.isArray(input) ? input : [input];
  const bad = list.filter((p) => typeof p !== 'string' || !REFERRER_POLICIES.includes(p));
  if (bad.length > 0 || list.length === 0)
    problems.push(
      `headers.referrerPolicy must be one or more of ${REFERRER_POLICIES.join(', ')} (got ${describe(input)}).`,
    );
  return { policy: list as never };
}
