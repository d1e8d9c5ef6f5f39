// Bundles the server (src/server/main.ts) and its SQLite writer thread into dist/server-bundle/, the
// files `bin/open2fa-server` runs. Usage: node scripts/build-server.mjs [--quiet]
//
// Why: Node's ES module loader keeps a module record, the source text and compiled code for every
// file it loads. TypeBox (374 files) and Kysely's ES build (289) cost a fresh server about 24 MiB of
// its idle memory that way (bench/profile-notes.md, "Idle memory"); bundled, tree-shaken into the
// server's own chunks, they cost a few. Every other package stays external: native modules
// (better-sqlite3), packages that find their own files at run time (pino's transports, @fastify/static,
// @fastify/swagger), and those the server imports only when used (pg, prom-client, ioredis,
// pino-pretty), which stay lazy.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'server-bundle');
const quiet = process.argv.includes('--quiet');

/** Bundled: the many-file ES builds, and the one package that imports TypeBox (one copy of it). */
const BUNDLED = new Set(['typebox', 'kysely', '@fastify/type-provider-typebox']);
const { dependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

await rm(outDir, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    'open2fa-server': join(root, 'src', 'server', 'main.ts'),
    // Beside the chunks, where sqlite-write-thread.ts looks for it (`./sqlite-write-worker.js`).
    'sqlite-write-worker': join(root, 'src', 'store', 'sqlite', 'sqlite-write-worker.ts'),
  },
  outdir: outDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Readable stack traces in the server's logs; the size matters less than the file count.
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: quiet ? 'warning' : 'info',
});

// The chunks' `./sqlite-write-worker.js` must resolve: the code that starts the thread must sit beside it.
const threadChunk = Object.entries(result.metafile.outputs).find(([, output]) =>
  Object.keys(output.inputs).some((input) => input.endsWith(join('sqlite', 'sqlite-write-thread.ts'))),
);
if (threadChunk === undefined) throw new Error('build-server: no output holds sqlite-write-thread.ts');
if (dirname(join(root, threadChunk[0])) !== outDir) {
  throw new Error(`build-server: sqlite-write-thread.ts is in ${threadChunk[0]}, not beside the worker`);
}
if (!quiet) {
  const files = Object.keys(result.metafile.outputs).length;
  console.log(`build-server: ${String(files)} files in dist/server-bundle`);
}
