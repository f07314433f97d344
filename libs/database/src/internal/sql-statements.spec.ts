import { describe, expect, it } from 'vitest';
import { classifyStatements, type StatementKind } from './sql-statements.js';

describe('classifyStatements', () => {
  it.each<[string, StatementKind]>([
    ['SELECT 1', 'plain'],
    ['  insert into t values ($1)', 'plain'],
    ['UPDATE t SET begin_at = now()', 'plain'],
    ['PREPARE p AS SELECT 1', 'plain'],
    ['SET search_path = app', 'plain'],
    ['SET LOCAL statement_timeout = 5', 'plain'],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY', 'plain'],
    ['beginning_is_not_a_keyword()', 'plain'],
    ['(SELECT 1)', 'plain'],
    ['SELECT 1;', 'plain'],
    ['SELECT 1; SELECT 2', 'plain'],
    ['BEGIN', 'control'],
    ['begin isolation level serializable', 'control'],
    ['START TRANSACTION', 'control'],
    ['COMMIT', 'control'],
    ['END', 'control'],
    ['ABORT', 'control'],
    ['ROLLBACK', 'control'],
    ['ROLLBACK TO SAVEPOINT typeorm_1', 'control'],
    ['SAVEPOINT typeorm_1', 'control'],
    ['RELEASE SAVEPOINT typeorm_1', 'control'],
    ["PREPARE TRANSACTION 'tx1'", 'control'],
    ["COMMIT PREPARED 'tx1'", 'control'],
    ["ROLLBACK PREPARED 'tx1'", 'control'],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'control'],
    ['set /* why not */ transaction read only', 'control'],
    ['-- TypeORM\n  /* nested /* comment */ */ COMMIT', 'control'],
    ['COMMIT; BEGIN;', 'control'],
    ['', 'empty'],
    ['  -- only a comment', 'empty'],
    [' ; ; ', 'empty'],
    ['BEGIN; SELECT 1; COMMIT', 'mixed'],
    ['SELECT 1; COMMIT', 'mixed'],
    ['SELECT 1;\n-- then\nSET TRANSACTION READ ONLY', 'mixed'],
  ])('classifies %j as %s', (text, kind) => {
    expect(classifyStatements(text)).toBe(kind);
  });

  it.each([
    ["SELECT 'a; COMMIT'", 'a string literal'],
    ["SELECT 'it''s; COMMIT'", 'a literal with a doubled quote'],
    ["SELECT E'\\'; COMMIT'", 'an escape string'],
    ['SELECT "odd;commit" FROM t', 'a quoted identifier'],
    ['SELECT $$; COMMIT$$', 'a dollar-quoted string'],
    ['SELECT $body$ x; COMMIT $body$', 'a tagged dollar-quoted string'],
    ['SELECT 1 -- ; COMMIT', 'a line comment'],
    ['SELECT 1 /* ; COMMIT */', 'a block comment'],
  ])('does not see transaction control inside %s (%s)', (text) => {
    expect(classifyStatements(text)).toBe('plain');
  });

  it.each([
    ["SELECT '\\'; COMMIT", 'a backslash in a standard string does not escape its quote'],
    ['SELECT $1; COMMIT', 'a parameter is not a dollar quote'],
    ['SELECT a$b$c; COMMIT', 'a $ inside an identifier is not a dollar quote'],
  ])('finds the COMMIT in %j (%s)', (text) => {
    expect(classifyStatements(text)).toBe('mixed');
  });
});
