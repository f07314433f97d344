import type { ValidationError } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { flattenValidationErrors } from './flatten-validation-errors.js';

describe('flattenValidationErrors', () => {
  it('builds dotted and indexed paths, one entry per constraint', () => {
    const errors = [
      { property: 'title', constraints: { isString: 'must be a string', maxLength: 'too long' } },
      {
        property: 'items',
        children: [{ property: '2', children: [{ property: 'qty', constraints: { min: 'must be >= 1' } }] }],
      },
      { property: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
    ];
    expect(flattenValidationErrors(errors as ValidationError[])).toEqual([
      { field: 'title', message: 'must be a string' },
      { field: 'title', message: 'too long' },
      { field: 'items[2].qty', message: 'must be >= 1' },
      { field: 'extra', message: 'is not an allowed field' },
    ]);
  });
});
