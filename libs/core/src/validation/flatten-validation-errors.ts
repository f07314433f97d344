import type { ValidationError } from 'class-validator';
import type { ProblemFieldError } from '../errors/problem.types.js';

function join(parent: string, property: string): string {
  if (!parent) return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/**
 * Flattens class-validator's nested errors into `{ field, message }` entries with dotted /
 * indexed paths (`author.email`, `tags[2]`), one entry per failed constraint.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = join(parent, error.property);
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({
        field,
        message: message.replace(/^property \S+ should not exist$/, 'is not an allowed field'),
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}
