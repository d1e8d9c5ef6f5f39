// The loader of the CLI package's bundle: scripts/build-cli.mjs copies it to packages/cli/dist/cli-loader.cjs,
// beside cli.cjs (the bundled CLI) and the bin (open2fa.cjs, scripts/cli-bin.cjs), which runs it. It runs
// cli.cjs from V8's code cache of it (cli.cjs.cache, which the build writes after one run of
// `open2fa code`): compiling the bundle is most of what `open2fa code` costs beyond Node's own start-up,
// and Node 20 keeps no compile cache of its own (bench/profile-notes.md, "CLI start"). V8 refuses a cache
// made by another V8 version or with other V8 flags (NODE_OPTIONS=--max-old-space-size=… among them);
// the bundle is then compiled as Node would compile it.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

/**
 * The bundle compiled as a function of what it takes from its module: `require` (for node: built-ins),
 * its file and folder, and `import()`, which code compiled by node:vm cannot call itself (the bundle
 * imports program.mjs, commander's half of the CLI, through it). `run()` starts the CLI on process.argv.
 * @param {boolean} useCache whether to read cli.cjs.cache (the build writes it from a run without)
 */
function compileCli(useCache) {
  const file = join(__dirname, 'cli.cjs');
  const source = readFileSync(file, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (require, __filename, __dirname, __open2faImport) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const run = () => script.runInThisContext()(require, file, __dirname, (specifier) => import(specifier));
  return { script, run };
}

module.exports = { compileCli };
