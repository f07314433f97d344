import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';

/** One statement of a generated migration (TypeORM's schema builder `Query`). */
export interface MigrationStatement {
  query: string;
  parameters?: readonly unknown[] | undefined;
}

/** What a generated migration file contains. */
export interface MigrationFileInput {
  /** Human name such as `create-posts` or `AddTags`; becomes the PascalCase class name. */
  name: string;
  /** Milliseconds since the epoch; orders migrations and suffixes the class name. */
  timestamp: number;
  /** Statements of `up()`, in order. */
  up: readonly MigrationStatement[];
  /** Statements of `down()`, in order (already reversed). */
  down: readonly MigrationStatement[];
}

/** A rendered migration file. */
export interface MigrationFile {
  /** `<timestamp>-<kebab-name>.ts` */
  fileName: string;
  /** `<PascalName><timestamp>`, also the migration's recorded name. */
  className: string;
  content: string;
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9]*(?:[-_ ][A-Za-z0-9]+)*$/;

function words(name: string): string[] {
  if (!NAME_PATTERN.test(name)) {
    throw new DatabaseError(
      DatabaseErrorCode.InvalidMigrationName,
      `Migration name '${name}' must start with a letter and hold only letters, digits, '-', '_' or spaces, such as create-posts or AddTags.`,
    );
  }
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_ ]+/)
    .map((w) => w.toLowerCase());
}

/** Escapes SQL for a JavaScript template literal: backslashes, backticks and `${` stay literal. */
export function escapeTemplateLiteral(sql: string): string {
  return sql.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
}

function literal(value: unknown): string {
  if (typeof value === 'string')
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
  return JSON.stringify(value) ?? 'undefined';
}

function statement(s: MigrationStatement): string {
  const params = s.parameters?.length ? `, [${s.parameters.map(literal).join(', ')}]` : '';
  return `    await queryRunner.query(\`${escapeTemplateLiteral(s.query)}\`${params});`;
}

/**
 * Renders a TypeORM migration class (ESM TypeScript) from schema-builder statements. Pure; the
 * generator writes the result to a file the user owns.
 *
 * @example
 * renderMigrationFile({ name: 'create-notes', timestamp: 1700000000000, up, down }).fileName
 * // '1700000000000-create-notes.ts'
 */
export function renderMigrationFile(input: MigrationFileInput): MigrationFile {
  const parts = words(input.name);
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp <= 0) {
    throw new DatabaseError(
      DatabaseErrorCode.InvalidMigrationName,
      `Migration timestamp must be a positive whole number of milliseconds, got ${input.timestamp}.`,
    );
  }
  const className = parts.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') + String(input.timestamp);
  const content = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${input.up.map(statement).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${input.down.map(statement).join('\n')}
  }
}
`;
  return { fileName: `${input.timestamp}-${parts.join('-')}.ts`, className, content };
}
