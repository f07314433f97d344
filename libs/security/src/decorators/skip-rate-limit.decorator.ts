import { SetMetadata } from '@nestjs/common';
import { SKIP_RATE_LIMIT_METADATA } from '../security.constants.js';

/**
 * Exempts a route (on a method) or every route of a controller (on the class) from rate
 * limiting. `@SkipRateLimit(false)` on a method limits it again inside a skipped controller.
 *
 * @example
 * @Get('status')
 * @SkipRateLimit()
 * status() { return { ok: true }; }
 */
export function SkipRateLimit(skip = true): ClassDecorator & MethodDecorator {
  return SetMetadata(SKIP_RATE_LIMIT_METADATA, skip);
}
