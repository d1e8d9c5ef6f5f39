#!/usr/bin/env node
// The bin of the CLI package: scripts/build-cli.mjs copies it to packages/cli/dist/open2fa.cjs. It runs
// the bundled CLI through cli-loader.cjs (from V8's code cache), however Node loaded this file.
'use strict';
require('./cli-loader.cjs').compileCli(true).run();
