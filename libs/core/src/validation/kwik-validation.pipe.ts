import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { ProblemException } from '../errors/problem.exception.js';
import { flattenValidationErrors } from './flatten-validation-errors.js';

/**
 * Kwik's global validation: class-validator + class-transformer with `whitelist`,
 * `forbidNonWhitelisted` and `transform` on; failures become a 400 validation problem with
 * one `{ field, message }` per failed constraint.
 *
 * @example
 * app.useGlobalPipes(new KwikValidationPipe()); // KwikModule registers it for you
 */
export class KwikValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions = {}) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ProblemException.validation(flattenValidationErrors(errors)),
      ...options,
    });
  }
}
