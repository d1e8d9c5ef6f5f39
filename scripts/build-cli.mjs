// Bundles the CLI (src/cli/main.ts) into packages/cli/dist/: open2fa.cjs (the bin, scripts/cli-bin.cjs),
// cli-loader.cjs (scripts/cli-loader.cjs), cli.cjs (start-up and the fast path) with V8's code cache of
// it (cli.cjs.cache), program.mjs (commander
// and the command table), the lazy chunks of its commands and import decoders, and sql.js's wasm beside
// them (sql.js finds it through __dirname).
// The package then depends on nothing: no native module, none of the server's dependencies.
// Usage: node scripts/build-cli.mjs [--quiet]   (packages/cli's `prepack` runs it)
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'packages', 'cli');
const outDir = join(packageDir, 'dist');
const quiet = process.argv.includes('--quiet');

/** The server's dependencies, and native modules: a bundle that reaches one of them is refused. */
const FORBIDDEN = ['better-sqlite3', 'fastify', '@fastify/', 'pg', 'pg-', 'ioredis', 'pino', 'prom-client', 'kysely'];

// The version `open2fa --version` prints is read from the package.json beside dist/ (src/package-info.ts):
// the CLI package's, which must say the same as the repository's.
const rootVersion = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version;
const cliVersion = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')).version;
if (rootVersion !== cliVersion) {
  throw new Error(`build-cli: packages/cli/package.json is version ${cliVersion}, package.json ${rootVersion}`);
}

await rm(outDir, { recursive: true, force: true });

/** Whether Node would load this file as CommonJS (its extension, or its package's `type`). */
async function isCommonJs(path) {
  if (path.endsWith('.cjs')) return true;
  if (!path.endsWith('.js')) return false;
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = await readFile(join(folder, 'package.json'), 'utf8').catch(() => null);
    if (manifest !== null) return JSON.parse(manifest).type !== 'module';
  }
  return true;
}

/**
 * `await import('proper-lockfile')` of a CommonJS package: Node gives the module's named exports
 * (`lock`), but an esbuild chunk of CommonJS exports only `default`. This gives the chunk the names
 * Node would, read from the package itself at build time.
 */
const commonJsNames = {
  name: 'open2fa-commonjs-names',
  setup(build) {
    const requireFromRoot = createRequire(join(root, 'package.json'));
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.commonJsNames === true) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { commonJsNames: true },
      });
      if (resolved.errors.length > 0 || !(await isCommonJs(resolved.path))) return undefined;
      return { path: resolved.path, namespace: 'open2fa-commonjs' };
    });
    build.onLoad({ filter: /.*/, namespace: 'open2fa-commonjs' }, (args) => {
      const exported = requireFromRoot(args.path);
      const names = Object.keys(exported).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      return {
        contents: [
          `import module from ${JSON.stringify(args.path)};`,
          'export default module;',
          ...names.map((name) => `export const ${name} = module[${JSON.stringify(name)}];`),
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      };
    });
  },
};

/**
 * The entry: what bin/open2fa does for dist/, pointed at the sources (esbuild compiles the TypeScript).
 * CommonJS has no top-level await: the status is set when main settles (it never rejects).
 */
const launcher = {
  name: 'open2fa-launcher',
  setup(build) {
    build.onResolve({ filter: /^open2fa:bin$/ }, (args) => ({ path: args.path, namespace: 'open2fa-launcher' }));
    build.onLoad({ filter: /.*/, namespace: 'open2fa-launcher' }, () => ({
      contents: [
        "import { main } from './src/cli/main.ts';",
        'void main(process.argv.slice(2)).then((status) => {',
        '  process.exitCode = status;',
        '});',
      ].join('\n'),
      loader: 'ts',
      resolveDir: root,
    }));
  },
};

/**
 * In cli.cjs, run-cli.ts's `import('./program.js')` is the other build's entry beside it, imported
 * through the bin's `__open2faImport` (code compiled by node:vm cannot run import() itself).
 */
