import ts from 'typescript';

/** Whether `source` imports `name` (a named import) from anywhere. */
export function importsName(source: string, name: string): boolean {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      statement.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(statement.importClause.namedBindings) &&
      statement.importClause.namedBindings.elements.some((element) => element.name.text === name),
  );
}

/** Adds `import { name } from 'from';` after the last import, unless `name` is imported already. */
export function addNamedImport(source: string, name: string, from: string): string {
  if (importsName(source, name)) return source;
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const imports = file.statements.filter(ts.isImportDeclaration);
  const line = `import { ${name} } from '${from}';\n`;
  if (imports.length === 0) return line + source;
  const end = imports[imports.length - 1]!.getEnd();
  return `${source.slice(0, end)}\n${line.trimEnd()}${source.slice(end)}`;
}

/**
 * The first exported `const` whose initializer is an array literal (`export const MIGRATIONS = [...]`),
 * or the one named `name`.
 */
function exportedArray(file: ts.SourceFile, name?: string): ts.ArrayLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (name !== undefined && (!ts.isIdentifier(declaration.name) || declaration.name.text !== name))
        continue;
      let init = declaration.initializer;
      while (
        init &&
        (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))
      )
        init = init.expression;
      if (init && ts.isArrayLiteralExpression(init)) return init;
    }
  }
  return undefined;
}

/** Whether the file exports an array literal (the registry `appendToExportedArray` edits). */
export function hasExportedArray(source: string): boolean {
  return exportedArray(ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true)) !== undefined;
}

/**
 * Appends `element` to the file's exported array literal (the first one), keeping its layout
 * (one element per line or all on one line); nothing changes when the array holds it already.
 * Returns undefined when the file has no exported array literal.
 */
export function appendToExportedArray(source: string, element: string): string | undefined {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const array = exportedArray(file);
  if (!array) return undefined;
  if (array.elements.some((e) => e.getText(file) === element)) return source;
  const close = array.getEnd() - 1; // the `]`
  const last = array.elements[array.elements.length - 1];
  if (!last) return `${source.slice(0, close)}${element}${source.slice(close)}`;
  const multiline = source.slice(array.getStart(file), close).includes('\n');
  const between = source.slice(last.getEnd(), close);
  const hasTrailingComma = between.trimStart().startsWith(',');
  if (multiline) {
    const indent = /\n([ \t]*)\S[^\n]*$/.exec(source.slice(0, last.getEnd()))?.[1] ?? '  ';
    const afterLast = last.getEnd() + (hasTrailingComma ? between.indexOf(',') + 1 : 0);
    return `${source.slice(0, afterLast)}${hasTrailingComma ? '' : ','}\n${indent}${element},${source.slice(afterLast)}`;
  }
  return `${source.slice(0, last.getEnd())}, ${element}${source.slice(last.getEnd())}`;
}
