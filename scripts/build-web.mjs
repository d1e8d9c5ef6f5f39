// Bundles the web UI (src/web) into dist/web: fingerprinted JS and CSS under assets/, an index.html
// that references them, and manifest.json (which files load initially, which lazily, their sizes).
// Usage: node scripts/build-web.mjs [--quiet]
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'web');
const outDir = join(root, 'dist', 'web');
const assetsDir = join(outDir, 'assets');
const quiet = process.argv.includes('--quiet');

/** Gzipped size at the default level, the way most servers and proxies compress. */
const gzipSize = (bytes) => gzipSync(bytes).length;

await rm(outDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: join(sourceDir, 'main.ts'), styles: join(sourceDir, 'styles.css') },
  outdir: assetsDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: quiet ? 'warning' : 'info',
});

const outputs = Object.entries(result.metafile.outputs).map(([path, meta]) => ({
  path,
  meta,
  url: `/${relative(outDir, join(root, path)).split('\\').join('/')}`,
}));
const byEntry = (entry) => {
  const found = outputs.find((output) => output.meta.entryPoint === relative(root, join(sourceDir, entry)));
  if (found === undefined) throw new Error(`build-web: no output for ${entry}`);
  return found;
};
const main = byEntry('main.ts');
const styles = byEntry('styles.css');

/** The files a browser fetches before anything is clicked: an entry and its static imports. */
function staticClosure(start) {
  const seen = new Set([start.path]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const imported of current.meta.imports) {
      if (imported.kind !== 'import-statement' || seen.has(imported.path)) continue;
      seen.add(imported.path);
      const next = outputs.find((output) => output.path === imported.path);
      if (next !== undefined) queue.push(next);
    }
  }
  return outputs.filter((output) => seen.has(output.path));
}

const template = await readFile(join(sourceDir, 'index.html'), 'utf8');
const html = replaceOnce(
  replaceOnce(template, 'href="./styles.css"', `href="${styles.url}"`),
  'src="./main.ts"',
  `src="${main.url}"`,
);
await writeFile(join(outDir, 'index.html'), html);

const initialOutputs = [...staticClosure(main), styles];
const initialPaths = new Set(initialOutputs.map((output) => output.path));
const describe = async (output) => {
  const bytes = await readFile(join(root, output.path));
  return { url: output.url, bytes: bytes.length, gzipBytes: gzipSize(bytes) };
};
const initial = [
  { url: '/', bytes: Buffer.byteLength(html), gzipBytes: gzipSize(Buffer.from(html)) },
  ...(await Promise.all(initialOutputs.map(describe))),
];
const lazy = await Promise.all(
  outputs.filter((output) => !initialPaths.has(output.path) && !output.path.endsWith('.map')).map(describe),
);
const sum = (files) => files.reduce((total, file) => total + file.gzipBytes, 0);
const manifest = {
  entries: { 'main.js': main.url, 'styles.css': styles.url },
  initial,
  lazy,
  initialGzipBytes: sum(initial),
  lazyGzipBytes: sum(lazy),
};
await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

if (!quiet) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`build-web: initial load ${kib(manifest.initialGzipBytes)} gzipped (${initial.length} files)`);
  console.log(`build-web: lazy chunks ${kib(manifest.lazyGzipBytes)} gzipped (${lazy.length} files)`);
}

function replaceOnce(text, search, replacement) {
  const index = text.indexOf(search);
  if (index === -1 || text.indexOf(search, index + 1) !== -1) {
    throw new Error(`build-web: src/web/index.html must contain ${search} exactly once`);
  }
  return text.slice(0, index) + replacement + text.slice(index + search.length);
}