const programBeside = {
  name: 'open2fa-program-beside',
  setup(build) {
    build.onResolve({ filter: /^\.\/program\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'cli', 'run-cli.ts'))
        ? { path: 'program.mjs', namespace: 'open2fa-program' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'open2fa-program' }, () => ({
      contents: [
        '/* global __open2faImport */',
        'export function runProgram(...args) {',
        "  return __open2faImport('./program.mjs').then((program) => program.runProgram(...args));",
        '}',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * In cli.cjs, `await import('node:tty')` (and every other built-in imported on demand) becomes a
 * require() run on first use, as esbuild does for the bundle's own lazy modules. Left an import(), it
 * would start Node's ESM loader, which costs more than the module it loads.
 */
const builtinsRequired = {
  name: 'open2fa-builtins-required',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'open2fa-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'open2fa-builtin' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};`,
      loader: 'js',
    }));
  },
};

/** What both builds share. */
const common = {
  absWorkingDir: root,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // otpauth's Node build computes its HMACs with node:crypto, whose loading costs `open2fa code` more
  // than the HMAC of one code in JavaScript: the default build (the page's, with @noble/hashes) instead.
  alias: { otpauth: 'otpauth/dist/otpauth.esm.js' },
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: quiet ? 'warning' : 'info',
};

// Two builds, so that `open2fa code NAME` and `open2fa list` (`fastCommand` in src/cli/run-cli.ts) read one file:
// 1. cli.cjs, which the package's bin (open2fa.cjs) runs: the launcher and the fast path with everything
//    it may use, one CommonJS file. Node loads it with the CommonJS loader, synchronously, where an ES module entry
//    starts the ESM loader and reads every file of its graph asynchronously (measured: an empty .mjs
//    starts 4 ms of CPU and, on a busy machine, 14 ms of wall time slower than an empty .cjs). The
//    lazily imported parts (the vault lock, prompts) stay lazy: esbuild turns their imports into
//    require() calls run on first use. Every other command line imports program.mjs.
// 2. program.mjs: commander and the command table, each command and heavy decoder behind its dynamic
//    import in chunks/ (splitting), so a command parses only what it runs.
// Measured in bench/profile-notes.md ("CLI start"). Each build has its own copy of the modules both
// use (CliError among them): an error thrown in one is reported by the same build's reportFailure, so
// no class crosses from one copy to the other.
const fast = await esbuild.build({
  ...common,
  entryPoints: { cli: 'open2fa:bin' },
  plugins: [launcher, programBeside, builtinsRequired],
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // No import() is left in cli.cjs (checked below): program.mjs goes through the bin, built-ins are required.
  supported: { 'dynamic-import': true },
});
const dynamicImports = Object.values(fast.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((entry) => entry.kind === 'dynamic-import' && entry.external);
if (dynamicImports.length > 0) {
  throw new Error(`build-cli: import() left in cli.cjs: ${dynamicImports.map((entry) => entry.path).join(', ')}`);
}
const program = await esbuild.build({
  ...common,
  entryPoints: { program: 'src/cli/program.ts' },
  plugins: [commonJsNames],
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The CommonJS dependencies (sql.js, proper-lockfile, jsQR) call require() and read __dirname; an ES
  // module has neither, so every output file gets them (sql.js then finds sql-wasm.wasm in its chunk's folder).
  banner: {
    js: [
      "import { createRequire as __open2faRequire } from 'node:module';",
      "import { fileURLToPath as __open2faPath } from 'node:url';",
      'const require = __open2faRequire(import.meta.url);',
      'const __filename = __open2faPath(import.meta.url);',
      "const __dirname = __open2faPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
});
const result = {
  metafile: {
    inputs: { ...fast.metafile.inputs, ...program.metafile.inputs },
    outputs: { ...fast.metafile.outputs, ...program.metafile.outputs },
  },
};

// Files on disk (a plugin's virtual modules are named `namespace:path`).
const inputs = Object.keys(result.metafile.inputs).filter((input) => !/^[\w-]+:/.test(input));
const reached = inputs.filter((input) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return (
    match !== null &&
    FORBIDDEN.some((name) => (name.endsWith('/') || name.endsWith('-') ? match[1].startsWith(name) : match[1] === name))
  );
});
if (reached.length > 0) throw new Error(`build-cli: the bundle reaches server dependencies: ${reached.join(', ')}`);
const external = Object.values(result.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((entry) => entry.external && !entry.path.startsWith('node:') && !builtinModules.includes(entry.path));
if (external.length > 0)
  throw new Error(`build-cli: imports left outside the bundle: ${external.map((entry) => entry.path).join(', ')}`);

// sql.js (a lazy chunk, once an import format reads SQLite) looks for sql-wasm.wasm in its own folder.
const sqlJsChunk = Object.entries(result.metafile.outputs).find(([, meta]) =>
  Object.keys(meta.inputs).some((input) => input.includes('node_modules/sql.js/')),
);
const wasmPath = sqlJsChunk === undefined ? null : join(root, dirname(sqlJsChunk[0]), 'sql-wasm.wasm');
if (wasmPath !== null) {
  await copyFile(join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), wasmPath);
  await chmod(wasmPath, 0o644);
}

// The bin and its loader, then V8's code cache of cli.cjs: the loader compiles cli.cjs without it, runs
// `open2fa code` on a throw-away vault (nothing of this environment but PATH), and writes what V8
// compiled by then (the start-up and the fast path). A cache is made by this Node; another V8 refuses it
// and compiles (scripts/cli-loader.cjs).
const bin = join(outDir, 'open2fa.cjs');
const loader = join(outDir, 'cli-loader.cjs');
await copyFile(join(root, 'scripts', 'cli-bin.cjs'), bin);
await chmod(bin, 0o755);
await copyFile(join(root, 'scripts', 'cli-loader.cjs'), loader);
await chmod(loader, 0o644);
await writeCodeCache(loader, bin, join(outDir, 'cli.cjs.cache'));

async function writeCodeCache(loaderPath, binPath, cachePath) {
  const vault = await mkdtemp(join(tmpdir(), 'open2fa-code-cache-'));
  try {
    await writeFile(
      join(vault, 'secrets.json'),
      JSON.stringify({ secrets: [{ secret: 'JBSWY3DPEHPK3PXP', name: 'cache' }] }),
    );
    const trainer = [
      `const { compileCli } = require(${JSON.stringify(loaderPath)});`,
      'const { script, run } = compileCli(false);',
      `process.argv = [process.argv[0], ${JSON.stringify(binPath)}, 'code', 'cache'];`,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(cachePath)}, script.createCachedData()));`,
      'run();',
    ].join('\n');
    const ran = spawnSync(process.execPath, ['-e', trainer], {
      env: { PATH: process.env.PATH ?? '', OPEN2FA_DIR: vault },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (ran.status !== 0 || !/^\d{6}\n$/.test(ran.stdout)) {
      throw new Error(`build-cli: the bundle failed its code-cache run (exit ${String(ran.status)}): ${ran.stderr}`);
    }
    await chmod(cachePath, 0o644);
  } finally {
    await rm(vault, { recursive: true, force: true });
  }
}

// The bundle carries code of npm packages: their licences go with it (MIT and the like ask for the notice).
const bundledPackages = [
  ...new Set(
    inputs.flatMap((input) => {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      return match === null ? [] : [match[1]];
    }),
  ),
].sort();
const notices = [];
for (const folder of bundledPackages) {
  const manifest = JSON.parse(await readFile(join(root, folder, 'package.json'), 'utf8'));
  const licenceFile = (await readdir(join(root, folder))).find((name) => /^(licen[cs]e|copying)/i.test(name));
  // A package without a licence file (qrcode-generator) states its notice in its sources' header.
  const text =
    licenceFile === undefined
      ? await copyrightLines(
          inputs.filter((input) => input.startsWith(`${folder}/`)),
          manifest.name,
        )
      : await readFile(join(root, folder, licenceFile), 'utf8');
  notices.push(`${manifest.name}@${manifest.version} (${manifest.license})\n\n${text.trim()}\n`);
}
await writeFile(join(outDir, 'THIRD-PARTY-LICENSES.txt'), notices.join(`\n${'-'.repeat(72)}\n\n`));

async function copyrightLines(files, name) {
  const lines = new Set();
  for (const file of files) {
    const source = await readFile(join(root, file), 'utf8');
    for (const line of source.split('\n').slice(0, 40)) {
      if (/copyright|licen[cs]ed/i.test(line)) lines.add(line.replace(/^\s*(\/\/|\/?\*+)\s?/, '').trim());
    }
  }
  if (lines.size === 0) throw new Error(`build-cli: ${name} has no licence file or notice to ship with the bundle`);
  return [...lines].join('\n');
}

if (!quiet) {
  const size = (path) => result.metafile.outputs[relative(root, join(outDir, path))].bytes;
  const chunks = Object.entries(program.metafile.outputs).filter(([path]) => path.includes('/chunks/'));
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const wasm = wasmPath === null ? 'no sql.js in the bundle' : `sql-wasm.wasm ${kib((await stat(wasmPath)).size)}`;
  console.log(
    `build-cli: ${relative(root, outDir)}/cli.cjs ${kib(size('cli.cjs'))} (code cache ${kib((await stat(join(outDir, 'cli.cjs.cache'))).size)}), program.mjs ${kib(size('program.mjs'))}, ` +
      `${String(chunks.length)} lazy chunks ${kib(chunks.reduce((sum, [, meta]) => sum + meta.bytes, 0))}, ${wasm}`,
  );
}
