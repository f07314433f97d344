import type { FastifyCorsOptions } from '@fastify/cors';
import { DEFAULT_EXPOSED_HEADERS } from '../security.constants.js';
import type { SecurityCorsOptions } from '../security-options.interface.js';
import { checkKeys, describe, isPlainObject, isWhole } from './option-checks.js';

const DEFAULT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const METHOD = /^[A-Z]+$/;
const ORIGIN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

/**
 * The `@fastify/cors` options for `cors`, or `false` (no CORS headers at all) when it is off or
 * allows no origin. Without `origins`, reads `envOrigins` (the `CORS_ORIGINS` variable).
 */
export function resolveCors(
  input: unknown,
  envOrigins: string | undefined,
  problems: string[],
): FastifyCorsOptions | false {
  if (input === false) return false;
  if (input !== undefined && !isPlainObject(input)) {
    problems.push(`cors must be an object or false (got ${describe(input)}).`);
    return false;
  }
  const cors = (input ?? {}) as SecurityCorsOptions;
  checkKeys(
    cors,
    ['origins', 'credentials', 'methods', 'allowedHeaders', 'exposedHeaders', 'maxAge'],
    'cors',
    problems,
  );
  const fromEnv = cors.origins === undefined;
  const origins = fromEnv ? parseEnvOrigins(envOrigins) : cors.origins;
  const where = fromEnv ? 'CORS_ORIGINS' : 'cors.origins';
  const credentials = cors.credentials ?? false;
  if (typeof credentials !== 'boolean') problems.push(`cors.credentials must be a boolean.`);
  const origin = resolveOrigins(origins, where, problems);
  if (origin === '*' && credentials === true)
    problems.push(
      `${where} is '*' with cors.credentials: true, which browsers refuse (a credentialed response cannot allow any origin). List the origins that may send credentials (${where === 'cors.origins' ? "cors: { origins: ['https://app.example.com'], credentials: true }" : 'CORS_ORIGINS=https://app.example.com'}), or set credentials: false.`,
    );
  const methods = cors.methods ?? DEFAULT_METHODS;
  if (
    !Array.isArray(methods) ||
    methods.length === 0 ||
    !methods.every((m) => typeof m === 'string' && METHOD.test(m))
  )
    problems.push(
      `cors.methods must be a non-empty list of upper-case HTTP methods (got ${describe(methods)}).`,
    );
  checkHeaders(cors.allowedHeaders, 'cors.allowedHeaders', problems);
  checkHeaders(cors.exposedHeaders, 'cors.exposedHeaders', problems);
  const maxAge = cors.maxAge ?? 600;
  if (!isWhole(maxAge, 0)) problems.push(`cors.maxAge must be whole seconds ≥ 0 (got ${describe(maxAge)}).`);
  if (origin === false) return false;
  return {
    origin,
    credentials: credentials === true,
    methods: [...methods],
    ...(cors.allowedHeaders ? { allowedHeaders: [...cors.allowedHeaders] } : {}),
    exposedHeaders: [...(cors.exposedHeaders ?? DEFAULT_EXPOSED_HEADERS)],
    maxAge,
    strictPreflight: true,
  };
}

/** `CORS_ORIGINS`: a comma-separated list, or `*`. */
export function parseEnvOrigins(value: string | undefined): string[] | '*' | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === '*') return '*';
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function resolveOrigins(
  origins: unknown,
  where: string,
  problems: string[],
): '*' | (string | RegExp)[] | false {
  if (origins === undefined) return false;
  if (origins === '*') return '*';
  if (!Array.isArray(origins)) {
    problems.push(`${where} must be a list of origins or '*' (got ${describe(origins)}).`);
    return false;
  }
  const allowed: (string | RegExp)[] = [];
  for (const origin of origins) {
    if (origin === '*') {
      problems.push(`${where}: '*' must be the whole value (origins: '*'), not an entry of a list.`);
      continue;
    }
    const match = typeof origin === 'string' ? ORIGIN.exec(origin) : null;
    if (!match || (match[4] !== undefined && Number(match[4]) > 65535)) {
      problems.push(
        `${where}: ${describe(origin)} is not an origin; write scheme://host[:port] in lower case without a path or trailing slash (https://app.example.com, http://localhost:5173, https://*.example.com).`,
      );
      continue;
    }
    allowed.push(match[2] ? wildcardOrigin(match[1]!, match[3]!, match[4]) : origin);
  }
  return allowed.length > 0 ? allowed : false;
}

/** `https://*.example.com` → any subdomain (one or more labels) of example.com on that scheme/port. */
function wildcardOrigin(scheme: string, domain: string, port: string | undefined): RegExp {
  const escaped = domain.replace(/[.]/g, '\\.');
  return new RegExp(`^${scheme}://[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.${escaped}${port ? `:${port}` : ''}$`);
}

function checkHeaders(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string' && HEADER_NAME.test(h)))
    problems.push(`${where} must be a list of header names (got ${describe(value)}).`);
}
