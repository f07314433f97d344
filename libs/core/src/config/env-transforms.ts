import { Transform } from 'class-transformer';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Parses an environment string as a boolean (`true/false`, `1/0`, `yes/no`, `on/off`).
 * Anything else is left as the raw string so `@IsBoolean()` reports it.
 *
 * @example
 * @EnvBoolean() @IsBoolean() KWIK_SEED = true;
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return value;
  });
}

/**
 * Parses an environment string as a number; a non-numeric string is kept so `@IsInt()` /
 * `@IsNumber()` reports it instead of silently becoming `NaN`.
 *
 * @example
 * @EnvNumber() @IsInt() @Min(1) PORT = 3000;
 */
export function EnvNumber(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    if (trimmed === '') return value;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : value;
  });
}
