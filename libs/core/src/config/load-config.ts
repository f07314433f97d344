import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { KwikError } from '../errors/kwik.error.js';

/** A config class: constructible without arguments, fields decorated with class-validator. */
export type ConfigClass<T extends object = object> = new () => T;

function declaredKeys(cls: ConfigClass): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

function describe(errors: ValidationError[], env: Record<string, string | undefined>): string[] {
  return errors.map((error) => {
    const raw = env[error.property];
    const got = raw === undefined || raw === '' ? 'it is not set' : `got ${JSON.stringify(raw)}`;
    const reasons = [...new Set(Object.values(error.constraints ?? {}))].join('; ');
    return `${error.property}: ${reasons} (${got})`;
  });
}

/**
 * Reads the variables `cls` declares from `env`, converts and validates them, and returns a
 * frozen instance. Every problem is reported at once in one {@link KwikError}
 * (`KWIK_CONFIG_INVALID`), so a boot fails with a single message listing what to fix.
 *
 * @example
 * const config = loadConfig(AppConfig); // throws on the first boot with bad env
 */
export function loadConfig<T extends object>(
  cls: ConfigClass<T>,
  env: Record<string, string | undefined> = process.env,
): Readonly<T> {
  const plain: Record<string, string> = {};
  for (const key of declaredKeys(cls)) {
    const value = env[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = describe(errors, env);
    throw new KwikError(
      'KWIK_CONFIG_INVALID',
      `Invalid configuration: ${lines.length} environment variable${lines.length === 1 ? '' : 's'} to fix.\n` +
        lines.map((l) => `  - ${l}`).join('\n') +
        `\nSet them in the environment (or the .env file) and start again; docs/core.md#configuration lists every variable.`,
    );
  }
  return Object.freeze(instance);
}
