import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's package (the server, with the web UI) and the CLI's own (packages/cli). */
const PACKAGE_NAMES: readonly unknown[] = ['open2fa-server', 'open2fa'];

/**
 * The folder of this package's package.json (Node only): the nearest one of open2fa's packages above
 * this module, wherever the module runs from (src/ in tests, dist/ from tsc, the server bundle in
 * dist/server-bundle/, the CLI bundle in packages/cli/dist/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && PACKAGE_NAMES.includes((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json of open2fa not found above this module');
    dir = parent;
  }
}

/** The package's version, read from its package.json (Node only). */
export function packageVersion(): string {
  const parsed = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}
