import type { ResolvedField } from './resolved-shape.js';

/** A resolved field built by hand for unit specs (no database): `testField('author.email', 'text')`. */
export function testField(
  path: string,
  kind: ResolvedField['kind'],
  extra: Partial<ResolvedField> = {},
): ResolvedField {
  return {
    path,
    relation: path.includes('.') ? path.split('.')[0]! : null,
    column: path.split('.').at(-1)!,
    kind,
    isArray: false,
    nullable: false,
    ...extra,
  };
}
