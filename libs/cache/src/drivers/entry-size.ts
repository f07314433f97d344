/** Approximate bytes an entry holds (Buffers and strings dominate; structure counted coarsely). */
export function approximateSize(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 8;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.byteLength + 16;
  switch (typeof value) {
    case 'string':
      return value.length * 2 + 16;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 8;
    case 'object': {
      if (depth > 8) return 64;
      let size = 32;
      if (Array.isArray(value)) for (const item of value) size += approximateSize(item, depth + 1);
      else
        for (const [key, item] of Object.entries(value as Record<string, unknown>))
          size += key.length * 2 + approximateSize(item, depth + 1);
      return size;
    }
    default:
      return 16;
  }
}
