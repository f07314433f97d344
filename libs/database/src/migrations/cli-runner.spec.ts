import { describe, expect, it } from 'vitest';
import { DatabaseErrorCode } from '../database.errors.js';
import { parseCliArgs } from './cli-runner.js';

describe('parseCliArgs', () => {
  it.each([
    [['run', '--data-source', 'dist/ds.js'], { command: 'run', dataSource: 'dist/ds.js' }],
    [['revert', '--data-source=dist/ds.js'], { command: 'revert', dataSource: 'dist/ds.js' }],
    [
      ['generate', '--name=add-tags', '--data-source', 'ds.js', '--dir', 'src/migrations'],
      { command: 'generate', dataSource: 'ds.js', name: 'add-tags', dir: 'src/migrations' },
    ],
  ])('parses %j', (argv, expected) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [['run', '--data-source'], /--data-source needs a value/],
    [['run', '--data-source='], /--data-source needs a value/],
    [['generate', '--data-source', 'ds.js', '--name'], /--name needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(
      expect.objectContaining({ code: DatabaseErrorCode.CliUsage, message: expect.stringMatching(message) }),
    );
  });
});
