import { posix } from 'node:path';

/** The import specifier of `target` from the file `from` (`../products/product.entity.js`). */
const clean = (p: string): string => p.replace(/^\/+/, '');

export function relativeImport(from: string, target: string, ext: string): string {
  let relative = posix.relative(posix.dirname(clean(from)), clean(target)).replace(/\.ts$/, ext);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return relative;
}
