import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChunkingStream, type FlushableStream } from './chunking.stream.js';

function target() {
  const writes: string[] = [];
  const stream: FlushableStream = {
    write: (chunk: string) => void writes.push(chunk),
    flush: () => undefined,
    flushSync: () => undefined,
  };
  return { writes, stream };
}

describe('ChunkingStream', () => {
  it('hands lines to the destination in chunks once they reach the chunk size, in order', () => {
    const { writes, stream } = target();
    const chunking = new ChunkingStream(stream, 6);
    chunking.write('a\n');
    chunking.write('b\n');
    expect(writes).toEqual([]);
    chunking.write('c\n');
    expect(writes).toEqual(['a\nb\nc\n']);
    chunking.write('d\n');
    chunking.flush();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes what is still queued when the process exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwik-chunk-'));
    const file = join(dir, 'out.log');
    const module = fileURLToPath(new URL('../../dist/internal/chunking.stream.js', import.meta.url));
    const script = `
      import { pino } from 'pino';
      const { ChunkingStream } = await import(${JSON.stringify(module)});
      const s = new ChunkingStream(pino.destination({ dest: ${JSON.stringify(file)}, sync: true }));
      for (let i = 0; i < 3; i++) s.write('line ' + i + '\\n');
      process.exit(0);`;
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      });
      expect(readFileSync(file, 'utf8')).toBe('line 0\nline 1\nline 2\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
