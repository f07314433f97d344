import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { KwikError } from '../errors/kwik.error.js';

/**
 * The environment a Kwik app validates: the variables of `envFile` (when the file exists),
 * overridden by the real process environment. The file is read with Node's own `.env` parser.
 */
export function environmentWith(
  envFile: string | false,
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  if (envFile === false) return env;
  const path = resolve(envFile);
  if (!existsSync(path)) return env;
  try {
    return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
  } catch (cause) {
    throw new KwikError(
      'KWIK_ENV_FILE_UNREADABLE',
      `Could not read the env file ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
