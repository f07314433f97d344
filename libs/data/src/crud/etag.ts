import { ProblemException } from '@kwik/core';

/** A parsed `If-Match` / `If-None-Match` header: `*`, or a list of entity tags. */
export type EntityTagCondition =
  | { readonly any: true }
  | { readonly any: false; readonly tags: readonly { readonly weak: boolean; readonly opaque: string }[] };

const TAG = /^\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/;

/**
 * The strong ETag of a row version: `"<version>"`. The version column changes on every write, so
 * the tag changes exactly when the row does.
 *
 * @example
 * versionEtag(3); // '"3"'
 */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

/**
 * Parses an `If-Match` / `If-None-Match` header (RFC 9110 §13.1): `*` or a comma list of entity
 * tags. `undefined` when the header is absent; a 400 validation problem naming the header when it
 * is malformed.
 *
 * @example
 * parseEntityTags('"3", W/"4"', 'If-Match'); // { any: false, tags: [{ weak: false, opaque: '3' }, { weak: true, opaque: '4' }] }
 */
export function parseEntityTags(
  header: string | readonly string[] | undefined,
  name: 'If-Match' | 'If-None-Match',
): EntityTagCondition | undefined {
  if (header === undefined) return undefined;
  const value = (typeof header === 'string' ? header : header.join(', ')).trim();
  if (value === '*') return { any: true };
  const tags: { weak: boolean; opaque: string }[] = [];
  let rest = value;
  while (rest.trim() !== '') {
    const empty = /^\s*,/.exec(rest);
    if (empty) {
      rest = rest.slice(empty[0].length);
      continue;
    }
    const match = TAG.exec(rest);
    if (!match) break;
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
    rest = rest.slice(match[0].length);
  }
  if (rest.trim() !== '' || tags.length === 0) {
    throw ProblemException.validation(
      [
        {
          field: name,
          message: `${name} must be * or a list of entity tags such as "3" (got ${value.slice(0, 80)})`,
        },
      ],
      `The ${name} header is malformed.`,
    );
  }
  return { any: false, tags };
}

/** `If-Match` (strong comparison): does the current version satisfy it? */
export function ifMatchHolds(condition: EntityTagCondition, version: number): boolean {
  return condition.any || condition.tags.some((t) => !t.weak && t.opaque === String(version));
}

/** `If-None-Match` (weak comparison): does the client already hold the current version? */
export function ifNoneMatchMatches(condition: EntityTagCondition, version: number): boolean {
  return condition.any || condition.tags.some((t) => t.opaque === String(version));
}
