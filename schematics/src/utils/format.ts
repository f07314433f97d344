import { resolve } from 'node:path';
import type { Tree } from '@angular-devkit/schematics';

/**
 * Formats the files a schematic wrote with the project's own Prettier and configuration (looked up
 * from the real path under the working directory), when Prettier is installed; otherwise leaves
 * them as generated.
 */
export async function formatTree(tree: Tree, paths: readonly string[], root = process.cwd()): Promise<void> {
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    return;
  }
  for (const path of new Set(paths)) {
    if (!/\.(ts|js|mjs|json)$/.test(path) || !tree.exists(path)) continue;
    const source = tree.read(path)!.toString('utf8');
    const filepath = resolve(root, path.replace(/^\/+/, ''));
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    const formatted = await prettier.format(source, { ...config, filepath });
    if (formatted !== source) tree.overwrite(path, formatted);
  }
}
