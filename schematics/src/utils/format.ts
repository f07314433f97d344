import { resolve } from 'node:path';
import type { Tree } from '@angular-devkit/schematics';

/**
 * The text the project's own Prettier and configuration (looked up from the real path under the
 * working directory) make of `source` at `path`; `source` itself when Prettier is not installed.
 */
export async function formatSource(path: string, source: string, root = process.cwd()): Promise<string> {
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    return source;
  }
  const filepath = resolve(root, path.replace(/^\/+/, ''));
  const config = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(source, { ...config, filepath });
}

/** Formats the files a schematic wrote, as {@link formatSource}. */
export async function formatTree(tree: Tree, paths: readonly string[], root = process.cwd()): Promise<void> {
  for (const path of new Set(paths)) {
    if (!/\.(ts|js|mjs|json)$/.test(path) || !tree.exists(path)) continue;
    const source = tree.read(path)!.toString('utf8');
    const formatted = await formatSource(path, source, root);
    if (formatted !== source) tree.overwrite(path, formatted);
  }
}
