import { SetMetadata } from '@nestjs/common';
import { REQUEST_TIMEOUT_METADATA } from '../security.constants.js';
import { SecurityError, SecurityErrorCode } from '../security.errors.js';

/**
 * Overrides `requestTimeout` for a route (on a method) or a controller (on the class): the
 * milliseconds the request may take, from when it was received (body parsed) until the response;
 * `0` disables the timeout. Counted from the same start as the global timeout, so it may lengthen
 * or shorten it. A bad value throws `KWIK_SECURITY_INVALID_OPTIONS` when the class is loaded.
 *
 * @example
 * @Post('reports')
 * @RequestTimeout(120_000)
 * build() { ... }
 */
export function RequestTimeout(ms: number): ClassDecorator & MethodDecorator {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new SecurityError(
      SecurityErrorCode.InvalidOptions,
      `@RequestTimeout() takes whole milliseconds ≥ 0 (0 disables), got ${String(ms)}.`,
    );
  return SetMetadata(REQUEST_TIMEOUT_METADATA, ms);
}
