import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * Some tests run the build, not the sources: they spawn `bin/` (which loads dist/) or the CLI bundle
 * (packages/cli/dist), or start the SQLite writer thread (a worker runs dist/store, since Node cannot
 * start a TypeScript worker). `npm test` builds both first; a bare `vitest run` after an edit
 * rebuilds here, so no test runs yesterday's code.
 */
export default function setup(): void {
  const built = Math.min(
    mtime(join(ROOT, 'dist', 'server', 'main.js')),
    mtime(join(ROOT, 'dist', 'server-bundle', 'open2fa-server.js')),
    mtime(join(ROOT, 'dist', 'web', 'index.html')),
    mtime(join(ROOT, 'packages', 'cli', 'dist', 'open2fa.cjs')),
  );
  const inputs = [
    join(ROOT, 'scripts', 'build-web.mjs'),
    join(ROOT, 'scripts', 'build-server.mjs'),
    join(ROOT, 'scripts', 'build-cli.mjs'),
    join(ROOT, 'scripts', 'cli-bin.cjs'),
    join(ROOT, 'scripts', 'cli-loader.cjs'),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
  ];
  const newest = Math.max(newestUnder(join(ROOT, 'src')), ...inputs.map(mtime));
  if (newest <= built) return;
  console.warn('\n*** dist/ is older than src/: running `npm run build` and the CLI bundle first ***\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestUnder(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : mtime(path));
  }
  return newest;
}
