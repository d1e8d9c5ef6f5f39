// Bundles the web UI (src/web) into dist/web: fingerprinted JS and CSS under assets/, an index.html
// that references them, and manifest.json (which files load initially, which lazily, their sizes).
// Usage: node scripts/build-web.mjs [--quiet]
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { PNG } from 'pngjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'web');
const outDir = join(root, 'dist', 'web');
const assetsDir = join(outDir, 'assets');
const quiet = process.argv.includes('--quiet');

/** Gzipped size at the default level, the way most servers and proxies compress. */
const gzipSize = (bytes) => gzipSync(bytes).length;

await rm(outDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });

// sql.js's WebAssembly, for the page's import of app databases (Google Authenticator, Microsoft
// Authenticator, Stratum): copied with a fingerprinted name, its URL baked into the bundle. Only the
// import of a database fetches it, so it is not in the initial load; the service worker caches it
// with the shell (after the page has loaded), so that such an import works offline too.
const sqlWasm = await readFile(join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
const sqlWasmUrl = `/assets/sql-wasm-${createHash('sha256').update(sqlWasm).digest('hex').slice(0, 8).toUpperCase()}.wasm`;
await writeFile(join(outDir, sqlWasmUrl), sqlWasm);

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: join(sourceDir, 'main.ts'), styles: join(sourceDir, 'styles.css') },
  define: { OPEN2FA_SQL_WASM_URL: JSON.stringify(sqlWasmUrl) },
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

// Icons and the web app manifest, drawn here (no image files in the repository), with hashed names.
const fingerprint = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();
async function writeAsset(name, extension, bytes) {
  const url = `/assets/${name}-${fingerprint(bytes)}.${extension}`;
  await writeFile(join(outDir, url), bytes);
  return url;
}
const iconSvg = Buffer.from(drawIconSvg());
const icons = {
  svg: await writeAsset('icon', 'svg', iconSvg),
  png192: await writeAsset('icon-192', 'png', drawIconPng(192)),
  png512: await writeAsset('icon-512', 'png', drawIconPng(512)),
};
const appManifest = Buffer.from(
  `${JSON.stringify(
    {
      name: 'Open2FA',
      short_name: 'Open2FA',
      description: 'Your two-factor codes, decrypted in this browser.',
      id: '/',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#f8fafc',
      theme_color: '#1d4ed8',
      icons: [
        { src: icons.png192, sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
        { src: icons.png512, sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        { src: icons.svg, sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    null,
    2,
  )}\n`,
);
const appManifestUrl = await writeAsset('app', 'webmanifest', appManifest);

const template = await readFile(join(sourceDir, 'index.html'), 'utf8');
let html = replaceOnce(
  replaceOnce(template, 'href="./styles.css"', `href="${styles.url}"`),
  'src="./main.ts"',
  `src="${main.url}"`,
);
html = replaceOnce(html, 'href="./icon.svg"', `href="${icons.svg}"`);
html = replaceOnce(html, 'href="./icon-192.png"', `href="${icons.png192}"`);
html = replaceOnce(html, 'href="./app.webmanifest"', `href="${appManifestUrl}"`);
await writeFile(join(outDir, 'index.html'), html);

// The service worker: one file at the root (its scope), the list of shell files and a version that
// changes with any of them baked in.
const shellFiles = [
  '/',
  ...outputs.filter((output) => !output.path.endsWith('.map')).map((output) => output.url),
  ...Object.values(icons),
  appManifestUrl,
  sqlWasmUrl,
];
const shellVersion = createHash('sha256').update(html).update(shellFiles.join('\n')).digest('hex').slice(0, 12);
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [join(sourceDir, 'sw.ts')],
  outfile: join(outDir, 'sw.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  define: { __SHELL_VERSION__: JSON.stringify(shellVersion), __SHELL_FILES__: JSON.stringify(shellFiles) },
  logLevel: quiet ? 'warning' : 'info',
});

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

/** The icon: a white padlock with a keyhole on a blue rounded square (safe inside a maskable circle). */
function drawIconSvg() {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
    '<rect width="64" height="64" rx="14" fill="#1d4ed8"/>',
    '<path d="M22 29v-6a10 10 0 0 1 20 0v6" fill="none" stroke="#fff" stroke-width="5"/>',
    '<rect x="17" y="29" width="30" height="22" rx="4" fill="#fff"/>',
    '<circle cx="32" cy="38" r="3.5" fill="#1d4ed8"/><rect x="30.5" y="39" width="3" height="7" fill="#1d4ed8"/>',
    '</svg>\n',
  ].join('');
}

/** The same drawing as a PNG (`size` square pixels), by testing each pixel against the shapes. */
function drawIconPng(size) {
  const png = new PNG({ width: size, height: size });
  const blue = [0x1d, 0x4e, 0xd8];
  const white = [0xff, 0xff, 0xff];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Work in the SVG's 64-unit coordinates.
      const x = ((px + 0.5) * 64) / size;
      const y = ((py + 0.5) * 64) / size;
      const ring = Math.hypot(x - 32, y - 23);
      const shackle =
        (y <= 23 && ring >= 7.5 && ring <= 12.5) ||
        (y > 23 && y < 29 && (Math.abs(x - 22) <= 2.5 || Math.abs(x - 42) <= 2.5));
      const body = x >= 17 && x <= 47 && y >= 29 && y <= 51;
      const keyhole = Math.hypot(x - 32, y - 38) <= 3.5 || (x >= 30.5 && x <= 33.5 && y >= 39 && y <= 46);
      const color = (shackle || body) && !keyhole ? white : blue;
      const offset = (py * size + px) * 4;
      png.data[offset] = color[0];
      png.data[offset + 1] = color[1];
      png.data[offset + 2] = color[2];
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function replaceOnce(text, search, replacement) {
  const index = text.indexOf(search);
  if (index === -1 || text.indexOf(search, index + 1) !== -1) {
    throw new Error(`build-web: src/web/index.html must contain ${search} exactly once`);
  }
  return text.slice(0, index) + replacement + text.slice(index + search.length);
}
