import { describe, expect, it } from 'vitest';
import { DatabaseErrorCode } from '../database.errors.js';
import { escapeTemplateLiteral, renderMigrationFile } from './migration-file.js';

const at = 1_700_000_000_000;

describe('renderMigrationFile', () => {
  it.each([
    ['create-posts', 'CreatePosts1700000000000', '1700000000000-create-posts.ts'],
    ['AddTags', 'AddTags1700000000000', '1700000000000-add-tags.ts'],
    ['add_user index', 'AddUserIndex1700000000000', '1700000000000-add-user-index.ts'],
    ['v2', 'V21700000000000', '1700000000000-v2.ts'],
  ])('names %j as class %s in file %s', (name, className, fileName) => {
    expect(renderMigrationFile({ name, timestamp: at, up: [], down: [] })).toMatchObject({
      className,
      fileName,
    });
  });

  it('renders an ESM TypeORM migration with up and down statements in order', () => {
    const { content } = renderMigrationFile({
      name: 'create-notes',
      timestamp: at,
      up: [{ query: 'CREATE TABLE "note" ("id" uuid)' }, { query: 'CREATE INDEX "i" ON "note" ("id")' }],
      down: [{ query: 'DROP INDEX "i"' }, { query: 'DROP TABLE "note"' }],
    });
    expect(content).toBe(`import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "note" ("id" uuid)\`);
    await queryRunner.query(\`CREATE INDEX "i" ON "note" ("id")\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX "i"\`);
    await queryRunner.query(\`DROP TABLE "note"\`);
  }
}
`);
  });

  it('keeps backticks, backslashes, ${ and parameters literal', () => {
    const { content } = renderMigrationFile({
      name: 'comment',
      timestamp: at,
      up: [{ query: "COMMENT ON TABLE t IS 'a `b` \\ ${c}'", parameters: ["it's", 3, null] }],
      down: [],
    });
    expect(content).toContain(
      "await queryRunner.query(`COMMENT ON TABLE t IS 'a \\`b\\` \\\\ \\${c}'`, ['it\\'s', 3, null]);",
    );
  });

  it.each(['', '1st', 'drop;table', 'a--b', 'über'])('rejects the name %j', (name) => {
    expect(() => renderMigrationFile({ name, timestamp: at, up: [], down: [] })).toThrow(
      expect.objectContaining({ code: DatabaseErrorCode.InvalidMigrationName }),
    );
  });

  it.each([0, -1, 1.5])('rejects the timestamp %d', (timestamp) => {
    expect(() => renderMigrationFile({ name: 'x', timestamp, up: [], down: [] })).toThrow(/timestamp/);
  });

  it('escapes exactly what a template literal would interpret', () => {
    const sql = 'a`b\\c${d}$e';
    expect(new Function(`return \`${escapeTemplateLiteral(sql)}\`;`)()).toBe(sql);
  });
});
