import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TickBatchingStream, type FlushableStream } from './tick-batching.stream.js';

function target() {
  const writes: string[] = [];
  const stream: FlushableStream = {
    write: (chunk: string) => void writes.push(chunk),
    flush: () => undefined,
    flushSync: () => undefined,
  };
  return { writes, stream };
}

describe('TickBatchingStream', () => {
  it('hands the lines of one event-loop turn to the destination as one chunk, in order', async () => {
    const { writes, stream } = target();
    const batching = new TickBatchingStream(stream);
    batching.write('a\n');
    batching.write('b\n');
    batching.write('c\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\nc\n']);
    batching.write('d\n');
    batching.flush();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes what is still queued when the process exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwik-tick-'));
    const file = join(dir, 'out.log');
    const module = fileURLToPath(new URL('../../dist/internal/tick-batching.stream.js', import.meta.url));
    const script = `
      import { pino } from 'pino';
      const { TickBatchingStream } = await import(${JSON.stringify(module)});
      const s = new TickBatchingStream(pino.destination({ dest: ${JSON.stringify(file)}, sync: true, minLength: 4096 }));
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
