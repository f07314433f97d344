/** Small helpers shared by the option resolvers (internal). */

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // circular objects cannot be shown as JSON
  }
}

/** True for `{}`-like objects (not arrays, not null, not class instances such as a store). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Reports keys of `value` that are not in `allowed` (typos such as `rateLimits`). */
export function checkKeys(
  value: object,
  allowed: readonly string[],
  where: string,
  problems: string[],
): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key))
      problems.push(`${where}: unknown option '${key}' (known: ${allowed.join(', ')}).`);
}

/** True for a whole number in [min, max]. */
export function isWhole(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}
